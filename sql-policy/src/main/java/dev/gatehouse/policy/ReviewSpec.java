package dev.gatehouse.policy;

import java.time.Duration;
import java.util.Set;

/**
 * Who must approve a held statement and within what time. Merged over every enforcing review rule that
 * matched: the union of approver groups, the largest quorum, the shortest expiry.
 *
 * @param approverGroups groups from the policy's {@code approvers:} section; empty means any approver
 * @param quorum         distinct humans needed, at least 1
 * @param pendingTtl     how long the request may wait for votes
 * @param approvalTtl    how long an approval may wait to be used
 * @param onHold         what the client sees while the statement waits
 */
public record ReviewSpec(Set<String> approverGroups, int quorum, Duration pendingTtl, Duration approvalTtl, HoldMode onHold) {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
    /** Any approver, one vote, default expiries, the client waits: what a review asks for when no rule says more. */
    public static final ReviewSpec DEFAULT = new ReviewSpec(Set.of(), 1, DEFAULT_TTL, DEFAULT_TTL, HoldMode.WAIT);

    public ReviewSpec {
        approverGroups = Set.copyOf(approverGroups);
        if (quorum < 1) {
            throw new IllegalArgumentException("quorum must be at least 1");
        }
    }

    /**
     * Both specs at once, the stricter way on every axis: the union of approver groups, the larger quorum,
     * the shorter expiries, and FAIL when either says so (a client must not block on a rule that forbade it).
     */
    public ReviewSpec merge(ReviewSpec other) {
        java.util.Set<String> groups = new java.util.LinkedHashSet<>(approverGroups);
        groups.addAll(other.approverGroups);
        return new ReviewSpec(groups, Math.max(quorum, other.quorum), min(pendingTtl, other.pendingTtl),
                min(approvalTtl, other.approvalTtl), onHold == HoldMode.FAIL || other.onHold == HoldMode.FAIL ? HoldMode.FAIL : HoldMode.WAIT);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** How a client is held: block until decided, or fail at once with the request id and retry after approval. */
    public enum HoldMode { WAIT, FAIL }
}
