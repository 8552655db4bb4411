package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.protocol.backend.ErrorResponse;

import java.util.List;

/**
 * The errors the proxy answers in place of a statement, and the deliberate failure it sends the server for
 * each (see {@link PendingRefusal}). Runs on the session's client-reader thread.
 */
final class Refusal {
    /** Appears in the server's syntax error for the deliberate failure; never in an ordinary error. */
    static final String TOKEN_PREFIX = "gatehouse_refusal_";

    static final String DENIED = "42501";
    static final String REVIEW_PENDING = "ZG001";
    static final String REVIEW_EXPIRED = "ZG002";
    static final String GUARD_FAILED = "ZG003";
    static final String QUERY_CANCELED = "57014";
    static final String PROGRAM_LIMIT = "54000";
    static final String PROTOCOL_VIOLATION = "08P01";
    static final String UNREADABLE = "22021";

    private Refusal() {
    }

    /**
     * SQL that fails at parse time with a syntax error naming {@code token}. Parse-time, so it runs nothing,
     * and in a transaction block it aborts the block as the refused statement's own error would have.
     */
    static String failingSql(String token) {
        return "/* Gatehouse refused a statement here; the client sees that refusal, not this error */ " + token;
    }

    static ErrorResponse denied(String reason, List<String> ruleIds) {
        String rules = ruleIds.isEmpty() ? "" : " (rules: " + String.join(", ", ruleIds) + ")";
        return new ErrorResponse("ERROR", DENIED, "Gatehouse denied the statement" + rules + ": " + reason,
                null, null);
    }

    static ErrorResponse pending(String requestId, String url, String reason) {
        return new ErrorResponse("ERROR", REVIEW_PENDING,
                "Gatehouse holds the statement for review: request " + requestId + " (" + reason + ")",
                "Approve it at " + url, "Run the identical statement again once it is approved.");
    }

    static ErrorResponse expired(String requestId) {
        return new ErrorResponse("ERROR", REVIEW_EXPIRED,
                "Gatehouse review request " + requestId + " expired or was withdrawn undecided", null, null);
    }

    /** @param reason the guard's own account (store down, engine failure), or null when it threw */
    static ErrorResponse guardFailed(String reason) {
        return new ErrorResponse("ERROR", GUARD_FAILED,
                "Gatehouse could not decide on the statement, so it was refused", reason, null);
    }

    /** Text the proxy cannot read as the server will (PostgreSQL's own code for an unreadable byte sequence). */
    static ErrorResponse unreadable(String why) {
        return new ErrorResponse("ERROR", UNREADABLE, "Gatehouse cannot read the statement's text, so it was refused",
                why, "use client_encoding UTF8 or another encoding Gatehouse reads");
    }

    static ErrorResponse canceled(String why) {
        return new ErrorResponse("ERROR", QUERY_CANCELED, why, null, null);
    }

    static ErrorResponse protocolViolation(String message) {
        return new ErrorResponse("FATAL", PROTOCOL_VIOLATION, message, null, null);
    }
}
