package dev.gatehouse.approvals.hooks;

import java.time.Duration;
import java.util.Objects;

/**
 * The dispatcher's bounds. Every queue, wait and retry is finite so a broken receiver can cost memory and
 * threads only up to these limits, and never delay a statement.
 *
 * @param queueCapacity deliveries waiting to be sent; beyond it publish drops (and records the drop)
 * @param maxInFlight deliveries being sent at once (each on its own virtual thread)
 * @param maxAttempts HTTP attempts per delivery, first included
 * @param connectTimeout TCP/TLS connect bound
 * @param requestTimeout bound on one attempt, response included
 * @param initialBackoff wait before the second attempt; doubles per attempt, with jitter
 * @param maxBackoff ceiling of the backoff wait (also caps a receiver's Retry-After)
 * @param failureHistory size of the ring of recent failures
 * @param closeWait how long close() lets queued deliveries drain before abandoning them
 *
 * <p>Immutable; any thread.
 */
public record HookConfig(int queueCapacity, int maxInFlight, int maxAttempts, Duration connectTimeout,
        Duration requestTimeout, Duration initialBackoff, Duration maxBackoff, int failureHistory,
        Duration closeWait) {

    /** Sensible production bounds: ~1 minute of retrying per delivery with 5 attempts. */
    public static final HookConfig DEFAULTS = new HookConfig(1024, 16, 5, Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(30), 100, Duration.ofSeconds(10));

    public HookConfig {
        positive(queueCapacity, "queueCapacity");
        positive(maxInFlight, "maxInFlight");
        positive(maxAttempts, "maxAttempts");
        positive(failureHistory, "failureHistory");
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(initialBackoff, "initialBackoff");
        positive(maxBackoff, "maxBackoff");
        Objects.requireNonNull(closeWait, "closeWait");
        if (closeWait.isNegative()) {
            throw new IllegalArgumentException("closeWait must not be negative");
        }
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
