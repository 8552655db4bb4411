package dev.gatehouse.approvals.wait;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Local rendezvous between threads waiting for a request's decision and whoever learns of a decision (a vote on
 * this instance, a PostgreSQL notification, the expiry sweeper). One slot per awaited request, removed when
 * its last waiter leaves, so the map is bounded by the number of threads waiting. Waiters run on the
 * driver's and the proxy's virtual threads; a ReentrantLock (not {@code synchronized}) lets them unmount.
 */
public final class Waiters {
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    /** One awaited request. {@code generation} counts signals so a signal between check and wait is never lost. */
    public static final class Slot {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private long generation;
        private int waiters;

        /** The current signal count; read it BEFORE reading the request's state. */
        public long generation() {
            lock.lock();
            try {
                return generation;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits until a signal newer than {@code seen} or until {@code maxNanos} pass.
         *
         * @throws InterruptedException when the waiting thread is interrupted (the client gave up)
         */
        public void awaitChange(long seen, long maxNanos) throws InterruptedException {
            lock.lock();
            try {
                long left = maxNanos;
                while (generation == seen && left > 0) {
                    left = changed.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        }

        void signal() {
            lock.lock();
            try {
                generation++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Joins the waiters of {@code requestId}; pair with {@link #leave}. */
    public Slot join(String requestId) {
        return slots.compute(requestId, (id, s) -> {
            Slot slot = s == null ? new Slot() : s;
            slot.waiters++;
            return slot;
        });
    }

    /** @return true when this was the last local waiter of the request */
    public boolean leave(String requestId) {
        boolean[] last = new boolean[1];
        slots.computeIfPresent(requestId, (id, s) -> {
            s.waiters--;
            last[0] = s.waiters <= 0;
            return last[0] ? null : s;
        });
        return last[0];
    }

    /** Wakes every local waiter of {@code requestId} (they re-read its state from the store). */
    public void signal(String requestId) {
        Slot s = slots.get(requestId);
        if (s != null) {
            s.signal();
        }
    }

    /** Wakes every waiter: used when notifications may have been missed (listener reconnected). */
    public void signalAll() {
        for (Slot s : slots.values()) {
            s.signal();
        }
    }

    /** How many of this process wait for {@code requestId}. */
    public int count(String requestId) {
        int[] n = new int[1];
        slots.computeIfPresent(requestId, (id, s) -> { // the count changes under the map's lock: read it there
            n[0] = s.waiters;
            return s;
        });
        return n[0];
    }

    /** Whether anyone of this process is among the waiters of {@code requestId}. */
    public boolean has(String requestId) {
        return slots.containsKey(requestId);
    }

    public int waiting() {
        return slots.size();
    }

    static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
