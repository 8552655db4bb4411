package dev.gatehouse.proxy.guard;

import dev.gatehouse.policy.ReviewSpec.HoldMode;

import java.util.List;
import java.util.Objects;

/** A guard's answer for one execution. A closed set: the proxy switches over it exhaustively. */
public sealed interface Outcome permits Outcome.Allow, Outcome.Deny, Outcome.Review {

    /** The one allow instance: the hot path allocates nothing for it. */
    Allow ALLOW = new Allow();

    /** Send it. */
    record Allow() implements Outcome {
    }

    /**
     * Never send it. The proxy answers SQLSTATE 42501 with the reason and rule ids.
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
     * @param approvalUrl where an approver decides it (sent to the client in a notice)
     * @param mode        WAIT: hold the statement until decided; FAIL: answer an error at once
     * @param hold        the handle the proxy waits on and withdraws through
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
}
