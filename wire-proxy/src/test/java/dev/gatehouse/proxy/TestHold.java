package dev.gatehouse.proxy;

import dev.gatehouse.enforce.checkpoint.Hold;
import dev.gatehouse.enforce.checkpoint.Resolution;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** A hold the test thread resolves. Thread-safe: awaited on a session thread, resolved from the test thread. */
final class TestHold implements Hold {
    private final CountDownLatch decided = new CountDownLatch(1);
    private final AtomicReference<Resolution> resolution = new AtomicReference<>();
    private final AtomicBoolean withdrawn = new AtomicBoolean();
    private final CountDownLatch waiting = new CountDownLatch(1);

    void resolve(Resolution r) {
        if (resolution.compareAndSet(null, r)) {
            decided.countDown();
        }
    }

    boolean withdrawn() {
        return withdrawn.get();
    }

    /** Blocks the test until a session waits on this hold. */
    boolean awaitWaiter(Duration max) throws InterruptedException {
        return waiting.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Resolution await(Duration max, java.util.function.BooleanSupplier wanted) throws InterruptedException {
        waiting.countDown();
        if (!decided.await(max.toNanos(), TimeUnit.NANOSECONDS)) {
            return new Resolution.StillPending();
        }
        return resolution.get();
    }

    @Override
    public void withdraw() {
        withdrawn.set(true);
        resolve(new Resolution.Expired());
    }
}
