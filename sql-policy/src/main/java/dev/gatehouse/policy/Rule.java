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
 */
public record Rule(String id, Match match, Optional<Match> except, Action action, ReviewSpec review,
                   String reason, boolean shadow) {
    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(except, "except");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(review, "review");
        Objects.requireNonNull(reason, "reason");
    }
}
