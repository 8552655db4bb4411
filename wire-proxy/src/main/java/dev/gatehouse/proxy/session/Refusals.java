package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.refusal.Refusal;
import dev.gatehouse.enforce.refusal.SqlStates;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;

/**
 * The proxy's form of the enforcement core's refusals (an ErrorResponse with the core's SQLSTATE, message,
 * detail and hint), and the deliberate failure it sends the server for each (see {@link PendingRefusal}).
 * Runs on the session's client-reader thread.
 */
final class Refusals {
    /** Appears in the server's syntax error for the deliberate failure; never in an ordinary error. */
    static final String TOKEN_PREFIX = "gatehouse_refusal_";

    private Refusals() {
    }

    /**
     * SQL that fails at parse time with a syntax error naming {@code token}. Parse-time, so it runs nothing,
     * and in a transaction block it aborts the block as the refused statement's own error would have.
     */
    static String failingSql(String token) {
        return "/* Gatehouse refused a statement here; the client sees that refusal, not this error */ " + token;
    }

    static ErrorResponse of(Refusal refusal) {
        return new ErrorResponse("ERROR", refusal.sqlState(), refusal.message(), refusal.detail(), refusal.hint());
    }

    static ErrorResponse protocolViolation(String message) {
        return new ErrorResponse("FATAL", SqlStates.PROTOCOL_VIOLATION, message, null, null);
    }
}
