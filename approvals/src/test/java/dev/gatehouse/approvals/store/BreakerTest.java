package dev.gatehouse.approvals.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The breaker's state machine, on a clock stepped by hand: closed, open, the half-open probe succeeding and
 * failing, and concurrent callers while a probe is out. Plus which store failures open it.
 */
class BreakerTest {
    private static final Duration OPEN_FOR = Duration.ofSeconds(5);
    private static final Predicate<RuntimeException> ALWAYS = e -> true;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Breaker breaker = new Breaker(OPEN_FOR, now::get);
    private final AtomicInteger ran = new AtomicInteger();

    private String ok() {
        return breaker.call(() -> {
            ran.incrementAndGet();
            return "ok";
        }, ALWAYS);
    }

    private StoreUnavailableException fail(RuntimeException cause, Predicate<RuntimeException> trips) {
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> breaker.call(() -> {
            ran.incrementAndGet();
            throw cause;
        }, trips));
        return thrown instanceof StoreUnavailableException s ? s : null;
    }

    private StoreUnavailableException down() {
        return new StoreUnavailableException("approvals store failed: connection refused", null);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /** A fast refusal: the work never ran. */
    private StoreUnavailableException refusedAtOnce() {
        int before = ran.get();
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, this::ok);
        assertEquals(before, ran.get(), "a refused call must not reach the store");
        assertTrue(e.getMessage().contains("refusing at once"), e.getMessage());
        return e;
    }

    @Test
    void closedRunsEveryCallAndAnAnsweredFailureLeavesItClosed() {
        assertEquals("ok", ok());
        assertEquals("ok", ok());
        IllegalArgumentException answered = new IllegalArgumentException("bad input");
        fail(answered, e -> false);
        assertTrue(breaker.isClosed());
        assertEquals("ok", ok());
        assertEquals(4, ran.get());
    }

    @Test
    void aStoreFailureOpensItAndCallsAreRefusedAtOnceForTheWholePeriod() {
        StoreUnavailableException cause = down();
        assertSame(cause, fail(cause, ALWAYS), "the failing call itself sees its own failure");
        assertFalse(breaker.isClosed());
        StoreUnavailableException refused = refusedAtOnce();
        assertTrue(refused.getMessage().contains("connection refused"), "names the failure that opened it: " + refused.getMessage());
        advance(OPEN_FOR.minusMillis(1));
        refusedAtOnce();
    }

    @Test
    void halfOpenProbeThatSucceedsClosesIt() {
        fail(down(), ALWAYS);
        advance(OPEN_FOR);
        assertEquals("ok", ok(), "the first call after the period is the probe and runs");
        assertTrue(breaker.isClosed());
        assertEquals("ok", ok());
        assertEquals(3, ran.get());
    }

    @Test
    void halfOpenProbeThatFailsReopensItForAnotherPeriod() {
        fail(down(), ALWAYS);
        advance(OPEN_FOR);
        fail(down(), ALWAYS);
        assertFalse(breaker.isClosed());
        refusedAtOnce();
        advance(OPEN_FOR.minusMillis(1));
        refusedAtOnce();
        advance(Duration.ofMillis(1));
        assertEquals("ok", ok());
        assertTrue(breaker.isClosed());
    }

    @Test
    void aBackgroundProbeDoesNothingWhileClosed() {
        assertFalse(breaker.probeNow(() -> {
            ran.incrementAndGet();
            return null;
        }, ALWAYS));
        assertEquals(0, ran.get());
        assertTrue(breaker.isClosed());
    }

    @Test
    void aBackgroundProbeThatSucceedsClosesItBeforeThePeriodEnds() {
        fail(down(), ALWAYS);
        advance(Duration.ofMillis(100));
        assertTrue(breaker.probeNow(() -> "ok", ALWAYS), "the prober does not wait for the open period");
        assertTrue(breaker.isClosed());
        assertEquals("ok", ok());
    }

    @Test
    void aBackgroundProbeThatFailsPushesTheCallersTurnAway() {
        fail(down(), ALWAYS);
        advance(OPEN_FOR.minusMillis(1));
        assertThrows(StoreUnavailableException.class, () -> breaker.probeNow(() -> {
            throw down();
        }, ALWAYS));
        advance(Duration.ofMillis(1));
        refusedAtOnce();
        advance(OPEN_FOR.minusMillis(2));
        refusedAtOnce();
        advance(Duration.ofMillis(1));
        assertEquals("ok", ok(), "without a prober the callers still probe after a whole period");
    }

    @Test
    void aBackgroundProbeStandsAsideWhileACallerProbes() {
        fail(down(), ALWAYS);
        advance(OPEN_FOR);
        Breaker.Permit callers = breaker.enter();
        int before = ran.get();
        assertFalse(breaker.probeNow(() -> {
            ran.incrementAndGet();
            return null;
        }, ALWAYS));
        assertEquals(before, ran.get(), "one probe at a time");
        breaker.succeeded(callers);
        assertTrue(breaker.isClosed());
    }

    @Test
    void aProbeThatFailsWithAnAnswerStillClosesIt() {
        fail(down(), ALWAYS);
        advance(OPEN_FOR);
        fail(new IllegalStateException("the store answered: no such request"), e -> false);
        assertTrue(breaker.isClosed(), "an answer, even an error, shows the store is back");
    }

    @Test
    void aLateFailureOfACallAdmittedBeforeTheOutageDoesNotExtendIt() {
        Breaker.Permit early = breaker.enter();
        fail(down(), ALWAYS);
        advance(OPEN_FOR);
        breaker.failed(early, down()); // the early call's time-out lands after the period
        assertEquals("ok", ok(), "the probe is still due");
        assertTrue(breaker.isClosed());
    }

    @Test
    void aCallerThatWaitedBehindAFailingAttemptIsRefusedOnRecheck() {
        Breaker.Permit waited = breaker.enter();
        fail(down(), ALWAYS);
        assertThrows(StoreUnavailableException.class, () -> breaker.recheck(waited));
        advance(OPEN_FOR);
        Breaker.Permit probe = breaker.enter();
        breaker.recheck(probe); // the probe itself is never refused by its own probing
        breaker.succeeded(probe);
        assertTrue(breaker.isClosed());
    }

    @Test
    void anUnusedProbeHandsItsTurnToTheNextCaller() {
        fail(down(), ALWAYS);
        advance(OPEN_FOR);
        breaker.release(breaker.enter());
        assertEquals("ok", ok(), "the next caller probes at once");
        assertTrue(breaker.isClosed());
    }

    @Test
    void anErrorInTheProbeReopensRatherThanLeavingItHalfOpen() {
        fail(down(), ALWAYS);
        advance(OPEN_FOR);
        assertThrows(AssertionError.class, () -> breaker.call(() -> {
            throw new AssertionError("boom");
        }, ALWAYS));
        refusedAtOnce();
        advance(OPEN_FOR);
        assertEquals("ok", ok());
    }

    @Test
    void concurrentCallersDuringTheProbeAreRefusedAtOnceAndOnlyTheProbeReachesTheStore() throws Exception {
        fail(down(), ALWAYS);
        advance(OPEN_FOR);
        int before = ran.get();
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> probe = threads.submit(() -> breaker.call(() -> {
                ran.incrementAndGet();
                probing.countDown();
                await(release);
                return "probe";
            }, ALWAYS));
            assertTrue(probing.await(10, TimeUnit.SECONDS));
            List<Future<Boolean>> others = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                others.add(threads.submit(() -> {
                    try {
                        ok();
                        return false;
                    } catch (StoreUnavailableException refused) {
                        return true;
                    }
                }));
            }
            for (Future<Boolean> f : others) {
                assertTrue(f.get(10, TimeUnit.SECONDS), "refused while the probe is out, without waiting for it");
            }
            assertEquals(before + 1, ran.get(), "only the probe reached the store");
            release.countDown();
            assertEquals("probe", probe.get(10, TimeUnit.SECONDS));
        }
        assertTrue(breaker.isClosed());
        assertEquals("ok", ok());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theOpenPeriodIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> new Breaker(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Breaker(Duration.ofMinutes(6)));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("pool time-out, no SQLState", wrap(new SQLTransientConnectionException("request timed out after 3000ms")), true),
                Arguments.of("connection refused (08001)", wrap(new SQLException("Connection refused", "08001")), true),
                Arguments.of("connection lost mid-transaction (08006)", wrap(new SQLException("I/O error", "08006")), true),
                Arguments.of("administrator shut the server down (57P01)", wrap(new SQLException("terminating", "57P01")), true),
                Arguments.of("too many connections (53300)", wrap(new SQLException("too many clients", "53300")), true),
                Arguments.of("unique violation (23505)", wrap(new SQLException("duplicate key", "23505")), false),
                Arguments.of("serialization failure (40001)", wrap(new SQLException("could not serialize", "40001")), false),
                Arguments.of("missing table (42P01)", wrap(new SQLException("no such table", "42P01")), false),
                Arguments.of("bad data (22001)", wrap(new SQLException("value too long", "22001")), false),
                Arguments.of("NUL in PostgreSQL text (22021)", wrap(new SQLException("invalid byte sequence", "22021")), false),
                Arguments.of("MySQL: a character the column cannot hold (HY000, 1366)",
                        wrap(new SQLException("Incorrect string value", "HY000", 1366)), false),
                Arguments.of("MySQL: over max_allowed_packet (HY000, 1301)",
                        wrap(new SQLException("Result of concat() was larger than max_allowed_packet", "HY000", 1301)), false),
                Arguments.of("MySQL: any other general error (HY000, 1290 read-only)",
                        wrap(new SQLException("running with --read-only", "HY000", 1290)), true),
                Arguments.of("our own code failed, no SQL at all", new IllegalStateException("bug"), false));
    }

    private static StoreUnavailableException wrap(SQLException e) {
        return new StoreUnavailableException("approvals store failed: " + e.getMessage(), e);
    }

    @ParameterizedTest(name = "{0} -> opens: {2}")
    @MethodSource("failures")
    void whichStoreFailuresOpenTheBreaker(String name, RuntimeException failure, boolean opens) {
        assertEquals(opens, Store.meansDown(failure), name);
    }
}
