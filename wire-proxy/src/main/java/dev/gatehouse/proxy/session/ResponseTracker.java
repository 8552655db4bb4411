package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.session.SessionEffect;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Matches what the server answered to what the proxy sent, so the proxy's picture of the session is the
 * server's and not the client's wish: a Parse counts only once ParseComplete came back (a failed or skipped
 * Parse must not let the proxy decide on SQL the server never prepared), a PREPARE or DEALLOCATE counts only
 * when its group ended without an error, and a session probe's answer is taken off the wire.
 *
 * <p>Threads: the client reader calls {@link #sent} (always before writing the message, so the entry is
 * queued before any answer can arrive) and drains the results; the server relay calls the {@code on*}
 * methods in the order the server answers.
 */
final class ResponseTracker {

    /** Something sent that the server answers. */
    sealed interface Expected permits ParseSent, SyncPoint, Probe {
    }

    /** A Parse; {@code statement} null for the proxy's own deliberate failure. */
    record ParseSent(String name, ExtendedState.Statement statement) implements Expected {
    }

    /** A message the server ends with ReadyForQuery (Query, Sync, FunctionCall, startup). */
    record SyncPoint(List<SessionEffect> effects) implements Expected {
        static final SyncPoint PLAIN = new SyncPoint(List.of());
    }

    private final Queue<Expected> expected = new ConcurrentLinkedQueue<>();
    private final Queue<ParseSent> failedParses = new ConcurrentLinkedQueue<>();
    private final Queue<List<SessionEffect>> confirmedEffects = new ConcurrentLinkedQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition quiet = lock.newCondition();
    /** Hot path: the relay takes the lock to wake a waiter only when there is one. */
    private final AtomicInteger waiters = new AtomicInteger();

    // Relay thread only.
    private boolean groupFailed;
    private boolean atGroupStart = true;
    private Probe probe;

    /** Client thread: records a message about to be written to the server. */
    void sent(Expected e) {
        if (!(e instanceof ParseSent)) {
            outstanding.incrementAndGet();
        }
        expected.add(e);
    }

    /** Client thread: ReadyForQuery messages still to come. */
    int outstanding() {
        return outstanding.get();
    }

    ParseSent pollFailedParse() {
        return failedParses.poll();
    }

    List<SessionEffect> pollConfirmedEffects() {
        return confirmedEffects.poll();
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

    /** Relay thread: ParseComplete answers the oldest Parse still waiting. */
    void onParseComplete() {
        Expected head = expected.poll();
        if (!(head instanceof ParseSent)) {
            throw new IllegalStateException("ParseComplete without a Parse sent: " + head);
        }
    }

    /** Relay thread: an ErrorResponse fails the rest of its group. */
    void onError() {
        groupFailed = true;
    }

    /** Relay thread: ReadyForQuery ends a group. Parses not answered by then were skipped or failed. */
    void onReady() {
        Expected e;
        while ((e = expected.poll()) != null) {
            switch (e) {
                case ParseSent p -> failedParses.add(p);
                case SyncPoint s -> {
                    if (!groupFailed && !s.effects().isEmpty()) {
                        confirmedEffects.add(s.effects());
                    }
                }
                case Probe p -> p.finish(!groupFailed);
            }
            if (!(e instanceof ParseSent)) {
                break;
            }
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

    /** A query the proxy sends to learn the session's search_path and role; its answer never reaches the client. */
    static final class Probe implements Expected {
        /**
         * Everything schema-qualified or a keyword, so no object of the session's search_path can stand in;
         * it cannot fail but in an already failed block, so it never aborts a transaction of the client's.
         */
        static final String SQL = "SELECT pg_catalog.current_setting('search_path'), CURRENT_USER";

        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
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
