package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.checkpoint.Hold;
import dev.gatehouse.enforce.checkpoint.Resolution;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The statement a session holds for approval, if any, and how a cancel reaches it. Threads: the session's
 * client reader waits ({@link #begin}, {@link #awaitSlice}, {@link #end}); a CancelRequest arrives on another
 * connection's thread ({@link #cancel}); the timeout sweeper asks {@link #active}. The lock (a ReentrantLock,
 * since the waiter blocks) makes sure the waiter is interrupted only while it waits, never during socket
 * I/O: interrupting a virtual thread in a socket operation closes the socket (sessions may run on either kind).
 */
final class ApprovalWait {
    private final ReentrantLock lock = new ReentrantLock();
    private Thread waiter;
    private Hold hold;
    private boolean waiting;
    private boolean cancelled;

    void begin(Hold held) {
        lock.lock();
        try {
            waiter = Thread.currentThread();
            hold = held;
            cancelled = false;
        } finally {
            lock.unlock();
        }
    }

    /** One bounded wait; null when the statement was cancelled. */
    Resolution awaitSlice(Duration slice) {
        Hold held;
        lock.lock();
        try {
            if (cancelled) {
                return null;
            }
            held = hold;
            waiting = true;
        } finally {
            lock.unlock();
        }
        try {
            Resolution resolution = held.await(slice);
            return cancelled() ? null : resolution;
        } catch (InterruptedException e) {
            return null;
        } finally {
            lock.lock();
            try {
                waiting = false;
                Thread.interrupted(); // a cancel that raced with the end of the wait must not hit the next I/O
            } finally {
                lock.unlock();
            }
        }
    }

    void end() {
        lock.lock();
        try {
            hold = null;
            waiter = null;
        } finally {
            lock.unlock();
        }
    }

    /** A cancel: withdraws the held statement and wakes its waiter. False when nothing is held. */
    boolean cancel() {
        lock.lock();
        try {
            if (hold == null) {
                return false;
            }
            cancelled = true;
            hold.withdraw();
            if (waiting) {
                waiter.interrupt();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean active() {
        lock.lock();
        try {
            return hold != null;
        } finally {
            lock.unlock();
        }
    }

    /** The session is closing: a statement still held is withdrawn. */
    void withdrawIfHeld() {
        lock.lock();
        try {
            if (hold != null) {
                hold.withdraw();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean cancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }
}
