package dev.gatehouse.proxy.guard;

import java.time.Duration;

/**
 * A pending approval request as the proxy sees it while a statement waits.
 *
 * <p>Threads: {@link #await} runs on the session's client-reader thread; {@link #withdraw} is called from
 * another connection's thread (a CancelRequest) while {@code await} blocks, and must make it return promptly.
 * The proxy also interrupts the waiting thread on cancel, so an {@code await} that honours interrupts is enough.
 */
public interface Hold {

    /**
     * Blocks until the request is decided or {@code max} has passed.
     *
     * @return {@link Resolution.Approved} only when this caller has claimed the approval (it runs exactly once)
     */
    Resolution await(Duration max) throws InterruptedException;

    /** The client gave up (cancel, maximum wait, disconnect): the request becomes withdrawn. Idempotent. */
    void withdraw();
}
