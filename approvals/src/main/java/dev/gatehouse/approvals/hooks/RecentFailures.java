package dev.gatehouse.approvals.hooks;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded ring of the latest delivery failures: the oldest is forgotten when a new one arrives at
 * capacity, so a receiver that is down for a day costs a fixed amount of memory.
 *
 * <p>Thread-safe: written by publishing threads (drops) and delivery virtual threads, read by anyone. The
 * lock is held for O(1) work only, never across I/O.
 */
final class RecentFailures {

    private final int capacity;
    private final ArrayDeque<DeliveryFailure> ring;
    private final ReentrantLock lock = new ReentrantLock();

    RecentFailures(int capacity) {
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(capacity);
    }

    void add(DeliveryFailure failure) {
        lock.lock();
        try {
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(failure);
        } finally {
            lock.unlock();
        }
    }

    /** Oldest first. */
    List<DeliveryFailure> snapshot() {
        lock.lock();
        try {
            return List.copyOf(ring);
        } finally {
            lock.unlock();
        }
    }
}
