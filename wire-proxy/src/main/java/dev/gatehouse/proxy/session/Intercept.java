package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Answers the relay keeps off the client's stream: those to the proxy's own statements (the probe of the session,
 * the savepoint around a counted write, an EXPLAIN), and a client statement's own while the proxy does not yet know
 * whether it stands (a counted write). One mechanism for every answer the client must not see as it comes.
 *
 * <pre>
 * Shapes (where its answers begin and end):
 *   OWN_GROUP     a group of the proxy's own, ended by its Sync: from the group's first answer to its
 *                 ReadyForQuery, all dropped (the probe, an EXPLAIN, a savepoint outside the client's group)
 *   OWN_MESSAGES  the proxy's own statements inside a client's group ({@link OwnStatements}, each beginning
 *                 with a Close): from their first CloseComplete (no client message before them can answer one:
 *                 each client Parse and Close is tracked ahead of it) to their last answer, all dropped; an
 *                 error ends them, and the server then skips to the group's Sync
 *   KEPT_GROUP    a client's simple Query: from the group's first answer to its ReadyForQuery, kept
 *   KEPT_EXECUTE  a client's Execute, sent right after OWN_MESSAGES: from their end to its CommandComplete,
 *                 EmptyQueryResponse, PortalSuspended or ErrorResponse, kept
 *   Any shape is SKIPPED when an earlier error in its group makes the server skip what it answers.
 * </pre>
 *
 * <p>What it collects, for the client reader to read once {@link #await done}: the first DataRow's columns, the
 * first error's body, the row count of the last CommandComplete, whether a notice said a transaction block was
 * already open, the ReadyForQuery status, and the kept messages, whole, bounded by {@link #MAX_KEPT_BYTES} (past
 * it they are dropped and it is {@link #overflowed}).
 *
 * <p>Threads: the client reader makes it and awaits it; the relay fills it, then counts down. The latch orders
 * the relay's writes before the reader's reads.
 */
final class Intercept implements ResponseTracker.Expected {
    enum Shape { OWN_GROUP, OWN_MESSAGES, KEPT_GROUP, KEPT_EXECUTE }

    /** Bound for the answers kept of one counted write (its RETURNING rows). */
    static final int MAX_KEPT_BYTES = 16 << 20;
    /** The answers to one own statement ({@link OwnStatements}): CloseComplete, ParseComplete, BindComplete,
     *  CommandComplete, CloseComplete twice. */
    static final int ANSWERS_PER_STATEMENT = 6;
    /** SQLSTATE of the warning BEGIN gives inside a transaction block. */
    private static final String ACTIVE_SQL_TRANSACTION = "25001";

    final Shape shape;
    private final CountDownLatch done = new CountDownLatch(1);
    private final List<byte[]> kept;

    // Relay thread until done.
    private int answersLeft;
    private boolean started;
    private int keptBytes;
    private boolean overflowed;
    private byte[] error;
    private long rows = -1;
    private boolean blockWasOpen;
    private byte status;
    private byte[][] firstRow;
    private boolean skipped;

    /** An error of its own reaches the client (the proxy's COMMIT of a block the client's work is in). */
    private final boolean showsErrors;

    private Intercept(Shape shape, int answers, boolean showsErrors) {
        this.shape = shape;
        this.answersLeft = answers;
        this.showsErrors = showsErrors;
        this.kept = shape == Shape.KEPT_GROUP || shape == Shape.KEPT_EXECUTE ? new ArrayList<>() : null;
    }

    static Intercept ownGroup() {
        return new Intercept(Shape.OWN_GROUP, 0, false);
    }

    /** {@code statements} own statements, then messages that answer {@code more} times (a Close, a Bind). */
    static Intercept ownMessages(int statements, int more) {
        return new Intercept(Shape.OWN_MESSAGES, statements * ANSWERS_PER_STATEMENT + more, false);
    }

    /** One own statement whose error the client gets, as it would its own. */
    static Intercept ownStatementShowingErrors() {
        return new Intercept(Shape.OWN_MESSAGES, ANSWERS_PER_STATEMENT, true);
    }

    static Intercept keptGroup() {
        return new Intercept(Shape.KEPT_GROUP, 0, false);
    }

    static Intercept keptExecute() {
        return new Intercept(Shape.KEPT_EXECUTE, 0, false);
    }

    boolean showsErrors() {
        return showsErrors;
    }

    /** It ends with ReadyForQuery: a group of its own, counted as one of the answers the session owes. */
    boolean group() {
        return shape == Shape.OWN_GROUP || shape == Shape.KEPT_GROUP;
    }

    boolean keeps() {
        return kept != null;
    }

    // ---------------------------------------------------------------- relay thread

    /**
     * Relay thread, for a message-level shape at the head of what the server owes: whether this message is its
     * answer. OWN_MESSAGES begins with its CloseComplete; before that an answer (or error) is an earlier
     * message's. KEPT_EXECUTE reaches the head only once the statements before it were answered.
     */
    boolean claims(byte type) {
        if (done.getCount() == 0 || type == 'Z') {
            return false;
        }
        if (shape == Shape.OWN_MESSAGES && !started) {
            started = type == '3';
            return started;
        }
        return true;
    }

    /**
     * Relay thread: one of its answers, {@code message} the whole message (type, length, body) when it keeps
     * them, else null. Returns true when that answer was its last (message-level shapes; a group's last is its
     * ReadyForQuery, which {@link #finish} ends).
     */
    boolean accept(byte type, byte[] body, byte[] message, Charset charset) throws ProtocolException {
        switch (type) {
            case 'E' -> {
                if (error == null) {
                    error = body;
                }
            }
            case 'C' -> rows = rowCount(body);
            case 'D' -> {
                if (firstRow == null && !keeps()) {
                    firstRow = columns(body);
                }
            }
            case 'N' -> {
                if (!keeps() && ACTIVE_SQL_TRANSACTION.equals(
                        dev.gatehouse.proxy.protocol.backend.ErrorResponse.field(body, 'C'))) {
                    blockWasOpen = true;
                }
            }
            default -> {
            }
        }
        if (keeps()) {
            keep(message);
        }
        return switch (shape) {
            case OWN_GROUP, KEPT_GROUP -> false;
            case OWN_MESSAGES -> type == 'E' || (isAnswer(type) && --answersLeft == 0);
            case KEPT_EXECUTE -> type == 'C' || type == 'I' || type == 's' || type == 'E';
        };
    }

    /** Relay thread: a message too large to hold (the relay skips its body): a kept answer is then incomplete. */
    void tooLarge() {
        overflowed = true;
    }

    /** Relay thread: a message-level shape answered in full (or ended by its error). */
    void end() {
        done.countDown();
    }

    /** Relay thread: a group's ReadyForQuery ({@code status}). */
    void finish(byte status) {
        this.status = status;
        done.countDown();
    }

    /** Relay thread (or the reader, seeing the group already failed): the server skips what it would answer. */
    void skip() {
        if (done.getCount() > 0) {
            skipped = true;
            done.countDown();
        }
    }

    private void keep(byte[] message) {
        if (overflowed || message == null) {
            overflowed = true;
            return;
        }
        keptBytes += message.length;
        if (keptBytes > MAX_KEPT_BYTES) {
            overflowed = true;
            kept.clear();
            return;
        }
        kept.add(message);
    }

    private static boolean isAnswer(byte type) {
        return type == '1' || type == '2' || type == '3' || type == 'C' || type == 'I';
    }

    /** The count a CommandComplete tag ends with ("UPDATE 30", "INSERT 0 30", "MERGE 30"), or -1. */
    static long rowCount(byte[] tag) {
        int end = tag.length;
        while (end > 0 && tag[end - 1] == 0) {
            end--;
        }
        int start = end;
        while (start > 0 && tag[start - 1] >= '0' && tag[start - 1] <= '9') {
            start--;
        }
        if (start == end || start == 0 || tag[start - 1] != ' ' || end - start > 18) {
            return -1;
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            n = n * 10 + (tag[i] - '0');
        }
        return n;
    }

    private static byte[][] columns(byte[] body) throws ProtocolException {
        PayloadReader r = new PayloadReader(body, 0);
        int n = r.int16();
        byte[][] out = new byte[Math.max(0, n)][];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.bytesOrNull(r.int32());
        }
        return out;
    }

    // ---------------------------------------------------------------- client reader

    /** Client reader: waits (bounded) until it is done; false when the server did not answer in time. */
    boolean await(long nanos) throws InterruptedException {
        return done.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** The server skipped it (an earlier error in its group): nothing of it ran. */
    boolean skipped() {
        return skipped;
    }

    /** The body of its first ErrorResponse, or null when none came. */
    byte[] error() {
        return error;
    }

    boolean failed() {
        return error != null || skipped;
    }

    /** The count of its last CommandComplete, or -1 when it gave none with a count. */
    long rows() {
        return rows;
    }

    boolean overflowed() {
        return overflowed;
    }

    /** A BEGIN among its statements found a transaction block already open (its warning, 25001). */
    boolean blockWasOpen() {
        return blockWasOpen;
    }

    /** A group's ReadyForQuery status. */
    byte status() {
        return status;
    }

    /** Column {@code i} of the first row as text in {@code charset}, or null. */
    String column(int i, Charset charset) {
        return firstRow == null || i >= firstRow.length || firstRow[i] == null ? null
                : new String(firstRow[i], charset);
    }

    /** The kept messages, whole, in order (the client reader owns them once done). */
    List<byte[]> kept() {
        return kept;
    }
}
