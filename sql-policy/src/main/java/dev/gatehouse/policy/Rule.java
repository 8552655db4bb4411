package dev.gatehouse.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * One rule of a policy.
 *
 * @param review what a held statement needs when this rule asks for review; for other actions the defaults
 *               (any approver, quorum 1), used when fail-closed handling turns a possible match into a review
 * @param reason text shown to the user when this rule holds or denies a statement; may be empty
 * @param shadow the rule (or its whole policy) is in shadow mode: evaluated and reported, never enforced
 * @param maxRows null, or the rows a write it matches may touch before {@code action} applies ({@code max_rows})
 */
public record Rule(String id, Match match, Optional<Match> except, Action action, ReviewSpec review,
                   String reason, boolean shadow, Long maxRows) {
    /** A rule without {@code max_rows}: its action applies whenever it matches. */
    public Rule(String id, Match match, Optional<Match> except, Action action, ReviewSpec review, String reason,
                boolean shadow) {
        this(id, match, except, action, review, reason, shadow, null);
    }

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(except, "except");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(review, "review");
        Objects.requireNonNull(reason, "reason");
        if (maxRows != null && (maxRows < 0 || action == Action.ALLOW)) {
            throw new IllegalArgumentException("max_rows is at least 0, on a rule that reviews or denies");
        }
    }
}
