package dev.gatehouse.enforce.checkpoint;

import java.util.List;

/**
 * How a wait on a {@link Hold} ended. A closed set: the driver switches over it exhaustively.
 *
 * <p>Threads: Immutable values; made by the hold on the waiting thread.
 */
public sealed interface Resolution
        permits Resolution.Approved, Resolution.Denied, Resolution.Expired, Resolution.StillPending {

    /** Approved, and the approval claimed by this waiter: the statement runs now, once. */
    record Approved() implements Resolution {
    }

    /** An approver denied it. */
    record Denied(String reason, List<String> ruleIds) implements Resolution {
        public Denied {
            ruleIds = List.copyOf(ruleIds);
        }
    }

    /** The request expired (or was withdrawn elsewhere) undecided. */
    record Expired() implements Resolution {
    }

    /** The wait's time ran out; the request is still open. */
    record StillPending() implements Resolution {
    }
}
