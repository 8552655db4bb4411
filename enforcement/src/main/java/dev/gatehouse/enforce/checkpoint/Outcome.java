package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.policy.ReviewSpec.HoldMode;

import java.util.List;
import java.util.Objects;

/**
 * The checkpoint's answer for one submission, shared by the JDBC driver and the wire proxy. A closed set:
 * front ends switch over it exhaustively and run the statement only on {@link Allow}.
 *
 * <p>Threads: Immutable values; made on the submitting thread, read by it.
 */
public sealed interface Outcome permits Outcome.Allow, Outcome.Deny, Outcome.Review, Outcome.Failed {

    /** The one allow instance: the hot path allocates nothing for it. */
    Allow ALLOW = new Allow();

    /** Run it. */
    record Allow() implements Outcome {
    }

    /**
     * Never run it: the policy (or its fail-closed default) denied it. The driver raises SQLSTATE 42501 with the reason and rule ids.
     *
     * @param ruleIds the enforcing rules that denied (empty when a default denied)
     */
    record Deny(String reason, List<String> ruleIds) implements Outcome {
        public Deny {
            Objects.requireNonNull(reason, "reason");
            ruleIds = List.copyOf(ruleIds);
        }
    }

    /**
     * Held for people to approve. The request is already open (or joined, for an identical pending one).
     *
     * @param requestId   the approvals request id
     * @param approvalUrl where an approver decides it (shown to the user in FAIL mode)
     * @param mode        WAIT: block until decided; FAIL: raise at once, re-run after approval
     * @param hold        the handle the driver waits on and withdraws through
     */
    record Review(String requestId, String approvalUrl, HoldMode mode, Hold hold, String reason,
                  List<String> ruleIds) implements Outcome {
        public Review {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(hold, "hold");
            ruleIds = List.copyOf(ruleIds);
        }
    }

    /**
     * Never run it: Gatehouse could not decide (approvals store down, audit not writable, internal error).
     * Kept apart from {@link Deny} so clients can tell "forbidden" from "try again later" (driver: ZG003).
     */
    record Failed(String reason, Throwable cause) implements Outcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
