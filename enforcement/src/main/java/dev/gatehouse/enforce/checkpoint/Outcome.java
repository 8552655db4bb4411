package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.policy.ReviewSpec.HoldMode;

import java.util.List;
import java.util.Objects;

/**
 * The checkpoint's answer for one submission, shared by the JDBC driver and the wire proxy. A closed set:
 * front ends switch over it exhaustively and run the statement only on {@link Allow} (inside a savepoint when
 * it carries a {@link RowGuard}).
 *
 * <p>Threads: Immutable values; made on the submitting thread, read by it.
 */
public sealed interface Outcome permits Outcome.Allow, Outcome.Deny, Outcome.Review, Outcome.Failed {

    /** The one plain allow: the hot path allocates nothing for it. */
    Allow ALLOW = new Allow(null);

    /**
     * Run it. With {@code rows} null (the one {@link #ALLOW}): as it is. Otherwise the policy limits the rows the
     * write may touch: run it inside a savepoint and report its count to {@code rows} ({@link RowGuard}, whose
     * javadoc is the protocol). Only a front end whose {@link RowSight#counts()} is true gets such an allow.
     */
    record Allow(RowGuard rows) implements Outcome {
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
     * @param rerun       null: once approved, run it as it is. Otherwise the approved run is limited too: run it
     *                    under this guard, which accepts it within the approved count (or the policy's limits when
     *                    none was counted) and holds it again when it touches more
     */
    record Review(String requestId, String approvalUrl, HoldMode mode, Hold hold, String reason,
                  List<String> ruleIds, RowGuard rerun) implements Outcome {
        /** A review whose approved run is not limited. */
        public Review(String requestId, String approvalUrl, HoldMode mode, Hold hold, String reason,
                      List<String> ruleIds) {
            this(requestId, approvalUrl, mode, hold, reason, ruleIds, null);
        }

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
