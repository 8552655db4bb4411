package dev.gatehouse.policy;

import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.StatementInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Human-readable explanations of decisions, for people reading test output, approval requests and logs.
 * One place so every surface explains a decision the same way. Stateless and thread-safe.
 */
public final class Explanation {
    private Explanation() {
    }

    /** The lower-case word users see: {@code allow}, {@code review} or {@code deny}. */
    public static String word(Action action) {
        return action.name().toLowerCase(Locale.ROOT);
    }

    /** Rule ids of the hits, enforcing ({@code shadow == false}) or shadow ones, each once, in hit order. */
    public static List<String> ruleIds(List<RuleHit> hits, boolean shadow) {
        List<String> ids = new ArrayList<>();
        for (RuleHit hit : hits) {
            if (hit.shadow() == shadow && !ids.contains(hit.ruleId())) {
                ids.add(hit.ruleId());
            }
        }
        return ids;
    }

    /** The reason a verdict gives, empty for an allow. */
    public static String reason(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Allow allow -> "";
            case Verdict.Review review -> review.reason();
            case Verdict.Deny deny -> deny.reason();
        };
    }

    /** One hit as {@code rule-id (deny, shadow): kind DDL, table billing.invoices}. */
    public static String hit(RuleHit hit) {
        return hit.ruleId() + " (" + word(hit.action()) + (hit.shadow() ? ", shadow" : "") + "): " + String.join(", ", hit.facts());
    }

    /** A few lines describing what was decided for one statement and why. */
    public static List<String> lines(StatementDecision decision) {
        StatementInfo s = decision.statement();
        Verdict v = decision.verdict();
        List<String> lines = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (s.kinds().contains(k)) {
                kinds.add(k.name());
            }
        }
        lines.add(word(v.action()) + ": " + s.operation() + " [" + String.join(", ", kinds) + "]"
                + (s.unbounded() ? ", unbounded" : "") + (s.lineageComplete() ? "" : ", lineage incomplete"));
        if (v.hits().isEmpty()) {
            lines.add("no rule matched");
        }
        for (RuleHit hit : v.hits()) {
            lines.add("rule " + hit(hit));
        }
        for (RowLimit limit : decision.rowLimits().limits()) {
            lines.add("max_rows " + limit.maxRows() + " (" + limit.name() + "): " + word(limit.action())
                    + " when it touches more rows");
        }
        String reason = reason(v);
        if (!reason.isEmpty()) {
            lines.add("reason: " + reason);
        }
        for (String note : s.notes()) {
            lines.add("note: " + note);
        }
        return lines;
    }
}
