package dev.gatehouse.policy;

import java.util.List;
import java.util.Objects;

/**
 * A limit on the table rows one write may touch, from a rule's {@code max_rows} or {@code defaults.max_rows}:
 * a write that touches more gets {@code action}. Only writes whose rows the server counts carry one
 * ({@link dev.gatehouse.sql.analysis.RowCount#COUNTED}); a write it cannot count gets the action at once.
 *
 * <p>Threads: immutable; any thread.
 *
 * @param maxRows rows the write may touch and still stand
 * @param action  {@link Action#REVIEW} or {@link Action#DENY}: what applies above the limit
 * @param ruleId  the rule's id, or null for {@code defaults.max_rows}
 * @param facts   what made the rule match (for the hit it becomes above the limit)
 * @param review  what a review asks for (the rule's; the default's for {@code defaults.max_rows})
 * @param reason  the words a verdict gives when the limit applies
 */
public record RowLimit(long maxRows, Action action, String ruleId, List<String> facts, ReviewSpec review,
                       String reason) {
    /** Stands for {@code defaults.max_rows} where a rule id would (reasons, approvers' summaries). */
    public static final String DEFAULT_NAME = "defaults.max_rows";

    public RowLimit {
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be at least 0");
        }
        if (action == Action.ALLOW) {
            throw new IllegalArgumentException("a row limit reviews or denies what goes over it");
        }
        Objects.requireNonNull(review, "review");
        Objects.requireNonNull(reason, "reason");
        facts = List.copyOf(facts);
    }

    /** The rule's id, or {@link #DEFAULT_NAME}. */
    public String name() {
        return ruleId == null ? DEFAULT_NAME : ruleId;
    }
}
