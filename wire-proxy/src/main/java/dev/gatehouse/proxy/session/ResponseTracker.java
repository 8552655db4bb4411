package dev.gatehouse.proxy.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Matches what the server answered to what the proxy sent, so the proxy's picture of the session is the
 * server's and not the client's wish: each change to the prepared statements counts once the server answered
 * that very change (a failed or skipped Parse must not let the proxy decide on SQL the server never prepared; a
 * DEALLOCATE that ran stays run whatever happens to its group), a refusal's deliberate failure is put back as
 * the refusal, and a session probe's answer is taken off the wire.
 *
 * <p>Threads: the client reader calls {@link #sent} (always before writing the message, so the entry is
 * queued before any answer can arrive) and drains the corrections; the server relay calls the {@code on*}
 * methods in the order the server answers. Nothing is allocated per answer unless the server did something
 * other than the proxy assumed (an error, or a change it expected to fail).
 */
final class ResponseTracker {

    /** Something sent that the server answers. */
    sealed interface Expected permits NamespaceChange, SyncPoint, Probe {
    }

    /**
     * A message the server ends with ReadyForQuery (Query, Sync, FunctionCall, startup). NAMED: its group
     * changed named prepared statements, so a later group's lookup of a name waits for this answer.
     */
    enum SyncPoint implements Expected { PLAIN, NAMED }

    /**
     * The server did not do what the proxy assumed when it sent {@code change}: {@code undo} it (skipped or
     * failed), or apply it (it ran though the proxy expected a refusal). {@link #LOST}: the server reported a
     * deallocation the proxy did not send knowingly, so no name can be trusted any more.
     */
    record Correction(NamespaceChange change, boolean undo) {
        static final Correction LOST = new Correction(null, false);
    }

    private static final byte[] PREPARE = tag("PREPARE");
    private static final byte[] DEALLOCATE = tag("DEALLOCATE");
    private static final byte[] DEALLOCATE_ALL = tag("DEALLOCATE ALL");
    private static final byte[] DISCARD_ALL = tag("DISCARD ALL");

    private final Queue<Expected> expected = new ConcurrentLinkedQueue<>();
    private final Queue<Correction> corrections = new ConcurrentLinkedQueue<>();
    private final Queue<PendingRefusal> refusals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Groups that changed named statements and whose ReadyForQuery (and corrections) are not in yet. */
    private final AtomicInteger unsettledNamed = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition quiet = lock.newCondition();
    /** Hot path: the relay takes the lock to wake a waiter only when there is one. */
    private final AtomicInteger waiters = new AtomicInteger();

    // Client thread only.
    private long groupsSent;

    // Relay thread only.
    private boolean groupFailed;
    private boolean atGroupStart = true;
    private Probe probe;

    /** Client thread: records a message about to be written to the server. */
    void sent(Expected e) {
        if (!(e instanceof NamespaceChange)) {
            outstanding.incrementAndGet();
            groupsSent++;
            if (e == SyncPoint.NAMED) {
                unsettledNamed.incrementAndGet();
            }
        }
        expected.add(e);
    }

    /** Client thread: ReadyForQuery messages still to come. */
    int outstanding() {
        return outstanding.get();
    }

    /** Client thread: how many groups were sent so far; the current group's number. */
    long group() {
        return groupsSent;
    }

    /** Client thread: earlier groups changed named statements and the server has not answered them all yet. */
    boolean namedUnsettled() {
        return unsettledNamed.get() > 0;
    }

    /** Client thread: the next correction to apply, in the server's order, or null. */
    Correction pollCorrection() {
        return corrections.poll();
    }

    /** Client thread, before it sends the deliberate failure the refusal stands in for. */
    void expectRefusal(PendingRefusal refusal) {
        refusals.add(refusal);
    }

    /** Client thread: waits (bounded) until every sent message has been answered. */
    boolean awaitQuiet(long nanos) throws InterruptedException {
        waiters.incrementAndGet();
        lock.lock();
        try {
            while (outstanding.get() > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = quiet.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
            waiters.decrementAndGet();
        }
    }

    /**
     * Relay thread, for every message but the asynchronous ones: returns the probe whose answer this
     * message belongs to, or null for a message to relay.
     */
    Probe probeFor(byte type) {
        if (atGroupStart && type != 'A' && type != 'N' && type != 'S') {
            atGroupStart = false;
            probe = expected.peek() instanceof Probe p ? p : null;
        }
        return probe;
    }

    /** Relay thread: ParseComplete or CloseComplete answers the oldest change still waiting, which must be one. */
    void onComplete(byte type) {
        Expected head = expected.poll();
        if (!(head instanceof NamespaceChange change) || change.kind().answer() != type) {
            throw new IllegalStateException("'" + (char) type + "' answers nothing the proxy sent: " + head);
        }
        answered(change);
    }

    /**
     * Relay thread, hot path: a CommandComplete's tag ({@code length} bytes of {@code tag}, with its NUL). Only the
     * four tags of statements that change prepared statements matter; the first byte rules out nearly all others.
     */
    void onCommandComplete(byte[] tag, int length) {
        byte first = tag[0];
        if (first != 'P' && first != 'D') {
            return;
        }
        NamespaceChange.Kind kind = is(tag, length, PREPARE) ? NamespaceChange.Kind.PREPARE
                : is(tag, length, DEALLOCATE) ? NamespaceChange.Kind.DEALLOCATE
                : is(tag, length, DEALLOCATE_ALL) ? NamespaceChange.Kind.DEALLOCATE_ALL
                : is(tag, length, DISCARD_ALL) ? NamespaceChange.Kind.DISCARD_ALL : null;
        if (kind == null) {
            return;
        }
        if (expected.peek() instanceof NamespaceChange change && change.kind() == kind) {
            expected.poll();
            answered(change);
        } else if (kind != NamespaceChange.Kind.PREPARE) {
            // A deallocation the proxy did not see coming: which names it dropped is unknown. (A PREPARE it did
            // not see leaves a name the proxy does not know, which it refuses to decide on anyway.)
            corrections.add(Correction.LOST);
        }
    }

    /** Relay thread: an ErrorResponse fails the rest of its group. */
    void onError() {
        groupFailed = true;
    }

    /**
     * Relay thread: ReadyForQuery ends a group. Changes not answered by then were skipped or failed: undone,
     * latest first, so that the map is back where the last change that ran left it.
     */
    void onReady() {
        List<NamespaceChange> skipped = null;
        Expected e;
        while ((e = expected.poll()) != null) {
            if (e instanceof NamespaceChange change) {
                if (!change.expectedToFail()) {
                    if (skipped == null) {
                        skipped = new ArrayList<>();
                    }
                    skipped.add(change);
                }
                continue;
            }
            if (skipped != null) {
                for (int i = skipped.size() - 1; i >= 0; i--) {
                    corrections.add(new Correction(skipped.get(i), true));
                }
            }
            if (e instanceof Probe p) {
                p.finish(!groupFailed);
            } else if (e == SyncPoint.NAMED) {
                unsettledNamed.decrementAndGet(); // after its corrections are queued
            }
            break;
        }
        groupFailed = false;
        atGroupStart = true;
        probe = null;
        if (outstanding.decrementAndGet() == 0 && waiters.get() > 0) {
            lock.lock();
            try {
                quiet.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Relay thread: a server error may be a refusal's deliberate failure (else it is relayed undecoded). */
    boolean refusalsPending() {
        return !refusals.isEmpty();
    }

    /**
     * Relay thread: the refusal to send instead of this server error, or null to relay it. Refusals whose
     * failure the server never ran (it was already skipping to Sync after an earlier error) are dropped on the way.
     */
    byte[] refusalFor(String message) {
        if (!message.contains(Refusals.TOKEN_PREFIX)) {
            return null;
        }
        PendingRefusal head;
        while ((head = refusals.poll()) != null) {
            if (message.contains(head.token())) {
                return head.errorResponse();
            }
        }
        return null;
    }

    /** The server did what was asked: a statement it created is now the server's for sure. */
    private void answered(NamespaceChange change) {
        if (change.expectedToFail()) {
            corrections.add(new Correction(change, false));
        } else if (change.statement() != null && (change.kind() == NamespaceChange.Kind.PARSE
                || change.kind() == NamespaceChange.Kind.PREPARE)) {
            change.statement().confirmed = true;
        }
    }

    private static boolean is(byte[] tag, int length, byte[] expected) {
        return length == expected.length && java.util.Arrays.equals(tag, 0, length, expected, 0, length);
    }

    private static byte[] tag(String text) {
        byte[] ascii = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(ascii, ascii.length + 1); // with the NUL the message carries
    }

    /** A query the proxy sends to learn the session's search_path and role; its answer never reaches the client. */
    static final class Probe implements Expected {
        /**
         * Everything schema-qualified or a keyword, so no object of the session's search_path can stand in;
         * it cannot fail but in an already failed block, so it never aborts a transaction of the client's.
         */
        static final String SQL = "SELECT pg_catalog.current_setting('search_path'), CURRENT_USER";

        private final CountDownLatch done = new CountDownLatch(1);
        private volatile String searchPath;
        private volatile String role;
        private volatile boolean succeeded;

        /** Relay thread: the DataRow's two text columns. */
        void row(String path, String currentUser) {
            searchPath = path;
            role = currentUser;
        }

        void finish(boolean ok) {
            succeeded = ok && searchPath != null;
            done.countDown();
        }

        /** Client thread: true when the answer came and the query succeeded. */
        boolean await(long nanos) throws InterruptedException {
            return done.await(nanos, TimeUnit.NANOSECONDS) && succeeded;
        }

        String searchPath() {
            return searchPath;
        }

        String role() {
            return role;
        }
    }
}
