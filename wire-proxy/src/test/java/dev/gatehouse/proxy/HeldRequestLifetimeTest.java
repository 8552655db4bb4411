package dev.gatehouse.proxy;

import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Vote;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.enforce.checkpoint.Checkpoint;
import dev.gatehouse.enforce.guard.PolicyGuard;
import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A held statement's request lives exactly as long as somebody waits for it: through the proxy as {@code serve}
 * runs it (the production guard, a real approvals store, WAIT mode) in front of the real PostgreSQL, with real
 * clients. What counts is what the user sees: the request's state, whether an approval can still run anything,
 * and the table's rows afterwards.
 */
class HeldRequestLifetimeTest {
    private static final String TABLE = "held_life";
    private static final String DELETE = "DELETE FROM " + TABLE + " WHERE id = 1";
    /** One thread per client: the common pool has a single worker on a two-core machine. */
    private static final java.util.concurrent.Executor THREADS = task -> Thread.ofVirtual().start(task);
    private static ProxyServer server;
    private static Store store;
    private static ApprovalService service;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-held-life");
        Path policyFile = dir.resolve("policy.yaml");
        Files.writeString(policyFile, """
                version: 1
                defaults: { unparsed: deny, otherwise: allow }
                approvers: { dba: [alice] }
                rules:
                  - id: held-deletes
                    match: { kinds: [WRITE], tables: ["*.%s"] }
                    action: review
                    approvers: [dba]
                    reason: deletes here are approved by a DBA
                """.formatted(TABLE));
        Policy policy = Policy.load(policyFile);
        store = Store.open("jdbc:h2:file:" + dir.resolve("store"), "sa", "", 4);
        service = new ApprovalService(store, policy.approvers(), ServiceOptions.defaults(), null);
        Checkpoint checkpoint = new Checkpoint(policy, () -> service, AuditSettings.DEFAULT, Gate.DEFAULT_MAXIMUM_SIZE);
        PolicyGuard guard = new PolicyGuard(checkpoint.forClient(Dialect.POSTGRES, Catalog.EMPTY), policy,
                HoldMode.WAIT);
        Limits limits = new Limits(64 << 20, 100, Duration.ofSeconds(30), Duration.ofMinutes(5), 1000, 1 << 20,
                Duration.ofMinutes(2), Duration.ofSeconds(30));
        server = new ProxyServer(new ProxyConfig(new InetSocketAddress("127.0.0.1", 0), ProxyFixture.POSTGRES, null,
                limits, guard, null)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        service.close();
        store.close();
        ProxyFixture.directly("DROP TABLE IF EXISTS " + TABLE);
    }

    @BeforeEach
    void freshTable() throws SQLException {
        ProxyFixture.directly("DROP TABLE IF EXISTS " + TABLE);
        ProxyFixture.directly("CREATE TABLE " + TABLE + " (id int)");
        ProxyFixture.directly("INSERT INTO " + TABLE + " VALUES (1), (2), (3)");
    }

    /** psql waits for approval and is killed: the request is withdrawn at once, and no approval can run it. */
    @Test
    void aKilledClientsRequestIsWithdrawnAndCannotBeApproved() throws Exception {
        Process psql = new ProcessBuilder("psql", "-X", "-h", "127.0.0.1", "-p", String.valueOf(server.port()),
                "-U", "postgres", "-d", "test", "-c", DELETE).redirectErrorStream(true).start();
        try {
            ApprovalRequest pending = awaitPending(1);
            psql.destroyForcibly(); // SIGKILL: no Terminate, no cancel; the socket just closes
            assertTrue(psql.waitFor(10, TimeUnit.SECONDS));
            assertEquals(RequestState.WITHDRAWN, awaitLeaves(pending.id(), RequestState.PENDING, Duration.ofSeconds(5)),
                    "the request of a client that went away is withdrawn within seconds");
            service.vote(pending.id(), "alice", Vote.Choice.APPROVE, "late", "test");
            assertEquals(RequestState.WITHDRAWN, service.find(pending.id()).orElseThrow().state(),
                    "a withdrawn request cannot be approved");
            // An identical re-send is a new request, held again: the old one gives it nothing.
            try (Connection c = connect("preferQueryMode=simple"); Statement s = c.createStatement()) {
                CompletableFuture<Object> again = CompletableFuture.supplyAsync(() -> run(s, DELETE), THREADS);
                ApprovalRequest fresh = awaitPending(1);
                assertTrue(!fresh.id().equals(pending.id()), "a new request, not the withdrawn one");
                s.cancel();
                again.get(20, TimeUnit.SECONDS);
            }
            assertEquals(List.of(1, 2, 3), ids(), "nothing ran");
        } finally {
            psql.destroyForcibly();
        }
    }

    /**
     * Two clients send the identical statement and share one request; one cancels. The other still waits, and
     * the approval runs its statement once.
     */
    @Test
    void oneWaiterCancellingLeavesTheSharedRequestToTheOther() throws Exception {
        try (Connection first = connect("preferQueryMode=simple"); Connection second = connect("preferQueryMode=simple");
             Statement a = first.createStatement(); Statement b = second.createStatement()) {
            CompletableFuture<Object> ranA = CompletableFuture.supplyAsync(() -> run(a, DELETE), THREADS);
            ApprovalRequest shared = awaitPending(1);
            CompletableFuture<Object> ranB = CompletableFuture.supplyAsync(() -> run(b, DELETE), THREADS);
            awaitWaiters(shared.id(), 2); // b joined the same request and waits for it too
            assertEquals(1, service.list(RequestState.PENDING, null, 10).size(), "both joined one request");
            a.cancel();
            Object aEnded = ranA.get(20, TimeUnit.SECONDS);
            assertTrue(aEnded instanceof SQLException e && "57014".equals(e.getSQLState()),
                    "the cancelled client hears query_canceled: " + aEnded);
            assertEquals(RequestState.PENDING, service.find(shared.id()).orElseThrow().state(),
                    "the other waiter still waits for it");
            service.vote(shared.id(), "alice", Vote.Choice.APPROVE, "ok", "test");
            Object bEnded = ranB.get(20, TimeUnit.SECONDS);
            assertEquals(Boolean.FALSE, bEnded, "the remaining waiter's DELETE ran: " + bEnded);
            assertEquals(List.of(2, 3), ids());
            assertEquals(RequestState.CONSUMED, service.find(shared.id()).orElseThrow().state());
        }
    }

    /** execute()'s result, or the SQLException it threw. */
    private static Object run(Statement s, String sql) {
        try {
            return s.execute(sql);
        } catch (SQLException e) {
            return e;
        }
    }

    private static ApprovalRequest awaitPending(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            List<ApprovalRequest> pending = service.list(RequestState.PENDING, null, 10);
            if (pending.size() == count) {
                return pending.get(0);
            }
            Thread.sleep(50);
        }
        fail("no pending request appeared");
        return null;
    }

    /** Waits (bounded) until {@code count} clients' holds wait for the request. */
    private static void awaitWaiters(String id, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (service.waitingFor(id) < count) {
            if (System.nanoTime() > deadline) {
                fail(count + " waiters never waited for request " + id);
            }
            Thread.sleep(20);
        }
    }

    private static RequestState awaitLeaves(String id, RequestState state, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        RequestState now = service.find(id).orElseThrow().state();
        while (now == state && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = service.find(id).orElseThrow().state();
        }
        return now;
    }

    private static Connection connect(String mode) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + server.port() + "/test?sslmode=disable&" + mode, p);
    }

    private static List<Integer> ids() throws SQLException {
        try (Connection c = ProxyFixture.direct(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE + " ORDER BY id")) {
            List<Integer> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
            return out;
        }
    }
}
