package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.enforce.checkpoint.Hold;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Where one statement waits for approval, so {@code Statement#cancel()} from another thread can reach it.
 *
 * <p>Threads: {@link #enter}/{@link #exit} on the executing thread, {@link #cancel} on any thread. The lock
 * makes the interrupt land only while the waiter is registered, and {@link #exit} clears it, so a cancel never
 * leaves a stray interrupt on an application thread.
 */
final class HoldSite {
    private final ReentrantLock lock = new ReentrantLock();
    private Thread waiter;
    private Hold hold;
    private boolean cancelled;

    void enter(Hold h) {
        lock.lock();
        try {
            waiter = Thread.currentThread();
            hold = h;
            cancelled = false;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether the wait was cancelled through {@link #cancel} */
    boolean exit() {
        lock.lock();
        try {
            boolean wasCancelled = cancelled;
            if (wasCancelled) {
                Thread.interrupted();
            }
            waiter = null;
            hold = null;
            cancelled = false;
            return wasCancelled;
        } finally {
            lock.unlock();
        }
    }

    /** @return true when a held statement was cancelled (nothing runs on the server to cancel then) */
    boolean cancel() {
        Hold withdrawn;
        lock.lock();
        try {
            if (hold == null) {
                return false;
            }
            cancelled = true;
            withdrawn = hold;
            waiter.interrupt();
        } finally {
            lock.unlock();
        }
        // Outside the lock: withdrawing may talk to the approvals store.
        withdrawn.withdraw();
        return true;
    }
}
