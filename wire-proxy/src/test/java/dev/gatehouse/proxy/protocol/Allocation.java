package dev.gatehouse.proxy.protocol;

import java.lang.management.ManagementFactory;

/**
 * Bytes the calling thread allocates for one call, for the fuzz tests' bound on what a decoder may allocate
 * for a given input (a length or count field must be checked against the bytes really there before it sizes
 * an array).
 */
final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A decoding step; what it throws is its answer, not a failure of the measurement. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private Allocation() {
    }

    /**
     * Runs {@code step} twice and returns what the second run allocated: the first loads (and, under Jazzer,
     * instruments) the classes involved, which would otherwise count megabytes against the decoder.
     */
    static long of(Step step) {
        runQuietly(step);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        runQuietly(step);
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static void runQuietly(Step step) {
        try {
            step.run();
        } catch (Exception answered) {
            // a refusal is an answer; only the allocation is measured here
        }
    }

    /**
     * Generous for any honest decoder: a few bytes per input byte (strings may widen to UTF-16, each value is
     * an array with a header) plus a constant for the small objects. A decoder sizing an array from an
     * unchecked 16-bit count allocates up to 256 KiB for a 7-byte message and fails this.
     */
    static long bound(int inputBytes) {
        return 16L * inputBytes + 32 * 1024;
    }
}
