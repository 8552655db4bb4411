package dev.gatehouse.enforce.checkpoint;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A pending approval request as one waiter of a front end (driver, proxy) sees it while its statement waits.
 * Several identical submissions may share one request; each has its own hold.
 *
 * <p>Threads: {@link #await} runs on the waiting thread; {@link #withdraw} may be called from any other thread
 * (a cancel) while {@code await} blocks, which the front end then interrupts ({@code HoldSite}).
 */
public interface Hold {

    /**
     * Blocks until the request is decided or {@code max} has passed.
     *
     * @param wanted asked once the request is approved: the approval is claimed only while it says the client
     *               is still there (a client that went away must not use up the approval)
     * @return {@link Resolution.Approved} only when this waiter has claimed the approval (it runs exactly once)
     */
    Resolution await(Duration max, BooleanSupplier wanted) throws InterruptedException;

    /**
     * This waiter gives up (cancel, time-out, the client went away): the request becomes withdrawn, unless
     * another waiter of this process still waits for it. Idempotent; never throws.
     */
    void withdraw();
}
