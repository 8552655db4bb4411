package dev.gatehouse.approvals;

/**
 * How a wait for a decision ended. A closed set: the driver and the proxy switch over it exhaustively and run
 * the statement only on {@link Approved}, after claiming it.
 */
public sealed interface Outcome permits Outcome.Approved, Outcome.Denied, Outcome.Expired, Outcome.Withdrawn,
        Outcome.TimedOut {

    String requestId();

    /** Quorum reached; the approval may still need claiming (see {@code ApprovalService#claim}). */
    record Approved(String requestId) implements Outcome {
    }

    /** An eligible approver denied it. */
    record Denied(String requestId, String reason) implements Outcome {
    }

    /** Nobody decided in time, or the approval ran out unused (or was already consumed). */
    record Expired(String requestId, String reason) implements Outcome {
    }

    /** The client gave up. */
    record Withdrawn(String requestId) implements Outcome {
    }

    /** The bounded wait ended first; the request is still pending. */
    record TimedOut(String requestId) implements Outcome {
    }
}
