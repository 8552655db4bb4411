package dev.gatehouse.enforce.hold;

import dev.gatehouse.enforce.checkpoint.Hold;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.checkpoint.Resolution;
import dev.gatehouse.enforce.refusal.Refusal;

import java.time.Duration;

/**
 * The one loop in which a held statement waits for its approval, for every front end. It waits in slices so
 * that it notices a client that went away (within {@link #LIVENESS_SLICE}), tells a waiting client now and
 * then that it still waits, and ends by the deadline. Whatever ends the wait other than an approval withdraws
 * this waiter's interest in the request; the request itself is withdrawn only when no other local waiter
 * shares it ({@link Hold#withdraw}). The approval is claimed only while the client is still there.
 *
 * <p>Threads: runs on the waiting thread; {@link HoldSite#cancel} reaches it from others.
 */
public final class HoldLoop {
    /** How soon a client that went away is noticed, and its request withdrawn. */
    static final Duration LIVENESS_SLICE = Duration.ofSeconds(1);

    /** The client side of a wait: whether it is still there, and how to tell it that it still waits. */
    public interface Waiter {
        /** False once the client has gone (its socket closed, its connection closed). Cheap; no blocking. */
        boolean present();

        /** Tells the client the statement still waits; false when that showed the client has gone. */
        boolean stillWaiting(Outcome.Review review);
    }

    private HoldLoop() {
    }

    /**
     * @param deadline     {@link System#nanoTime()} by which the wait ends (maximum wait, query timeout)
     * @param noticeEvery  how often {@link Waiter#stillWaiting} is called
     */
    public static HoldEnd await(Outcome.Review review, HoldSite site, long deadline, Duration noticeEvery,
                                Waiter waiter) {
        Hold hold = review.hold();
        String id = review.requestId();
        long noticeNanos = Math.max(1, noticeEvery.toNanos());
        long nextNotice = System.nanoTime() + noticeNanos;
        HoldSite.Interruption[] why = new HoldSite.Interruption[1];
        site.begin(hold);
        try {
            while (true) {
                if (!waiter.present()) {
                    hold.withdraw();
                    return new HoldEnd.ClientGone();
                }
                long now = System.nanoTime();
                long left = deadline - now;
                if (left <= 0) {
                    hold.withdraw();
                    return new HoldEnd.Refused(new Refusal.TimedOut(id), null, false);
                }
                if (now - nextNotice >= 0) {
                    if (!waiter.stillWaiting(review)) {
                        hold.withdraw();
                        return new HoldEnd.ClientGone();
                    }
                    nextNotice = now + noticeNanos;
                }
                long slice = Math.min(left, Math.min(nextNotice - now, LIVENESS_SLICE.toNanos()));
                Resolution resolution;
                try {
                    resolution = site.awaitSlice(Duration.ofNanos(Math.max(1, slice)), waiter::present, why);
                } catch (RuntimeException storeFailed) {
                    // The store failed under the waiter: the client hears ZG003 and goes on. The request stays
                    // as it is in the store (pending until withdrawn or expired); nothing was sent.
                    return new HoldEnd.Refused(new Refusal.Undecided("the approvals store failed while request " + id
                            + " waited (" + storeFailed.getClass().getSimpleName()
                            + (storeFailed.getMessage() == null ? "" : ": " + storeFailed.getMessage())
                            + "); refused, failing closed"), storeFailed, false);
                }
                if (resolution == null) {
                    boolean interrupted = why[0] == HoldSite.Interruption.INTERRUPTED;
                    if (interrupted) {
                        hold.withdraw(); // a cancel withdrew already
                    }
                    return new HoldEnd.Refused(new Refusal.Cancelled(id), null, interrupted);
                }
                switch (resolution) {
                    case Resolution.Approved approved -> {
                        return HoldEnd.RUN;
                    }
                    case Resolution.Denied denied -> {
                        return new HoldEnd.Refused(new Refusal.DeniedByApprover(id, denied.reason(),
                                denied.ruleIds().isEmpty() ? review.ruleIds() : denied.ruleIds()), null, false);
                    }
                    case Resolution.Expired expired -> {
                        return waiter.present() ? new HoldEnd.Refused(new Refusal.Expired(id), null, false)
                                : new HoldEnd.ClientGone();
                    }
                    case Resolution.StillPending pending -> {
                        // next slice
                    }
                }
            }
        } finally {
            site.end();
        }
    }
}
