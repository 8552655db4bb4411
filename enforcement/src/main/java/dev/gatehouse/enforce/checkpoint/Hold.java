package dev.gatehouse.enforce.checkpoint;

import java.time.Duration;

/**
 * A pending approval request as a front end (driver, proxy) sees it while a statement waits.
 *
 * <p>Threads: {@link #await} runs on the executing thread; {@link #withdraw} may be called from any other
 * thread (a {@code Statement#cancel()}) while {@code await} blocks, and must make it return promptly. The
 * driver also interrupts the waiting thread on cancel, so an {@code await} that honours interrupts is enough.
 */
public interface Hold {

    /**
     * Blocks until the request is decided or {@code max} has passed.
     *
     * @return {@link Resolution.Approved} only when this caller has claimed the approval (it runs exactly once)
     */
    Resolution await(Duration max) throws InterruptedException;

    /** The client gave up (cancel, timeout, maximum wait): the request becomes withdrawn. Idempotent. */
    void withdraw();
}
