package dev.gatehouse.proxy.session;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * The server as the client-side protocol sees it: the stream the client's messages are forwarded to (with the
 * ones held back), the answers the server owes, and the bounded waits for them. It owns no socket:
 * {@link ServerOutput} writes to any stream, and the answers arrive through the {@link ResponseTracker} from
 * whatever reads the server.
 *
 * <p>Threads: the session's client reader.
 */
final class Upstream {
    final ServerOutput out;
    final ResponseTracker tracker;
    private final PreparedStatements prepared;
    private final long maxWaitNanos;

    Upstream(ServerOutput out, ResponseTracker tracker, PreparedStatements prepared, long maxWaitNanos) {
        this.out = out;
        this.tracker = tracker;
        this.prepared = prepared;
        this.maxWaitNanos = maxWaitNanos;
    }

    /** Bounded wait for every answer the server owes; then takes them in. */
    void awaitAnswers() throws IOException {
        out.flush();
        try {
            tracker.awaitQuiet(maxWaitNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the server");
        }
        takeAnswers();
    }

    /** What the server did otherwise than the proxy assumed, in the server's order. */
    void takeAnswers() {
        ResponseTracker.Correction correction;
        while ((correction = tracker.pollCorrection()) != null) {
            prepared.correct(correction);
        }
    }

    /** Before changing named statements: earlier groups that changed them are answered first. */
    void awaitNamedChanges() throws IOException {
        if (tracker.namedUnsettled()) {
            awaitAnswers();
        } else {
            takeAnswers();
        }
    }

    /** Hot path: the statement a Bind or EXECUTE names, once the answers it depends on are in; null if none. */
    PreparedStatements.Statement statement(String name) throws IOException {
        takeAnswers();
        PreparedStatements.Statement statement = prepared.get(name);
        if (PreparedStatements.needsAnswers(statement, tracker)) {
            awaitAnswers();
            statement = prepared.get(name);
        }
        return statement;
    }

    /** Records a change about to be sent (before its message is written or held). */
    void changing(NamespaceChange change) {
        tracker.sent(change);
    }
}
