package dev.gatehouse.approvals;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.approvals.store.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The store goes away while the service runs (a loopback TCP relay to PostgreSQL is cut): opening, voting and
 * waiting all fail closed with {@link StoreUnavailableException}, and nothing is reported as approved.
 */
class StoreDownTest {

    @Test
    void aStoreThatGoesAwayFailsEveryReviewClosed() throws Exception {
        TestStores ts = TestStores.postgres();
        PostgresRelay relay = new PostgresRelay();
        String url = "jdbc:postgresql://127.0.0.1:" + relay.port() + "/test?currentSchema=" + ts.schema() + "&socketTimeout=5";
        try (Store store = Store.open(url, "postgres", null, 2);
             ApprovalService s = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null);
             ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Submission sub = Submissions.simple("delete from users", Submissions.dba(1));
            String id = s.open(sub).requestId();
            assertTrue(s.storeAnswers(), "ready while the store answers");
            Future<Outcome> waiter = ex.submit(() -> s.await(id, Duration.ofSeconds(60)));
            Thread.sleep(200);
            relay.close();

            ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(20, TimeUnit.SECONDS));
            assertInstanceOf(StoreUnavailableException.class, e.getCause());
            StoreUnavailableException open = assertThrows(StoreUnavailableException.class,
                    () -> s.open(Submissions.simple("drop table users", Submissions.dba(1))));
            assertTrue(open.getMessage().contains("approvals store"), open.getMessage());
            assertThrows(StoreUnavailableException.class, () -> s.vote(id, "alice", Vote.Choice.APPROVE, "", "api"));
            assertThrows(StoreUnavailableException.class, () -> s.claim(id, sub));
            assertFalse(s.storeAnswers(), "not ready while the store is gone");
            assertFalse(store.breaker().isClosed());
        } finally {
            ts.drop();
        }
    }

    @Test
    void theStoresProberClosesTheBreakerOnceTheStoreIsBackWithoutACaller() throws Exception {
        TestStores ts = TestStores.postgres();
        PostgresRelay relay = new PostgresRelay();
        int port = relay.port();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/test?currentSchema=" + ts.schema() + "&socketTimeout=5";
        // A bare store: no approvals service, so no expiry sweep calls it; only its prober can.
        try (Store store = Store.open(url, "postgres", null, 2)) {
            assertTrue(store.answers());
            relay.close();
            assertFalse(store.answers(), "the cut store fails and opens the breaker");
            assertFalse(store.breaker().isClosed());
            try (PostgresRelay back = new PostgresRelay(port)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!store.breaker().isClosed() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(store.breaker().isClosed(), "nobody called: the prober found the store back");
                assertTrue(store.answers());
            }
        } finally {
            ts.drop();
        }
    }
}
