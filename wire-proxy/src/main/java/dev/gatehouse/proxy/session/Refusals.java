package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.refusal.Refusal;
import dev.gatehouse.enforce.refusal.SqlStates;
import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;
import dev.gatehouse.proxy.protocol.frontend.Parse;
import dev.gatehouse.proxy.protocol.frontend.Query;

import java.io.IOException;

/**
 * Puts a refusal where a statement stood by sending the server a deliberate failure in its place (see
 * {@link PendingRefusal}): the relay gives the client the refusal instead of the server's error, so answers stay
 * in order and the server's transaction ends up as after a real error. Threads: the session's client reader.
 */
final class Refusals {
    /** Appears in the server's syntax error for the deliberate failure; never in an ordinary error. */
    static final String TOKEN_PREFIX = "gatehouse_refusal_";

    private final Upstream upstream;
    private final Batch batch;
    private final SessionSettings settings;
    private long count;

    Refusals(Upstream upstream, Batch batch, SessionSettings settings) {
        this.upstream = upstream;
        this.batch = batch;
        this.settings = settings;
    }

    /** A refusal as the client reads it: the enforcement core's SQLSTATE, message, detail and hint. */
    static ErrorResponse error(Refusal refusal) {
        return new ErrorResponse("ERROR", refusal.sqlState(), refusal.message(), refusal.detail(), refusal.hint());
    }

    /** The same, ending the connection (a refused startup: nothing ran, and there is no session to go on with). */
    static ErrorResponse fatal(Refusal refusal) {
        return new ErrorResponse("FATAL", refusal.sqlState(), refusal.message(), refusal.detail(), refusal.hint());
    }

    static ErrorResponse protocolViolation(String message) {
        return new ErrorResponse("FATAL", SqlStates.PROTOCOL_VIOLATION, message, null, null);
    }

    /**
     * SQL that fails at parse time with a syntax error naming {@code token}. Parse-time, so it runs nothing,
     * and in a transaction block it aborts the block as the refused statement's own error would have.
     */
    static String failingSql(String token) {
        return "/* Gatehouse refused a statement here; the client sees that refusal, not this error */ " + token;
    }

    /**
     * Answers {@code refusal} in place of the statement. In the extended protocol nothing from the first
     * undecided Bind on reaches the server, and the rest of the batch up to Sync is then discarded, as
     * PostgreSQL itself does after an error.
     */
    void refuse(Refusal refusal, boolean extendedQuery) throws IOException {
        String token = TOKEN_PREFIX + (++count);
        upstream.tracker.expectRefusal(new PendingRefusal(token, error(refusal).encode(settings.charset())));
        String sql = failingSql(token);
        if (extendedQuery) {
            Frame cut = batch.firstUndecidedBind();
            batch.undecided.clear();
            upstream.out.releaseHeldBefore(cut);
            upstream.changing(NamespaceChange.REFUSAL);
            upstream.out.write(Parse.encode("gatehouse_refusal", sql));
            batch.discarding = true;
        } else {
            upstream.tracker.sent(batch.end(false)); // a Query ends any open batch, as a Sync does
            upstream.out.write(Query.encode(sql));
        }
        upstream.out.flush();
    }
}
