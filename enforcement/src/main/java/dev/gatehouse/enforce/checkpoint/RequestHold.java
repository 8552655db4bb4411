package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.Submission;

import java.time.Duration;
import java.util.List;

/**
 * The hold for one opened (or joined) request: waits through the requester's port and claims the approval
 * on the waiter's behalf, so {@link Resolution.Approved} always means "this caller, and nobody else, runs it".
 *
 * <p>Threads: {@link #await} on the submitting thread; {@link #withdraw} from any thread (a cancel), while
 * {@code await} blocks. Store failures propagate from {@code await} as unchecked exceptions: the front end
 * then refuses the statement (fail closed).
 */
final class RequestHold implements Hold {
    private final RequesterPort approvals;
    private final String requestId;
    private final Submission submission;
    private final List<String> ruleIds;

    RequestHold(RequesterPort approvals, String requestId, Submission submission, List<String> ruleIds) {
        this.approvals = approvals;
        this.requestId = requestId;
        this.submission = submission;
        this.ruleIds = ruleIds;
    }

    @Override
    public Resolution await(Duration max) throws InterruptedException {
        return switch (approvals.await(requestId, max)) {
            // Approved for everyone who joined: only the one that wins the claim may run it.
            case dev.gatehouse.approvals.Outcome.Approved a -> approvals.claim(requestId, submission)
                    ? new Resolution.Approved() : new Resolution.Expired();
            case dev.gatehouse.approvals.Outcome.Denied d -> new Resolution.Denied(d.reason(), ruleIds);
            case dev.gatehouse.approvals.Outcome.Expired e -> new Resolution.Expired();
            case dev.gatehouse.approvals.Outcome.Withdrawn w -> new Resolution.Expired();
            case dev.gatehouse.approvals.Outcome.TimedOut t -> new Resolution.StillPending();
        };
    }

    @Override
    public void withdraw() {
        try {
            approvals.withdraw(requestId, "the client stopped waiting");
        } catch (RuntimeException storeDown) {
            // Nothing runs either way; the request expires on its own when the store is back.
        }
    }
}
