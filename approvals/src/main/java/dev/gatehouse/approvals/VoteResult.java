package dev.gatehouse.approvals;

/** What happened to a vote. A closed set; the HTTP API maps each to its status code. */
public sealed interface VoteResult permits VoteResult.Recorded, VoteResult.NotFound, VoteResult.NotEligible,
        VoteResult.AlreadyDecided, VoteResult.AlreadyVoted {

    /** Kept; {@code request} is the state after it (approved, denied, or still pending). */
    record Recorded(ApprovalRequest request) implements VoteResult {
    }

    record NotFound(String requestId) implements VoteResult {
    }

    /** Not eligible or self-approval; {@code reason} says which. */
    record NotEligible(String reason) implements VoteResult {
    }

    record AlreadyDecided(RequestState state) implements VoteResult {
    }

    record AlreadyVoted(String approver) implements VoteResult {
    }
}
