package dev.gatehouse.approvals.hooks;

/**
 * A snapshot of the dispatcher's counters, for health pages and metrics.
 *
 * @param accepted deliveries queued (one per event and interested target)
 * @param delivered deliveries a receiver answered with 2xx
 * @param retries attempts beyond the first
 * @param failed deliveries given up after their attempts, or refused permanently by the receiver
 * @param dropped deliveries never attempted: queue full, or published after close
 *
 * <p>Immutable; any thread.
 */
public record HookCounters(long accepted, long delivered, long retries, long failed, long dropped) {
}
