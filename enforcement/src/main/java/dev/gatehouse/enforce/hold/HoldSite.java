package dev.gatehouse.enforce.hold;

import dev.gatehouse.enforce.checkpoint.Hold;
import dev.gatehouse.enforce.checkpoint.Resolution;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where one statement of a session or a JDBC statement waits for approval, so a cancel from another thread
 * (a CancelRequest, {@code Statement#cancel()}, the session closing) reaches it.
 *
 * <p>Threads: {@link #begin}, {@link #awaitSlice} and {@link #end} on the waiting thread; {@link #cancel} and
 * {@link #active} on any thread. The lock (a ReentrantLock, since the waiter blocks) lets an interrupt land only
 * while the waiter waits, never during its socket I/O (interrupting a virtual thread in a socket operation
 * closes the socket), and every slice clears a stray one. Withdrawing talks to the approvals store, so it runs
 * outside the lock.
 */
public final class HoldSite {
    private final ReentrantLock lock = new ReentrantLock();
    private Thread waiter;
    private Hold hold;
    private boolean waiting;
    private boolean cancelled;

    /** What one slice of waiting ended with. */
    public enum Interruption {
        /** Not interrupted: the resolution stands. */
        NONE,
        /** {@link #cancel} withdrew the hold. */
        CANCELLED,
        /** Someone else interrupted the waiting thread (an application's own interrupt). */
        INTERRUPTED
    }

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

    /**
     * One bounded wait. Returns the hold's resolution, or null when the wait was cancelled or interrupted
     * ({@code why[0]} tells which).
     */
    Resolution awaitSlice(Duration slice, BooleanSupplier wanted, Interruption[] why) {
        Hold held;
        lock.lock();
        try {
            if (cancelled) {
                why[0] = Interruption.CANCELLED;
                return null;
            }
            held = hold;
            waiting = true;
        } finally {
            lock.unlock();
        }
        try {
            Resolution resolution = held.await(slice, wanted);
            why[0] = interruption(false);
            return why[0] == Interruption.NONE ? resolution : null;
        } catch (InterruptedException e) {
            why[0] = interruption(true);
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

    private Interruption interruption(boolean interrupted) {
        lock.lock();
        try {
            return cancelled ? Interruption.CANCELLED : interrupted ? Interruption.INTERRUPTED : Interruption.NONE;
        } finally {
            lock.unlock();
        }
    }

    void end() {
        lock.lock();
        try {
            hold = null;
            waiter = null;
            cancelled = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A cancel, or the client went away: withdraws the held statement (unless another waiter shares its request)
     * and wakes its waiter. False when nothing is held here.
     */
    public boolean cancel() {
        Hold withdrawn;
        lock.lock();
        try {
            if (hold == null || cancelled) {
                return hold != null;
            }
            cancelled = true;
            withdrawn = hold;
            if (waiting) {
                waiter.interrupt();
            }
        } finally {
            lock.unlock();
        }
        withdrawn.withdraw(); // outside the lock: it may talk to the approvals store
        return true;
    }

    /** Whether a statement waits here (the idle-timeout sweeper does not close a session that waits). */
    public boolean active() {
        lock.lock();
        try {
            return hold != null;
        } finally {
            lock.unlock();
        }
    }
}
