package dev.gatehouse.approvals.hooks;

import java.util.Objects;

/**
 * A vote that arrived by web hook and passed signature, timestamp and replay checks. It says only who
 * claims to vote how; the caller still checks that {@code approver} is eligible, exactly like a vote cast
 * on the page.
 *
 * @param requestId the approval request voted on
 * @param approver the Gatehouse approver name (a Slack user already mapped to one)
 * @param approve true to approve, false to deny
 * @param reason the voter's reason; never null, may be empty
 * @param channel where it came from: {@code "slack"} or {@code "webhook"}
 *
 * <p>Immutable; any thread.
 */
public record InboundVote(String requestId, String approver, boolean approve, String reason, String channel) {

    public InboundVote {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(approver, "approver");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(channel, "channel");
    }
}
