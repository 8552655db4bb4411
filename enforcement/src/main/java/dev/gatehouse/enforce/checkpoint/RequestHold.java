package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.Submission;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The hold of one waiter on an opened (or joined) request: waits through the requester's port, counted among
 * the request's local waiters from its first wait until it ends, and claims the approval on the waiter's behalf,
 * so {@link Resolution.Approved} always means "this waiter, and nobody else, runs it". A write whose approved run
 * is counted is claimed by that run instead, once its count stands: a run that touches more than was approved
 * leaves the approval unused (and is held again).
 *
 * <p>Threads: {@link #await} on the waiting thread; {@link #withdraw} from any thread (a cancel), while
 * {@code await} blocks. Store failures propagate from {@code await} as unchecked exceptions: the front end
 * then refuses the statement (fail closed).
 */
final class RequestHold implements Hold {
    private static final String GAVE_UP = "the client stopped waiting";

    private final RequesterPort approvals;
    private final String requestId;
    private final Submission submission;
    private final List<String> ruleIds;
    private final boolean claims;
    private final ReentrantLock lock = new ReentrantLock();
    /** Counted among the request's local waiters. */
    private boolean watching;
    /** Decided, claimed or withdrawn: nothing more to do. */
    private boolean over;

    /**
     * @param claims whether the approval is claimed here, for the waiter; false for a write whose approved run is
     *               counted, whose guard claims it only when its count stands ({@link RowGuard#counted})
     */
    RequestHold(RequesterPort approvals, String requestId, Submission submission, List<String> ruleIds,
                boolean claims) {
        this.claims = claims;
        this.approvals = approvals;
        this.requestId = requestId;
        this.submission = submission;
        this.ruleIds = ruleIds;
    }

    @Override
    public Resolution await(Duration max, BooleanSupplier wanted) throws InterruptedException {
        watch();
        dev.gatehouse.approvals.Outcome outcome;
        try {
            outcome = approvals.await(requestId, max);
        } catch (RuntimeException storeDown) {
            stopWatching(); // the request stays as the store has it
            throw storeDown;
        }
        return switch (outcome) {
            case dev.gatehouse.approvals.Outcome.TimedOut t -> new Resolution.StillPending();
            // Approved for everyone who joined: only the one that wins the claim may run it, and only while its
            // client is there to run it for.
            case dev.gatehouse.approvals.Outcome.Approved a -> {
                stopWatching();
                yield wanted.getAsBoolean() && (!claims || approvals.claim(requestId, submission))
                        ? new Resolution.Approved() : new Resolution.Expired();
            }
            case dev.gatehouse.approvals.Outcome.Denied d -> {
                stopWatching();
                yield new Resolution.Denied(d.reason(), ruleIds);
            }
            case dev.gatehouse.approvals.Outcome.Expired e -> {
                stopWatching();
                yield new Resolution.Expired();
            }
            case dev.gatehouse.approvals.Outcome.Withdrawn w -> {
                stopWatching();
                yield new Resolution.Expired();
            }
        };
    }

    @Override
    public void withdraw() {
        boolean wasWatching;
        lock.lock();
        try {
            if (over) {
                return;
            }
            over = true;
            wasWatching = watching;
            watching = false;
        } finally {
            lock.unlock();
        }
        try {
            if (wasWatching) {
                approvals.stopWaiting(requestId, GAVE_UP);
            } else {
                approvals.withdrawUnlessAwaited(requestId, GAVE_UP);
            }
        } catch (RuntimeException storeDown) {
            // Nothing runs either way; the request expires on its own when the store is back.
        }
    }

    private void watch() {
        lock.lock();
        try {
            if (!watching && !over) {
                approvals.startWaiting(requestId);
                watching = true;
            }
        } finally {
            lock.unlock();
        }
    }

    private void stopWatching() {
        lock.lock();
        try {
            if (watching) {
                approvals.leaveWaiting(requestId);
                watching = false;
            }
            over = true;
        } finally {
            lock.unlock();
        }
    }
}
