package dev.gatehouse.enforce.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Opening the store on first need goes through the store's breaker: callers that arrive together make one
 * attempt between them, and after a failed attempt callers are refused at once (no second connect time-out)
 * until the breaker lets one probe through. Real stores: an unreachable PostgreSQL port, an in-memory H2.
 */
class LazyApprovalsTest {
    private static final int CALLERS = 8;

    /** Starts {@link #CALLERS} threads that call {@code get()} at the same moment; their results, in order. */
    private static List<Object> together(LazyApprovals lazy) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> calls = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CALLERS; i++) {
                calls.add(threads.submit(() -> {
                    go.await();
                    try {
                        return lazy.get();
                    } catch (StoreUnavailableException e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            List<Object> out = new ArrayList<>();
            for (Future<Object> f : calls) {
                out.add(f.get(30, TimeUnit.SECONDS));
            }
            return out;
        }
    }

    @Test
    void callersArrivingTogetherAtADownStoreMakeOneAttemptAndLaterCallersAreRefusedAtOnce() throws Exception {
        try (LazyApprovals lazy = new LazyApprovals("jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2", "postgres", null,
                Map.of(), ServiceOptions.defaults())) {
            List<Object> results = together(lazy);
            long attempts = results.stream().filter(r -> r instanceof StoreUnavailableException e
                    && e.getMessage().contains("unreachable") && !e.getMessage().contains("refusing at once")).count();
            long refused = results.stream().filter(r -> r instanceof StoreUnavailableException e
                    && e.getMessage().contains("refusing at once")).count();
            assertEquals(1, attempts, "one attempt to open the store between them: " + results);
            assertEquals(CALLERS - 1, refused, "the rest refused by the breaker, not by attempts of their own: " + results);

            StoreUnavailableException later = assertThrows(StoreUnavailableException.class, lazy::get);
            assertTrue(later.getMessage().contains("refusing at once") && later.getMessage().contains("unreachable"),
                    "a later caller is refused at once and told why: " + later.getMessage());
        }
    }

    @Test
    void callersArrivingTogetherAtAStoreThatIsUpShareOneService() throws Exception {
        String url = "jdbc:h2:mem:lazy-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (LazyApprovals lazy = new LazyApprovals(url, "sa", "", Map.of(), ServiceOptions.defaults())) {
            List<Object> results = together(lazy);
            ApprovalService first = (ApprovalService) results.get(0);
            for (Object r : results) {
                assertSame(first, r, "every caller gets the one service: " + results);
            }
            assertSame(first, lazy.get());
        }
    }

    @Test
    void aClosedServiceIsRefused() {
        LazyApprovals lazy = new LazyApprovals("jdbc:h2:mem:lazy-" + UUID.randomUUID(), "sa", "", Map.of(),
                ServiceOptions.defaults());
        lazy.close();
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class, lazy::get);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
