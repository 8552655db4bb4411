package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.approvals.DecisionAudit;
import dev.gatehouse.approvals.Impact;
import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.Submission;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.policy.Verdict;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Analyzer;
import dev.gatehouse.sql.catalog.Catalog;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place that turns "this SQL, with these bound values, from this caller" into allow, deny or held,
 * for every front end (the JDBC driver, the wire proxy): the cached policy {@link Gate} decides, the
 * {@link RequesterPort} opens, joins and claims requests and keeps the audit. That port is all the approval
 * power a front end has: it cannot vote, mint credentials or edit what the store holds (embedded, the front end's
 * process owns the store; remote, it holds only a requester credential for serve's API).
 *
 * <ul>
 *   <li>Allowed: returns {@link Outcome#ALLOW}. The store is not touched unless the audit records allows
 *       ({@link AuditSettings.AllowMode}); then a store failure refuses the statement like any other.</li>
 *   <li>Denied: audited, then {@link Outcome.Deny} with the enforcing rule ids. A denial whose audit record
 *       cannot be written is still a denial.</li>
 *   <li>Held: an approved, unclaimed request with the same scope is claimed first, in either hold mode (the
 *       identical re-run after approval runs once); otherwise the request is opened or joined and
 *       {@link Outcome.Review} carries a {@link Hold} that claims the approval for its waiter.</li>
 *   <li>Anything that throws (store down, engine failure): {@link Outcome.Failed}, never an allow.</li>
 * </ul>
 * Shadow-mode rules never enforce: the engine leaves them out of the verdict, and {@link Verdicts} never names
 * them as a reason.
 *
 * <p>Threads: shared by every connection of a JVM (or every session of a proxy); runs on the submitting
 * thread. Immutable apart from the services it holds, which are thread-safe.
 */
public final class Checkpoint {
    /** Recorded with every audit record and request, so a decision can be traced to the code that made it. */
    public static final String ANALYZER_VERSION = analyzerVersion();

    private final Map<Dialect, Gate> gates = new EnumMap<>(Dialect.class);
    private final Supplier<? extends RequesterPort> approvals;
    private final boolean auditAllows;

    /**
     * @param policy    the policy every submission is decided by
     * @param approvals the requester's port to the approvals (the embedded service over the store shared with
     *                  {@code gatehouse serve}, or serve's requester API), asked for only when a submission needs
     *                  it (held, denied, or an audited allow); it throws {@code StoreUnavailableException} while
     *                  the store or serve is down (see {@link LazyApprovals})
     * @param audit     the audit settings that service was made with: whether allows need the store at all
     * @param cacheSize the most decisions each dialect's gate keeps
     */
    public Checkpoint(Policy policy, Supplier<? extends RequesterPort> approvals, AuditSettings audit, int cacheSize) {
        for (Dialect d : Dialect.values()) {
            // Catalog-free base gates: each client binds its own live catalog and shares the decision cache.
            gates.put(d, new Gate(new Analyzer(d, Catalog.EMPTY), policy, cacheSize));
        }
        this.approvals = approvals;
        this.auditAllows = audit.allows() != AuditSettings.AllowMode.OFF;
    }

    public Policy policy() {
        return gates.get(Dialect.POSTGRES).policy();
    }

    /** A client's view through its own catalog (a connection's live metadata), sharing the decision cache. */
    public ClientCheckpoint forClient(Dialect dialect, Catalog catalog) {
        return new ClientCheckpoint(this, gates.get(dialect), catalog);
    }

    /**
     * Early classification (prepare, nativeSQL): only a denial acts, and it is audited here, since no execute
     * follows it (the proxy discards the rest of the batch, the driver throws from prepare). Opens nothing.
     */
    Outcome classify(Gate gate, String sql, String defaultSchema, Caller caller) {
        return classify(gate, sql, defaultSchema, null, caller);
    }

    /** @param sessionUser the database user the session logged in as, or null when the front end does not know it */
    Outcome classify(Gate gate, String sql, String defaultSchema, String sessionUser, Caller caller) {
        Decision decision;
        try {
            decision = gate.decide(sql, defaultSchema, sessionUser, caller.principal());
        } catch (RuntimeException e) {
            return failed("the policy engine failed", e);
        }
        if (decision.verdict() instanceof Verdict.Deny deny) {
            return denied(decision, deny, sql, List.of(), caller, gate.dialect());
        }
        return Verdicts.atPrepare(decision.verdict());
    }

    /**
     * Hot path: for an allowed statement one cached {@link Gate#decideForVerdict} and a type test; nothing else is
     * allocated unless allows are audited.
     *
     * @param parameters bound values by position (null or empty for none); rendered only when held, denied
     *                   or audited
     */
    Outcome check(Gate gate, String sql, List<?> parameters, String defaultSchema, Caller caller) {
        return check(gate, sql, parameters, defaultSchema, null, caller);
    }

    /** @param sessionUser the database user the session logged in as, or null when the front end does not know it */
    Outcome check(Gate gate, String sql, List<?> parameters, String defaultSchema, String sessionUser, Caller caller) {
        Decision decision;
        try {
            decision = gate.decideForVerdict(sql, defaultSchema, sessionUser, caller.principal());
            if (!auditAllows && decision.verdict() instanceof Verdict.Allow && decision.rowLimits().isEmpty()) {
                return Outcome.ALLOW;
            }
            // Anything else is shown, audited, held or counted: with this statement's own text.
            decision = Gate.reporting(decision, sql);
        } catch (RuntimeException e) {
            return failed("the policy engine failed", e);
        }
        if (!decision.rowLimits().isEmpty()) {
            return limited(decision, sql, parameters, defaultSchema, caller, gate.dialect(), gate.catalog());
        }
        return settle(decision, sql, parameters, defaultSchema, caller, gate.dialect());
    }

    // ---------------------------------------------------------------- writes limited by their rows (RowGuard)

    /**
     * A write the policy limits by its rows. A front end that counts gets it allowed under a {@link RowGuard} (when
     * another rule holds it, once an approval exists; without one it is held first, unrun, with the planner's
     * estimate, and its approved run is guarded). One that does not count, or a write to a table whose writes a
     * rollback may not undo ({@link ForeignWrites}), gets the limits' actions at once: never run to be counted, held
     * ones are approved as they are (their approved run is not guarded either, since it could not be undone).
     *
     * @param catalog the client's catalog, which tells foreign tables
     */
    private Outcome limited(Decision decision, String sql, List<?> parameters, String defaultSchema, Caller caller,
                            Dialect dialect, Catalog catalog) {
        if (!caller.rows().counts()) {
            Decision strict = decision.uncounted("this front end does not count the rows of writes");
            return settle(strict, sql, parameters, defaultSchema, caller, dialect);
        }
        String cannotUndo;
        try {
            cannotUndo = ForeignWrites.reason(decision, catalog);
        } catch (RuntimeException e) {
            return failed("the catalog could not be read", e);
        }
        if (cannotUndo != null) {
            return settle(decision.uncounted(cannotUndo), sql, parameters, defaultSchema, caller, dialect);
        }
        long lowest = decision.rowLimits().lowest();
        return withStore(() -> switch (decision.verdict()) {
                case Verdict.Deny deny -> denied(decision, deny, sql, parameters, caller, dialect);
                case Verdict.Allow allow -> new Outcome.Allow(new RowGuard(this, caller, dialect, defaultSchema,
                        List.of(new RowGuard.Part(decision, sql, parameters, null, null, false)), lowest));
                case Verdict.Review review -> {
                    // Held by another rule: never run before an approval. An existing approval lets it run, counted.
                    Submission submission = submission(decision, sql, parameters, defaultSchema, caller, dialect, null);
                    RequesterPort.Approval best = null;
                    for (RequesterPort.Approval a : approvals.get().approvedFor(submission)) {
                        if (best == null || measuredRows(a.impact()) > measuredRows(best.impact())) {
                            best = a;
                        }
                    }
                    if (best != null) {
                        long allowed = Math.max(lowest, measuredRows(best.impact()));
                        yield new Outcome.Allow(new RowGuard(this, caller, dialect, defaultSchema, List.of(
                                new RowGuard.Part(decision, sql, parameters, best.requestId(), best.impact(), false)),
                                allowed));
                    }
                    RowGuard unrun = new RowGuard(this, caller, dialect, defaultSchema,
                            List.of(new RowGuard.Part(decision, sql, parameters, null, null, false)), lowest);
                    yield open(review, submission.withImpact(estimate(decision, parameters, caller, dialect)), unrun);
                }
            });
    }

    /** The rows an approval's approvers saw counted; -1 when they saw none. */
    private static long measuredRows(Impact impact) {
        return impact != null && impact.basis() == Impact.Basis.MEASURED ? impact.rows() : -1;
    }

    /** {@link RowGuard#counted}: within its limit it stands (using its approval); over it, the count decides. */
    Outcome counted(RowGuard guard, long rows) {
        return withStore(() -> {
            if (rows <= guard.limit() && claimAll(guard)) {
                if (auditAllows) {
                    audit(guard.decision(), guard.sql(), guard.parameters(), guard.caller(), guard.dialect());
                }
                return Outcome.ALLOW;
            }
            return over(guard, guard.decision().atRows(rows), Impact.measured(rows), rows);
        });
    }

    /** {@link RowGuard#uncounted}: runs under an approval given without a count, or gets its limits' actions. */
    Outcome uncounted(RowGuard guard, String why) {
        return withStore(() -> {
            boolean approved = true;
            for (RowGuard.Part p : guard.parts()) {
                approved &= p.approvedUncounted();
            }
            if (approved && claimAll(guard)) {
                return Outcome.ALLOW;
            }
            Decision strict = guard.decision().uncounted(why);
            return over(guard, strict, estimate(strict, guard.parameters(), guard.caller(), guard.dialect()), -1);
        });
    }

    /** Work with the approvals store: any failure of it refuses the statement, never allows it. */
    private static Outcome withStore(Supplier<Outcome> work) {
        try {
            return work.get();
        } catch (dev.gatehouse.approvals.store.StoreRefusedException e) {
            // The store is up and said no to this request (a value it cannot hold): not "try again later".
            return failed("the approvals store refused to keep this statement's request", e);
        } catch (RuntimeException e) {
            return failed("the approvals store is unavailable", e);
        }
    }

    /** Claims every approval the guard's run uses and has not claimed yet; false when one is gone. */
    private boolean claimAll(RowGuard guard) {
        for (RowGuard.Claim c : guard.claims()) {
            if (!approvals.get().claim(c.requestId(), c.submission())) {
                return false;
            }
        }
        for (RowGuard.Part p : guard.parts()) {
            if (p.approvalId() != null && !p.claimed()) {
                Submission s = submission(p.decision(), p.sql(), p.parameters(), guard.defaultSchema(),
                        guard.caller(), guard.dialect(), null);
                if (!approvals.get().claim(p.approvalId(), s)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The decision the count (or its absence, {@code rows} -1) gave: denied, or held with what it would touch (an
     * approval of at least this count, or given without a count for an uncounted run, is used instead).
     */
    private Outcome over(RowGuard guard, Decision decision, Impact impact, long rows) {
        String sql = guard.sql();
        List<?> parameters = guard.parameters();
        return switch (decision.verdict()) {
            case Verdict.Allow allow -> Outcome.ALLOW;
            case Verdict.Deny deny -> denied(decision, deny, sql, parameters, guard.caller(), guard.dialect());
            case Verdict.Review review -> {
                Submission s = submission(decision, sql, parameters, guard.defaultSchema(), guard.caller(),
                        guard.dialect(), impact);
                RequesterPort service = approvals.get();
                for (RequesterPort.Approval a : service.approvedFor(s)) {
                    boolean covers = rows >= 0 ? measuredRows(a.impact()) >= rows : measuredRows(a.impact()) < 0;
                    if (covers && service.claim(a.requestId(), s)) {
                        yield Outcome.ALLOW;
                    }
                }
                yield open(review, s, guard);
            }
        };
    }

    /**
     * Opens (or joins) the request, whose approved run is guarded: within the count its approvers saw, or the
     * guard's own limit when they saw none.
     */
    private Outcome open(Verdict.Review review, Submission submission, RowGuard guard) {
        RequesterPort service = approvals.get();
        RequesterPort.Opened ticket = service.open(submission);
        // A joined request shows what its first submitter counted: the approved run stays within that.
        Impact shown = ticket.impact();
        long seen = measuredRows(shown);
        return review(review, submission, ticket.requestId(), guard.caller(),
                guard.rerun(seen >= 0 ? seen : guard.limit(), shown, new RowGuard.Claim(ticket.requestId(), submission)));
    }

    /** What a held statement would touch by the planner's estimate, when it may be explained; never throws. */
    private static Impact estimate(Decision decision, List<?> parameters, Caller caller, Dialect dialect) {
        String refused = Explain.refusal(decision);
        if (refused != null) {
            return Impact.unknown("not estimated: " + refused);
        }
        try {
            String plan = caller.rows().plan(Explain.prefix(dialect), parameters);
            return plan == null ? Impact.unknown("this front end does not estimate") : Explain.impact(dialect, plan);
        } catch (Exception e) {
            return Impact.unknown("the estimate failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static Submission submission(Decision decision, String sql, List<?> parameters, String defaultSchema,
                                         Caller caller, Dialect dialect, Impact impact) {
        return new Submission(caller.principal().name(), caller.principal().actingFor(), caller.source(), sql,
                ParameterText.of(parameters), decision, ANALYZER_VERSION, defaultSchema, dialect, impact);
    }

    /** The request a waiter holds on: its mode (the client's own, else the rules'), its hold and what follows. */
    private Outcome.Review review(Verdict.Review review, Submission submission, String requestId, Caller caller,
                                  RowGuard rerun) {
        List<String> ruleIds = Verdicts.enforcing(review.hits(), Action.REVIEW);
        HoldMode mode = caller.holdMode() != null ? caller.holdMode() : review.review().onHold();
        RequesterPort service = approvals.get();
        return new Outcome.Review(requestId, service.approvalUrl(requestId), mode,
                new RequestHold(service, requestId, submission, ruleIds, rerun == null), review.reason(), ruleIds,
                rerun);
    }

    private Outcome settle(Decision decision, String sql, List<?> parameters, String defaultSchema, Caller caller,
                           Dialect dialect) {
        return withStore(() -> switch (decision.verdict()) {
            case Verdict.Allow allow -> {
                audit(decision, sql, parameters, caller, dialect);
                yield Outcome.ALLOW;
            }
            case Verdict.Deny deny -> denied(decision, deny, sql, parameters, caller, dialect);
            case Verdict.Review review -> held(decision, review, sql, parameters, defaultSchema, caller, dialect);
        });
    }

    private Outcome denied(Decision decision, Verdict.Deny deny, String sql, List<?> parameters, Caller caller,
                           Dialect dialect) {
        Outcome.Deny outcome = new Outcome.Deny(deny.reason(), Verdicts.enforcing(deny.hits(), Action.DENY));
        try {
            audit(decision, sql, parameters, caller, dialect);
        } catch (RuntimeException e) {
            // Still a denial: the statement must not run whether or not the audit could record it.
            return new Outcome.Deny(deny.reason() + " (the denial could not be audited: "
                    + e.getClass().getSimpleName() + ")", outcome.ruleIds());
        }
        return outcome;
    }

    private Outcome held(Decision decision, Verdict.Review review, String sql, List<?> parameters, String defaultSchema,
                         Caller caller, Dialect dialect) {
        Submission submission = submission(decision, sql, parameters, defaultSchema, caller, dialect, null);
        RequesterPort service = approvals.get();
        // The identical re-run after approval: this caller consumes it, so it runs now, once. In WAIT mode too:
        // a waiter whose wait ended before the approval (store blip, instance killed, client time-out) re-sends,
        // and must not need a second approval while the first lapses unused. A live waiter of the same request
        // races the re-send for the one claim; the loser is told the approval was used.
        Optional<String> claimed = service.claimApproved(submission);
        if (claimed.isPresent()) {
            return Outcome.ALLOW;
        }
        // Approvers see what it would touch: the planner's estimate, asked on the session's own connection.
        submission = submission.withImpact(estimate(decision, parameters, caller, dialect));
        RequesterPort.Opened ticket = service.open(submission);
        return review(review, submission, ticket.requestId(), caller, null);
    }

    private void audit(Decision decision, String sql, List<?> parameters, Caller caller, Dialect dialect) {
        approvals.get().auditDecision(DecisionAudit.of(caller.principal().name(), caller.principal().actingFor(),
                caller.source(), sql, ParameterText.of(parameters), decision, ANALYZER_VERSION, dialect));
    }

    private static Outcome.Failed failed(String what, RuntimeException e) {
        return new Outcome.Failed(what + " (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); refused, failing closed", e);
    }

    private static String analyzerVersion() {
        String v = Analyzer.class.getPackage().getImplementationVersion();
        return "gatehouse-sql-policy " + (v == null ? "dev" : v);
    }
}
