package dev.gatehouse.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Vote;
import dev.gatehouse.approvals.audit.AuditVerifier;
import dev.gatehouse.approvals.store.Breaker;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.proxy.PrivatePostgres;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault, through the JDBC driver: its approvals store (a private PostgreSQL cluster) is down before the driver
 * first needs it, comes up, goes down under a waiting statement and comes back. Asserted: allowed statements
 * keep running (allows are not audited here), held ones fail closed with ZG003 (the waiter too), denials stay
 * 42501; while the store's breaker is open they are refused at once; a waiter hears ZG003 within one pool
 * time-out; once the store is back the driver uses it again by itself within one open period of the breaker and
 * a probe's time-out (opening the store, then through the pool's reconnect); the request opened between the
 * outages is still pending, and approved it runs once on the identical re-send; the refused waiter's request
 * expires by its TTL; the audit chain verifies.
 */
class StoreOutageDriverTest {
    static final String POLICY = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: privileges
                match: { kinds: [PRIVILEGE] }
                action: deny
                reason: grants are managed elsewhere
              - id: bulk-writes
                match: { kinds: [WRITE], unbounded: true }
                action: review
                approvers: [dba]
                reason: UPDATE or DELETE without a WHERE
            """;

    /** The store pool's connection time-out (Store.open): what a call waits when the store is down and no breaker is open. */
    static final long POOL_TIMEOUT_MS = 3_000;
    /** Slack for a busy 2-core machine on top of the bounds below. */
    static final long MARGIN_MS = 2_000;
    /** Back at worst after a probe that just failed: its time-out, one open period of the breaker, and the margin. */
    static final long RECOVERY_BOUND_MS = Breaker.OPEN_FOR.toMillis() + POOL_TIMEOUT_MS + MARGIN_MS;

    @TempDir
    Path dir;

    @Test
    void theDriverFailsClosedWhileItsStoreIsDownAndUsesItAgainWhenItIsBack() throws Exception {
        String table = Databases.uniqueTable("gh_ds");
        Databases.exec(Databases.PG, "CREATE TABLE " + table + " (id int PRIMARY KEY, n int NOT NULL)");
        Databases.exec(Databases.PG, "INSERT INTO " + table + " VALUES (1, 0), (2, 0)");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        String bulk = "UPDATE " + table + " SET n = n + 1";
        try (PrivatePostgres cluster = new PrivatePostgres(); ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            String storeUrl = cluster.url();
            String url = "jdbc:gatehouse:" + Databases.PG + "&gatehouse.policy=" + enc(policy.toString())
                    + "&gatehouse.approvals=" + enc(storeUrl) + "&gatehouse.approvals-user=postgres";

            // 1. Down before the driver ever opened it.
            cluster.stop(PrivatePostgres.Shutdown.FAST);
            try (Connection c = DriverManager.getConnection(url + "&gatehouse.review=fail"); Statement s = c.createStatement()) {
                assertEquals(2, count(s, table), "an allowed statement needs no store");
                SQLException held = assertThrows(SQLException.class, () -> s.executeUpdate(bulk));
                assertEquals("ZG003", held.getSQLState(), held.getMessage());
                // The failed open tripped the breaker: the denial's audit is refused at once, not after another time-out.
                long deniedAt = System.nanoTime();
                SQLException denied = assertThrows(SQLException.class, () -> s.execute("GRANT SELECT ON " + table + " TO PUBLIC"));
                long deniedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deniedAt);
                assertEquals("42501", denied.getSQLState(), denied.getMessage());
                assertTrue(denied.getMessage().contains("could not be audited"), denied.getMessage());
                assertTrue(deniedMs < POOL_TIMEOUT_MS, "the denial waited " + deniedMs + " ms for a store known to be down");
            }

            // 2. Back: within the retry period the driver opens it and the statement is held (FAIL mode: ZG001).
            cluster.start();
            long upAt = System.nanoTime();
            long firstHeldMs;
            try (Connection c = DriverManager.getConnection(url + "&gatehouse.review=fail"); Statement s = c.createStatement()) {
                while (true) {
                    SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(bulk));
                    if (e.getSQLState().equals("ZG001")) {
                        break;
                    }
                    assertEquals("ZG003", e.getSQLState(), e.getMessage());
                    assertTrue(System.nanoTime() - upAt < TimeUnit.SECONDS.toNanos(20), "the driver never used the store again");
                    Thread.sleep(200);
                }
                firstHeldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upAt);
                assertTrue(firstHeldMs < RECOVERY_BOUND_MS, "the driver used the store again only after " + firstHeldMs + " ms");
            }

            // 3. Down under a waiting statement (WAIT mode): the waiter gets ZG003, allows still run.
            String waitSql = "DELETE FROM " + table;
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                    return s.executeUpdate(waitSql);
                } catch (SQLException e) {
                    throw new RuntimeException(e);
                }
            }, clients);
            try (Store direct = Store.open(storeUrl, "postgres", null, 1)) {
                awaitPending(direct, waitSql);
            }
            cluster.stop(PrivatePostgres.Shutdown.FAST);
            long downAt = System.nanoTime();
            ExecutionException waited = assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
            SQLException waitError = (SQLException) waited.getCause().getCause();
            assertEquals("ZG003", waitError.getSQLState(), waitError.getMessage());
            long waiterToldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downAt);
            assertTrue(waiterToldMs < POOL_TIMEOUT_MS + MARGIN_MS, "the waiter heard ZG003 only after " + waiterToldMs
                    + " ms: one pool time-out at most, its withdrawal must not add a second");
            long heldDownMs;
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                assertEquals(2, count(s, table), "allows run while the store is down");
                // The waiter's failure opened the breaker: a new hold is refused at once, and nothing of it runs.
                long at = System.nanoTime();
                SQLException held = assertThrows(SQLException.class, () -> s.executeUpdate(waitSql));
                heldDownMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at);
                assertEquals("ZG003", held.getSQLState(), held.getMessage());
                assertTrue(heldDownMs < POOL_TIMEOUT_MS, "a held statement waited " + heldDownMs + " ms for a store known to be down");
                assertEquals(2, count(s, table), "the refused DELETE did not run");
            }

            // 4. Back again: the pool reconnects; the request from step 2 is still pending; approved, it runs once.
            cluster.start();
            try (Store store = Store.open(storeUrl, "postgres", null, 2);
                 ApprovalService desk = new ApprovalService(store, Map.of("dba", List.of("alice", "bob")), ServiceOptions.defaults(), null)) {
                ApprovalRequest pending = awaitPending(store, bulk);
                assertEquals(RequestState.PENDING, desk.find(pending.id()).orElseThrow().state());
                desk.vote(pending.id(), "alice", Vote.Choice.APPROVE, "fault test", "api");
                long backAt = System.nanoTime();
                try (Connection c = DriverManager.getConnection(url + "&gatehouse.review=fail"); Statement s = c.createStatement()) {
                    int updated;
                    while (true) {
                        try {
                            updated = s.executeUpdate(bulk);
                            break;
                        } catch (SQLException e) {
                            // While the driver's pool reconnects: ZG003 only, and never for long.
                            assertEquals("ZG003", e.getSQLState(), e.getMessage());
                            assertTrue(System.nanoTime() - backAt < TimeUnit.SECONDS.toNanos(20), "the pool never reconnected");
                            Thread.sleep(200);
                        }
                    }
                    assertEquals(2, updated, "the identical re-send runs once");
                    assertEquals("ZG001", assertThrows(SQLException.class, () -> s.executeUpdate(bulk)).getSQLState());
                }
                long reconnectMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - backAt);
                assertTrue(reconnectMs < RECOVERY_BOUND_MS, "the driver used the store again only after " + reconnectMs + " ms");
                assertEquals(2, sum(table), "only the approved UPDATE ran; the DELETE never did");
                // The DELETE's request, left pending when its waiter was refused (the withdrawal met the open breaker),
                // is not approvable forever: once its time runs out the sweep expires it.
                ApprovalRequest left = awaitPending(store, waitSql);
                Clock pastTtl = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), left.expiresAt()).plusSeconds(1));
                try (ApprovalService later = new ApprovalService(store, Map.of(), ServiceOptions.defaults().withClock(pastTtl), null)) {
                    later.expireDue();
                }
                assertEquals(RequestState.EXPIRED, desk.find(left.id()).orElseThrow().state());
                AuditVerifier.Result audit = AuditVerifier.verify(store);
                assertTrue(audit.ok(), audit.toString());
                System.out.printf("driver store outage: first hold %d ms after the store came up, waiter told ZG003 after %d ms,"
                        + " next hold refused after %d ms, approved re-send ran %d ms after the second start; %d audit records intact%n",
                        firstHeldMs, waiterToldMs, heldDownMs, reconnectMs, audit.records());
            }
        } finally {
            Databases.drop(Databases.PG, table);
        }
    }

    private static ApprovalRequest awaitPending(Store store, String sql) throws InterruptedException {
        try (ApprovalService s = new ApprovalService(store, Map.of(), ServiceOptions.defaults(), null)) {
            for (int i = 0; i < 400; i++) {
                for (ApprovalRequest r : s.list(RequestState.PENDING, null, 100)) {
                    if (r.sql().equals(sql)) {
                        return r;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("no pending request for " + sql);
    }

    private static int count(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long sum(String table) throws SQLException {
        try (Connection c = Databases.plainPostgres(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sum(n) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
