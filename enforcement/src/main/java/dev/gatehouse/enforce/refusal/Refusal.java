package dev.gatehouse.enforce.refusal;

import java.util.List;
import java.util.Objects;

/**
 * Why Gatehouse answers in place of a statement, with the SQLSTATE and the words every front end uses: the
 * proxy sends them as an ErrorResponse (message, detail, hint), the driver as a {@code SQLException}. A closed
 * set, so each front end maps it with one exhaustive switch and no code or message is written twice.
 * Messages name rules, reasons and request ids, never SQL text or bound values.
 *
 * <p>Threads: immutable values; any thread.
 */
public sealed interface Refusal {

    /** The SQLSTATE; {@link SqlStates#QUERY_CANCELED} is PostgreSQL's, the driver uses MySQL's own on MySQL. */
    String sqlState();

    /** The primary message, one line. */
    String message();

    /** More about it, or null. */
    default String detail() {
        return null;
    }

    /** What the user can do, or null. */
    default String hint() {
        return null;
    }

    /** Denied by the policy (or its fail-closed default). */
    record Denied(String reason, List<String> ruleIds) implements Refusal {
        public Denied {
            Objects.requireNonNull(reason, "reason");
            ruleIds = List.copyOf(ruleIds);
        }

        @Override
        public String sqlState() {
            return SqlStates.DENIED;
        }

        @Override
        public String message() {
            return "Gatehouse denied the statement" + rules(ruleIds) + ": " + reason;
        }
    }

    /** An approver denied the held statement. */
    record DeniedByApprover(String requestId, String reason, List<String> ruleIds) implements Refusal {
        public DeniedByApprover {
            ruleIds = List.copyOf(ruleIds);
        }

        @Override
        public String sqlState() {
            return SqlStates.DENIED;
        }

        @Override
        public String message() {
            return "Gatehouse denied the statement: an approver denied request " + requestId + rules(ruleIds)
                    + (reason == null || reason.isEmpty() ? "" : ": " + reason);
        }
    }

    /** Held for review in {@code fail} mode: the request is open; the identical statement runs once approved. */
    record Pending(String requestId, String approvalUrl, String reason, List<String> ruleIds) implements Refusal {
        public Pending {
            ruleIds = List.copyOf(ruleIds);
        }

        @Override
        public String sqlState() {
            return SqlStates.REVIEW_PENDING;
        }

        @Override
        public String message() {
            return "Gatehouse holds the statement for review: request " + requestId + rules(ruleIds)
                    + (reason == null ? "" : " (" + reason + ")");
        }

        @Override
        public String detail() {
            return "Approve it at " + approvalUrl;
        }

        @Override
        public String hint() {
            return "Run the identical statement again once it is approved.";
        }
    }

    /** The request expired, was withdrawn elsewhere, or its approval was used by another waiter. */
    record Expired(String requestId) implements Refusal {
        @Override
        public String sqlState() {
            return SqlStates.REVIEW_EXPIRED;
        }

        @Override
        public String message() {
            return "Gatehouse review request " + requestId + " expired or was withdrawn undecided; the statement did"
                    + " not run";
        }
    }

    /** The wait for approval ran out (maximum wait, query timeout): the request was withdrawn. */
    record TimedOut(String requestId) implements Refusal {
        @Override
        public String sqlState() {
            return SqlStates.QUERY_CANCELED;
        }

        @Override
        public String message() {
            return "canceling statement: the wait for approval of request " + requestId + " ran out (maximum wait"
                    + " or query timeout); the request was withdrawn and the statement did not run";
        }
    }

    /** The client cancelled the held statement: the request was withdrawn. */
    record Cancelled(String requestId) implements Refusal {
        @Override
        public String sqlState() {
            return SqlStates.QUERY_CANCELED;
        }

        @Override
        public String message() {
            return "canceling statement due to user request: cancelled while waiting for approval of request "
                    + requestId + "; the request was withdrawn and the statement did not run";
        }
    }

    /** Gatehouse could not decide (engine, catalog or store failed): refused, failing closed. */
    record Undecided(String reason) implements Refusal {
        @Override
        public String sqlState() {
            return SqlStates.GUARD_FAILED;
        }

        @Override
        public String message() {
            return "Gatehouse could not decide on the statement, so it was refused";
        }

        @Override
        public String detail() {
            return reason;
        }
    }

    /** Text Gatehouse cannot read as the server will read it. */
    record Unreadable(String why, String remedy) implements Refusal {
        @Override
        public String sqlState() {
            return SqlStates.UNREADABLE;
        }

        @Override
        public String message() {
            return "Gatehouse cannot read the statement's text, so it was refused";
        }

        @Override
        public String detail() {
            return why;
        }

        @Override
        public String hint() {
            return remedy;
        }
    }

    /** A per-session bound was reached (prepared statements, portals). */
    record TooMany(String what, int limit) implements Refusal {
        @Override
        public String sqlState() {
            return SqlStates.PROGRAM_LIMIT;
        }

        @Override
        public String message() {
            return "Gatehouse allows at most " + limit + " " + what + " per session";
        }
    }

    private static String rules(List<String> ruleIds) {
        return ruleIds.isEmpty() ? "" : " (rules: " + String.join(", ", ruleIds) + ")";
    }
}
