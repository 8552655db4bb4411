package dev.gatehouse.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.store.Store;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two service instances sharing one PostgreSQL store, as a team runs them. */
class CrossInstanceTest {
    private static TestStores ts;
    private static Store storeA;
    private static Store storeB;
    private static ApprovalService a;
    private static ApprovalService b;

    @BeforeAll
    static void start() {
        ts = TestStores.postgres();
        storeA = ts.open();
        storeB = ts.open();
        // A long poll interval proves that LISTEN/NOTIFY, not polling, releases the waiter within a second.
        a = new ApprovalService(storeA, Submissions.APPROVERS, ServiceOptions.defaults().withPollInterval(Duration.ofSeconds(30)), null);
        b = new ApprovalService(storeB, Submissions.APPROVERS, ServiceOptions.defaults().withPollInterval(Duration.ofSeconds(30)), null);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        storeA.close();
        storeB.close();
        ts.drop();
    }

    @Test
    void anApprovalOnOneInstanceReleasesAWaiterOnTheOtherWithinASecond() throws Exception {
        Submission sub = Submissions.simple("delete from users where id = 1", Submissions.dba(1));
        String id = a.open(sub).requestId();
        assertTrue(b.open(sub).joined(), "the other instance joins the same pending request");
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Outcome> waiter = ex.submit(() -> a.await(id, Duration.ofSeconds(20)));
            Thread.sleep(300);
            long t0 = System.nanoTime();
            b.vote(id, "alice", Vote.Choice.APPROVE, "ok", "api");
            Outcome o = waiter.get(5, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(new Outcome.Approved(id), o);
            assertTrue(ms < 1000, "released after " + ms + " ms");
        }
        assertTrue(a.claim(id, sub) ^ b.claim(id, sub), "exactly one instance claims");
    }

    @Test
    void withoutNotificationsBoundedPollingReleasesAWaiterOnASharedMysqlStore() throws Exception {
        TestStores my = TestStores.mysql();
        ServiceOptions polling = ServiceOptions.defaults().withPollInterval(Duration.ofMillis(250));
        try (Store s1 = my.open(); Store s2 = my.open();
             ApprovalService one = new ApprovalService(s1, Submissions.APPROVERS, polling, null);
             ApprovalService two = new ApprovalService(s2, Submissions.APPROVERS, polling, null);
             ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Submission sub = Submissions.simple("delete from users where id = 2", Submissions.dba(1));
            String id = one.open(sub).requestId();
            Future<Outcome> waiter = ex.submit(() -> one.await(id, Duration.ofSeconds(20)));
            Thread.sleep(300);
            long t0 = System.nanoTime();
            two.vote(id, "alice", Vote.Choice.APPROVE, "ok", "api");
            assertEquals(new Outcome.Approved(id), waiter.get(5, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 1000, "released after " + ms + " ms");
        } finally {
            my.drop();
        }
    }

    @Test
    void aDenialOnOneInstanceReleasesAHolderOnTheOther() throws Exception {
        Submission sub = Submissions.simple("drop table users", Submissions.dba(1));
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Outcome> held = ex.submit(() -> a.hold(sub, Duration.ofSeconds(20)));
            String id = null;
            for (int i = 0; i < 200 && id == null; i++) {
                var p = b.list(RequestState.PENDING, null, 50).stream().filter(r -> r.sql().equals(sub.sql())).findFirst();
                id = p.map(ApprovalRequest::id).orElse(null);
                Thread.sleep(20);
            }
            b.vote(id, "bob", Vote.Choice.DENY, "no", "api");
            Outcome o = held.get(2, TimeUnit.SECONDS);
            assertEquals(Outcome.Denied.class, o.getClass());
        }
    }
}
