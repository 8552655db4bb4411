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
    /** How often a wait for the server looks whether the connection to it is gone. */
    private static final long SLICE_NANOS = 1_000_000_000L;

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

    /**
     * Waits for every answer the server owes, however long that takes, while the server is there: for what must
     * know the session exactly (the transaction status a counted write's undo point depends on).
     */
    void awaitEveryAnswer() throws IOException {
        out.flush();
        try {
            while (!tracker.awaitQuiet(SLICE_NANOS)) {
                if (tracker.serverGone()) {
                    throw new java.io.EOFException("the server closed the session");
                }
            }
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

    /**
     * Sends the proxy's own statements as a group of their own, ended by a Sync, at a point between the client's
     * groups; their answers never reach the client. Flushed; the caller awaits the intercept when it needs them.
     */
    Intercept ownGroup(String... statements) throws IOException {
        return ownGroup(OwnStatements.encode(statements));
    }

    /** As above, for messages already encoded (ending before the Sync this adds). */
    Intercept ownGroup(byte[] messages) throws IOException {
        Intercept own = Intercept.ownGroup();
        tracker.sent(own);
        out.write(messages);
        out.write(dev.gatehouse.proxy.protocol.frontend.Sync.encode());
        out.flush();
        return own;
    }

    /**
     * Sends the proxy's own statements inside the client's group (no Sync): their answers never reach the client.
     * An error in the group before them (or theirs) makes the server skip up to the client's Sync.
     */
    Intercept ownMessages(String... statements) throws IOException {
        return ownMessages(Intercept.ownMessages(statements.length, 0), OwnStatements.encode(statements));
    }

    /**
     * As above, {@code intercept} made for exactly what {@code messages} ask (which must begin with own statements,
     * whose first CloseComplete marks where their answers begin).
     */
    Intercept ownMessages(Intercept intercept, byte[]... messages) throws IOException {
        tracker.sent(intercept);
        for (byte[] m : messages) {
            out.write(m);
        }
        tracker.skipIfGroupFailed(intercept);
        return intercept;
    }

    /**
     * Waits for an intercept's answers. Not bounded by a time of the proxy's: what it waits for is a statement
     * the server runs (a counted write takes as long as it takes; the server's statement_timeout bounds it, and
     * the proxy's own statements set one), and the session cannot go on without knowing how it ended. It ends
     * when the server answers or the connection to it does.
     */
    void await(Intercept intercept) throws IOException {
        out.flush();
        try {
            while (!intercept.await(SLICE_NANOS)) {
                if (tracker.serverGone()) {
                    throw new java.io.EOFException("the server closed the session");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the server");
        }
        if (tracker.serverGone()) {
            throw new java.io.EOFException("the server closed the session");
        }
        takeAnswers();
    }

    /** Records a change about to be sent (before its message is written or held). */
    void changing(NamespaceChange change) {
        tracker.sent(change);
    }
}
