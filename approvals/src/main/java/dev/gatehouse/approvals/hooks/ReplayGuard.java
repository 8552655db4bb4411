package dev.gatehouse.approvals.hooks;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Remembers what was already accepted (signatures, delivery ids) for as long as its timestamp could still
 * pass the window check, so a captured request cannot be played twice. Older entries are forgotten because
 * the timestamp check rejects them anyway. The cache is bounded; when it is full of entries still inside
 * the window it refuses new requests (fail closed) rather than forget one that could then be replayed.
 *
 * <p>Thread-safe: called from HTTP handler threads; the lock is held for in-memory work only.
 */
final class ReplayGuard {

    private final int capacity;
    private final long windowSeconds;
    private final Map<String, Long> seen = new LinkedHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    ReplayGuard(int capacity, long windowSeconds) {
        this.capacity = capacity;
        this.windowSeconds = windowSeconds;
    }

    /**
     * Records {@code keys} (all of them, atomically) and returns true if none was seen before and there was
     * room; otherwise records nothing and returns false.
     */
    boolean firstTime(List<String> keys, long timestampSeconds, long nowSeconds) {
        lock.lock();
        try {
            for (String key : keys) {
                if (seen.containsKey(key)) {
                    return false;
                }
            }
            if (seen.size() + keys.size() > capacity) {
                forgetExpired(nowSeconds);
                if (seen.size() + keys.size() > capacity) {
                    return false;
                }
            }
            for (String key : keys) {
                seen.put(key, timestampSeconds);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void forgetExpired(long nowSeconds) {
        Iterator<Long> timestamps = seen.values().iterator();
        while (timestamps.hasNext()) {
            if (timestamps.next() < nowSeconds - windowSeconds) {
                timestamps.remove();
            }
        }
    }
}
