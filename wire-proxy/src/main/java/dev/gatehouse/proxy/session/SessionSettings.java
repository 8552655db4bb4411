package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.refusal.SqlStates;
import dev.gatehouse.enforce.guard.SessionState;
import dev.gatehouse.proxy.protocol.ClientCharset;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;
import dev.gatehouse.proxy.protocol.backend.ReadyForQuery;
import dev.gatehouse.enforce.session.SqlScan;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.Charset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The session's settings as the server last stated them, for the guard and for reading the client's text:
 * search_path and the current role (asked of the server with a probe when a statement may have changed them),
 * the transaction status (ReadyForQuery), application_name and client_encoding (ParameterStatus).
 *
 * <p>Threads: the client reader decides and probes; the server relay reports ReadyForQuery and ParameterStatus
 * ({@link #readyForQuery}, {@link #parameterStatus}), hence the atomic and volatile fields.
 */
final class SessionSettings {
    private final AtomicReference<SessionState> state = new AtomicReference<>();
    private final long maxWaitNanos;
    /** Authentication is over (the first ReadyForQuery came). */
    private volatile boolean ready;
    /** The last ReadyForQuery's transaction status: 'I' idle, 'T' in a block, 'E' in a failed block. */
    private volatile byte transactionStatus = ReadyForQuery.IDLE;
    /**
     * The client's client_encoding as the server last reported it (the server is the truth), for reading the
     * client's text and writing the proxy's own messages. Until the server's report at startup, the client's
     * startup parameter or UTF-8.
     */
    private volatile ClientCharset encoding = ClientCharset.UTF8;
    /**
     * A statement that may change client_encoding went to the server and its answer is not in: text sent after
     * it may be read by the server in another encoding. Set on the client reader before sending; read by the
     * relay (a report then is expected, not a change behind the policy's back).
     */
    private volatile boolean encodingUnsettled;

    // Client reader only.
    /** search_path or role may differ from what the proxy knows: ask the server before the next decision. */
    private boolean uncertain = true;
    /** A transaction block changed them: its end (COMMIT or ROLLBACK) may change them again. */
    private boolean touchedInBlock;

    /**
     * The session's search_path and current role, asked by the proxy. Everything schema-qualified or a keyword, so
     * no object of the session's search_path can stand in; it cannot fail but in an already failed block, so it
     * never aborts a transaction of the client's.
     */
    static final String PROBE_SQL = "SELECT pg_catalog.current_setting('search_path'), CURRENT_USER";

    SessionSettings(long maxWaitNanos) {
        this.maxWaitNanos = maxWaitNanos;
    }

    /** Client reader, before connecting upstream. */
    void begin(SessionState initial, String clientEncoding) {
        state.set(initial);
        encoding = ClientCharset.of(clientEncoding);
    }

    SessionState state() {
        return state.get();
    }

    boolean ready() {
        return ready;
    }

    ClientCharset encoding() {
        return encoding;
    }

    Charset charset() {
        return encoding.charset();
    }

    boolean encodingUnsettled() {
        return encodingUnsettled;
    }

    void encodingSettled(boolean settled) {
        encodingUnsettled = !settled;
    }

    /** Client reader: a statement that may change the session is about to be sent. */
    void mayChange(SqlScan scan) {
        if (touchedInBlock) {
            encodingUnsettled = true; // this statement may end the block, and a rollback reverts client_encoding
        }
        if (scan.touchesSession()) {
            uncertain = true;
            encodingUnsettled = true;
            if (state.get().inTransaction()) {
                touchedInBlock = true;
            }
        }
    }

    /**
     * Client reader: asks the server for search_path and the current role when they may have changed, at the
     * start of a group only (a query slipped into an open pipeline would end its implicit transaction). Its
     * answer is taken off the wire by the relay and never reaches the client.
     */
    void probeWhenUncertain(Upstream upstream, boolean discarding) throws IOException {
        if (!upstream.out.betweenGroups() || discarding) {
            return;
        }
        if (!uncertain && touchedInBlock) {
            upstream.awaitAnswers(); // has the block ended yet?
            uncertain = !state.get().inTransaction();
        }
        if (!uncertain) {
            return;
        }
        Intercept probe = upstream.ownGroup(PROBE_SQL);
        boolean answered;
        try {
            answered = probe.await(maxWaitNanos) && !probe.failed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking the server");
        }
        String path = answered ? probe.column(0, charset()) : null;
        String current = answered ? probe.column(1, charset()) : null;
        if (path != null && current != null) {
            String user = state.get().databaseUser();
            String role = user.equals(current) ? null : current;
            SessionState now = state.updateAndGet(s -> s.withSearchPath(path).withRole(role));
            uncertain = false;
            if (!now.inTransaction()) {
                touchedInBlock = false;
            }
        }
        // Unanswered (e.g. inside a failed block): decide with what is known and ask again next time.
    }

    /** The last ReadyForQuery's transaction status (exact once every answer the session owes is in). */
    byte transactionStatus() {
        return transactionStatus;
    }

    /** Relay thread. */
    void readyForQuery(byte status) {
        ready = true;
        transactionStatus = status;
        boolean open = ReadyForQuery.inTransaction(status);
        if (state.get().inTransaction() != open) { // hot path: usually unchanged, then nothing is allocated
            state.updateAndGet(s -> s.withTransaction(open));
        }
    }

    /**
     * Relay thread. Returns the FATAL error that ends the session when client_encoding changed to an unsafe
     * encoding, or behind the policy's back (a function body): text the proxy decided may not be the text the
     * server read (fail closed). Otherwise null.
     */
    ErrorResponse parameterStatus(String name, String value) {
        if ("application_name".equals(name)) {
            state.updateAndGet(s -> s.withApplicationName(value));
        } else if ("client_encoding".equals(name)) {
            ClientCharset reported = ClientCharset.of(value);
            boolean unsafe = ClientCharset.hidesQuotes(value);
            if (unsafe || (ready && !encodingUnsettled && !reported.equals(encoding))) {
                return new ErrorResponse("FATAL", SqlStates.FEATURE_NOT_SUPPORTED, "Gatehouse ends the session: client_encoding changed to "
                        + value + (unsafe ? ", in which a quote or backslash can be part of a multibyte character"
                        : " where Gatehouse did not expect it"), null, null);
            }
            encoding = reported;
        }
        return null;
    }
}
