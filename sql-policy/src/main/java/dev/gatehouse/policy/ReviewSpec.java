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

    public ReviewSpec {
        approverGroups = Set.copyOf(approverGroups);
        if (quorum < 1) {
            throw new IllegalArgumentException("quorum must be at least 1");
        }
    }

    /** How a client is held: block until decided, or fail at once with the request id and retry after approval. */
    public enum HoldMode { WAIT, FAIL }
}
