package dev.gatehouse.policy;

import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.RowCount;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.analysis.TableAccess;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies a {@link Policy} to analysed statements. Every rule is evaluated against every statement and the
 * strictest enforcing action wins, so the order of rules never changes a decision. Fail closed: a statement
 * the analyzer could not read gets {@code defaults.unparsed}, and a rule whose table or column criteria
 * cannot be decided because lineage is incomplete counts as a possible match contributing
 * {@code defaults.unparsed}. Immutable and thread-safe; runs on the caller's thread (the gate calls it on a
 * cache miss only).
 */
public final class PolicyEngine {
    /** The fact a possible match carries: tables or columns were not all resolved. */
    public static final String LINEAGE_INCOMPLETE = "lineage incomplete";

    private final Policy policy;

    public PolicyEngine(Policy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public Policy policy() {
        return policy;
    }

    /** The decision for a whole submission: the strictest of its statements'. */
    public Decision decide(List<StatementInfo> statements, Principal principal) {
        List<StatementDecision> decided = new ArrayList<>(statements.size());
        for (StatementInfo statement : statements) {
            decided.add(decide(statement, principal));
        }
        return new Decision(combine(decided), decided, policy.version());
    }

    /**
     * The verdict for one statement. A rule with {@code max_rows} that matches a write whose rows the server
     * counts becomes a {@link RowLimit} instead of a hit: its action applies once the write touched more. On a
     * write it cannot count, its action applies at once; on a statement that writes no existing rows
     * (a read, {@code INSERT ... VALUES}) it does not apply.
     */
    public StatementDecision decide(StatementInfo statement, Principal principal) {
        Objects.requireNonNull(principal, "principal");
        List<RuleHit> hits = new ArrayList<>();
        List<Rule> hitRules = new ArrayList<>();
        List<RowLimit> limits = new ArrayList<>(0);
        RowCount rows = statement.rowCount();
        for (Rule rule : policy.rules()) {
            RuleHit hit = evaluate(rule, statement, principal);
            if (hit == null) {
                continue;
            }
            if (rule.maxRows() != null) {
                if (rows == RowCount.NONE || rows == RowCount.LISTED) {
                    continue; // touches no row that was there: nothing to limit
                }
                if (hit.shadow()) {
                    hit = withFact(hit, "max_rows " + rule.maxRows() + " (rows are not counted for shadow rules)");
                } else if (rows == RowCount.COUNTED) {
                    limits.add(new RowLimit(rule.maxRows(), hit.action(), rule.id(), hit.facts(), rule.review(),
                            reason(rule, hit)));
                    continue;
                } else {
                    hit = withFact(hit, "max_rows " + rule.maxRows() + " cannot be enforced: " + UNCOUNTED);
                }
            }
            hits.add(hit);
            hitRules.add(rule);
        }
        Long defaultMax = policy.defaults().maxRows();
        boolean defaultUncounted = false;
        if (defaultMax != null && rows == RowCount.COUNTED) {
            limits.add(new RowLimit(defaultMax, Action.REVIEW, null, List.of(), ReviewSpec.DEFAULT,
                    RowLimit.DEFAULT_NAME + " applies"));
        } else if (defaultMax != null && rows == RowCount.UNCOUNTED) {
            defaultUncounted = true;
        }
        return new StatementDecision(statement, verdict(statement, hits, hitRules, defaultUncounted),
                limits.isEmpty() ? RowLimits.NONE : new RowLimits(limits));
    }

    /** Why a limit cannot hold on a write of {@link RowCount#UNCOUNTED} form. */
    static final String UNCOUNTED = "the server does not count the rows this statement writes";

    private static RuleHit withFact(RuleHit hit, String fact) {
        List<String> facts = new ArrayList<>(hit.facts());
        facts.add(fact);
        return new RuleHit(hit.ruleId(), hit.action(), hit.shadow(), facts);
    }

    /** How a verdict names a rule that decided it: its id (marked when only a possible match), and its reason. */
    private static String reason(Rule rule, RuleHit hit) {
        String id = hit.facts().contains(LINEAGE_INCOMPLETE) ? rule.id() + " (possible match, " + LINEAGE_INCOMPLETE + ")" : rule.id();
        return rule.reason().isEmpty() ? id : id + ": " + rule.reason();
    }

    /**
     * @param defaultUncounted {@code defaults.max_rows} is set and the statement writes rows the server does not
     *                         count: it is held for review, failing closed
     */
    private Verdict verdict(StatementInfo statement, List<RuleHit> hits, List<Rule> hitRules, boolean defaultUncounted) {
        Policy.Defaults defaults = policy.defaults();
        boolean unknown = statement.isUnknown();
        boolean enforcedHit = false;
        Action action = unknown ? defaults.unparsed() : Action.ALLOW;
        for (RuleHit hit : hits) {
            if (!hit.shadow()) {
                enforcedHit = true;
                action = action.strictest(hit.action());
            }
        }
        if (!unknown && !enforcedHit) {
            action = defaults.otherwise();
        }
        if (defaultUncounted) {
            action = action.strictest(Action.REVIEW);
        }
        List<String> reasons = new ArrayList<>();
        ReviewSpec review = null;
        if (unknown && action == defaults.unparsed()) {
            reasons.add("statement not understood, defaults.unparsed applies"
                    + (statement.notes().isEmpty() ? "" : " (" + statement.notes().get(0) + ")"));
            review = ReviewSpec.DEFAULT;
        }
        if (!unknown && !enforcedHit && action != Action.ALLOW && action == defaults.otherwise()) {
            reasons.add("no rule matched, defaults.otherwise applies");
            review = ReviewSpec.DEFAULT;
        }
        if (defaultUncounted && action == Action.REVIEW) {
            reasons.add(RowLimit.DEFAULT_NAME + " applies: " + UNCOUNTED + " (max_rows " + defaults.maxRows() + ")");
            review = ReviewSpec.DEFAULT;
        }
        for (int i = 0; i < hits.size(); i++) {
            RuleHit hit = hits.get(i);
            if (!hit.shadow() && hit.action() == action) {
                Rule rule = hitRules.get(i);
                reasons.add(reason(rule, hit));
                review = review == null ? rule.review() : review.merge(rule.review());
            }
        }
        String reason = String.join("; ", reasons);
        return switch (action) {
            case ALLOW -> new Verdict.Allow(hits);
            case REVIEW -> new Verdict.Review(hits, review == null ? ReviewSpec.DEFAULT : review, reason);
            case DENY -> new Verdict.Deny(hits, reason);
        };
    }

    /** The submission's verdict: the strictest statement's action, every hit, merged review needs, joined reasons. */
    static Verdict combine(List<StatementDecision> decided) {
        Action action = Action.ALLOW;
        List<RuleHit> hits = new ArrayList<>();
        for (StatementDecision d : decided) {
            action = action.strictest(d.verdict().action());
            hits.addAll(d.verdict().hits());
        }
        List<String> reasons = new ArrayList<>();
        ReviewSpec review = null;
        for (StatementDecision d : decided) {
            switch (d.verdict()) {
                case Verdict.Allow allow -> { }
                case Verdict.Review r -> {
                    if (action == Action.REVIEW) {
                        review = review == null ? r.review() : review.merge(r.review());
                        addOnce(reasons, r.reason());
                    }
                }
                case Verdict.Deny deny -> addOnce(reasons, deny.reason());
            }
        }
        String reason = String.join("; ", reasons);
        return switch (action) {
            case ALLOW -> new Verdict.Allow(hits);
            case REVIEW -> new Verdict.Review(hits, review, reason);
            case DENY -> new Verdict.Deny(hits, reason);
        };
    }

    private static void addOnce(List<String> reasons, String reason) {
        if (!reason.isEmpty() && !reasons.contains(reason)) {
            reasons.add(reason);
        }
    }

    /** The rule's hit on this statement, or null when it does not match or an exception exempts it. */
    private RuleHit evaluate(Rule rule, StatementInfo statement, Principal principal) {
        List<String> facts = new ArrayList<>();
        Outcome matched = test(rule.match(), statement, principal, facts);
        if (matched == Outcome.NO) {
            return null;
        }
        if (rule.except().isPresent()) {
            Outcome exempt = test(rule.except().get(), statement, principal, new ArrayList<>());
            if (exempt == Outcome.YES) {
                return null;
            }
            if (exempt == Outcome.POSSIBLE) {
                // An exemption must be proven; with tables or columns unresolved it cannot be.
                facts.add("except not proven: lineage incomplete");
            }
        }
        if (matched == Outcome.POSSIBLE) {
            if (rule.action() == Action.ALLOW || statement.isUnknown()) {
                // A permission is never granted on a guess; and an unread statement already gets
                // defaults.unparsed, so listing every table or column rule as a possible match would only be noise.
                return null;
            }
            facts.add(LINEAGE_INCOMPLETE);
            return new RuleHit(rule.id(), policy.defaults().unparsed(), rule.shadow(), facts);
        }
        return new RuleHit(rule.id(), rule.action(), rule.shadow(), facts);
    }

    /** Whether a match holds: YES, NO, or POSSIBLE when only unresolved tables/columns could make it hold. */
    private enum Outcome { YES, NO, POSSIBLE }

    private static Outcome test(Match m, StatementInfo s, Principal principal, List<String> facts) {
        if (!m.kinds().isEmpty() && !kinds(m, s, facts)) {
            return Outcome.NO;
        }
        if (!m.operations().isEmpty()) {
            if (!Glob.anyMatches(m.operations(), s.operation(), true)) {
                return Outcome.NO;
            }
            facts.add("operation " + s.operation());
        }
        if (!m.functions().isEmpty() && !functions(m, s, facts)) {
            return Outcome.NO;
        }
        if (!m.principals().isEmpty()) {
            // Identities are compared exactly: "Alice" and "alice" may be different accounts.
            if (!Glob.anyMatches(m.principals(), principal.name(), false)) {
                return Outcome.NO;
            }
            facts.add("principal " + principal.name());
        }
        if (m.unbounded() != null) {
            if (m.unbounded() != s.unbounded()) {
                return Outcome.NO;
            }
            facts.add(s.unbounded() ? "unbounded" : "bounded");
        }
        boolean possible = false;
        if (!m.tables().isEmpty() && !tables(m, s, facts)) {
            if (s.lineageComplete()) {
                return Outcome.NO;
            }
            possible = true;
        }
        if (!m.columns().isEmpty() && !columns(m, s, facts)) {
            if (s.lineageComplete()) {
                return Outcome.NO;
            }
            possible = true;
        }
        return possible ? Outcome.POSSIBLE : Outcome.YES;
    }

    private static boolean kinds(Match m, StatementInfo s, List<String> facts) {
        boolean any = false;
        for (Kind kind : Kind.values()) {
            if (m.kinds().contains(kind) && s.kinds().contains(kind)) {
                facts.add("kind " + kind);
                any = true;
            }
        }
        return any;
    }

    private static boolean tables(Match m, StatementInfo s, List<String> facts) {
        boolean any = false;
        for (TableAccess access : s.tables()) {
            for (NamePattern p : m.tables()) {
                if (p.matches(access.table())) {
                    facts.add("table " + access.table().qualified());
                    any = true;
                    break;
                }
            }
        }
        return any;
    }

    private static boolean columns(Match m, StatementInfo s, List<String> facts) {
        boolean any = false;
        for (ColumnName column : sorted(s)) {
            for (NamePattern p : m.columns()) {
                if (p.matches(column)) {
                    facts.add("column " + column.qualified());
                    any = true;
                    break;
                }
            }
        }
        return any;
    }

    /** Reads and writes together, sorted so explanations are stable across runs. */
    private static List<ColumnName> sorted(StatementInfo s) {
        java.util.TreeSet<ColumnName> all = new java.util.TreeSet<>(s.reads());
        all.addAll(s.writes());
        return new ArrayList<>(all);
    }

    private static boolean functions(Match m, StatementInfo s, List<String> facts) {
        boolean any = false;
        for (String function : new java.util.TreeSet<>(s.functions())) {
            int bare = function.lastIndexOf('.') + 1;
            for (String p : m.functions()) {
                if (Glob.matches(p, function, 0, true) || (bare > 0 && Glob.matches(p, function, bare, true))) {
                    facts.add("function " + function);
                    any = true;
                    break;
                }
            }
        }
        return any;
    }
}
