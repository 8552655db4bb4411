package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.proxy.PrivatePostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: the approvals store goes down and comes back. {@code serve} with its proxy (audit of every allowed
 * statement on) keeps its store on a private PostgreSQL cluster, which is stopped under it and started again;
 * the proxied database is the shared server. Asserted: nothing risky runs while the store is down (held,
 * allowed-but-unauditable and denied statements all refused, the waiting client included), clients and API
 * callers get the documented errors (ZG003, 42501, HTTP 503), no request, vote or audit record is lost (counts,
 * and {@code audit verify}; the client told ZG003 re-sends and joins the request it left pending), and service
 * resumes by itself: the same serve, untouched, works again.
 */
class StoreOutageTest {
    static final String POLICY = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice, bob, carol] }
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
              - id: secrets
                match: { kinds: [READ], tables: ["*.gh_so_secrets"] }
                action: review
                approvers: [dba]
                quorum: 2
                on_hold: fail
                reason: two people read the secrets table
            """;
    static final String DB = "jdbc:postgresql://127.0.0.1:5432/test";
    /** The store pool's connection time-out (Store.open): what a call waits when the store is down and no breaker is open. */
    static final long POOL_TIMEOUT_MS = 3_000;
    /** Slack for a busy 2-core machine on top of the bounds below. */
    static final long MARGIN_MS = 2_000;
    /**
     * After the store is back: at worst the breaker was just re-opened by a probe that failed (one pool time-out,
     * started just before the store came up), so one open period, that probe's time-out, and the margin.
     */
    static final long RECOVERY_BOUND_MS = dev.gatehouse.approvals.store.Breaker.OPEN_FOR.toMillis() + POOL_TIMEOUT_MS + MARGIN_MS;
    /** Blocking clients each on their own thread (the common pool may have a single worker on a small machine). */
    static final java.util.concurrent.Executor CLIENTS = Executors.newVirtualThreadPerTaskExecutor();

    @TempDir
    Path dir;

    @Test
    void theStoreGoesDownAndComesBackWithNothingRiskyRunAndNothingLost() throws Exception {
        FaultBed.exec(DB, "DROP TABLE IF EXISTS gh_so_items, gh_so_secrets",
                "CREATE TABLE gh_so_items (id int PRIMARY KEY, n int NOT NULL)", "INSERT INTO gh_so_items VALUES (1, 0), (2, 0)",
                "CREATE TABLE gh_so_secrets (id int PRIMARY KEY, secret text)", "INSERT INTO gh_so_secrets VALUES (1, 'swordfish')");
        Files.writeString(dir.resolve("policy.yaml"), POLICY);
        try (PrivatePostgres cluster = new PrivatePostgres()) {
            String storeUrl = cluster.url();
            ServeSettings settings = new ServeSettings(new ServeSettings.HostPort("127.0.0.1", 0), null,
                    new StoreSettings(storeUrl, "postgres", null), dir.resolve("policy.yaml"),
                    new AuditSettings(AuditSettings.AllowMode.ALL, 1, false), List.of(), ServeSettings.Inbound.NONE,
                    ProxySettings.DEFAULT.withListen(new ServeSettings.HostPort("127.0.0.1", 0)).withCatalog(CatalogSettings.DEFAULT.withUser("postgres")));
            try (Serve.Running serve = Serve.start(settings, Map.<String, String>of()::get)) {
                TokenStore tokens = new TokenStore(serve.store());
                FaultBed alice = new FaultBed(serve.server().port(), serve.proxy().port(), tokens.issue("alice"));
                FaultBed bob = new FaultBed(serve.server().port(), serve.proxy().port(), tokens.issue("bob"));
                outageAndRecovery(cluster, storeUrl, alice, bob);
            }
        } finally {
            FaultBed.exec(DB, "DROP TABLE IF EXISTS gh_so_items, gh_so_secrets");
        }
    }

    /** A probe's result and how long it took to come. */
    record Timed<T>(T value, long ms) {
        static <T> Timed<T> of(java.util.concurrent.Callable<T> call) throws Exception {
            long at = System.nanoTime();
            T value = call.call();
            return new Timed<>(value, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - at));
        }
    }

    private static SQLException refused(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            return assertThrows(SQLException.class, () -> s.execute(sql));
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private void outageAndRecovery(PrivatePostgres cluster, String storeUrl, FaultBed alice, FaultBed bob) throws Exception {
        // Before: a FAIL-mode request with one of its two votes, and a client waiting on a WAIT-mode request.
        String secretSql = "SELECT secret FROM gh_so_secrets WHERE id = 1";
        try (Connection c = alice.proxied("test", "simple"); Statement s = c.createStatement()) {
            assertEquals("ZG001", assertThrows(SQLException.class, () -> s.executeQuery(secretSql)).getSQLState());
        }
        String secretId = FaultBed.requestFor(storeUrl, secretSql);
        for (String mode : List.of("simple", "extended")) {
            long audited = FaultBed.StoreCounts.of(storeUrl).audit();
            try (Connection c = alice.proxied("test", mode); Statement s = c.createStatement()) {
                audited = FaultBed.StoreCounts.of(storeUrl).audit(); // after the start-up SETs' audited allows
                assertEquals("42501", assertThrows(SQLException.class, () -> s.execute("GRANT SELECT ON gh_so_items TO PUBLIC"))
                        .getSQLState());
            }
            assertEquals(audited + 1, FaultBed.StoreCounts.of(storeUrl).audit(), mode + ": the denial is audited");
        }
        assertEquals(200, alice.vote(secretId, "approve").statusCode());
        String bulkSql = "UPDATE gh_so_items SET n = n + 1";
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
            try (Connection c = alice.proxied("test", "extended"); Statement s = c.createStatement()) {
                return s.executeUpdate(bulkSql);
            } catch (SQLException e) {
                throw new RuntimeException(e);
            }
        }, CLIENTS);
        String bulkId = FaultBed.requestFor(storeUrl, bulkSql);
        FaultBed.StoreCounts before = FaultBed.StoreCounts.of(storeUrl);
        long waiterToldMs;
        long probesMs;
        // Opened before the outage: with every allow audited, even pgjdbc's start-up SETs need the store.
        List<Connection> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            open.add(alice.proxied("test", i % 2 == 0 ? "extended" : "simple"));
        }

        cluster.stop(PrivatePostgres.Shutdown.FAST);
        long downAt = System.nanoTime();
        // The waiting client: a clear ZG003, never a run, within one pool time-out (its withdrawal costs no second).
        ExecutionException waited = assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
        SQLException waitError = (SQLException) waited.getCause().getCause();
        assertEquals("ZG003", waitError.getSQLState(), waitError.getMessage());
        assertTrue(waitError.getMessage().contains("approvals store"), waitError.getMessage());
        waiterToldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downAt);
        assertTrue(waiterToldMs < POOL_TIMEOUT_MS + MARGIN_MS, "the waiter heard ZG003 only after " + waiterToldMs + " ms");

        // That failure opened the breaker: every front end now refuses at once, none waits out the pool time-out.
        long probesAt = System.nanoTime();
        try (ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Timed<SQLException>> held = probes.submit(() -> Timed.of(() -> refused(open.get(0), "DELETE FROM gh_so_items")));
            Future<Timed<SQLException>> allowed = probes.submit(() -> Timed.of(() -> refused(open.get(1), "SELECT count(*) FROM gh_so_items")));
            Future<Timed<SQLException>> denied = probes.submit(() -> Timed.of(() -> refused(open.get(2), "GRANT SELECT ON gh_so_items TO PUBLIC")));
            Future<Timed<SQLException>> secret = probes.submit(() -> Timed.of(() -> refused(open.get(3), secretSql)));
            Future<Timed<SQLException>> connect = probes.submit(() -> Timed.of(() -> assertThrows(SQLException.class,
                    () -> alice.proxied("test", "simple").close())));
            Future<Timed<HttpResponse<String>>> lateVote = probes.submit(() -> Timed.of(() -> bob.vote(secretId, "approve")));
            Future<Timed<HttpResponse<String>>> list = probes.submit(() -> Timed.of(() -> bob.get("/api/requests?state=pending")));
            Future<Timed<HttpResponse<String>>> ready = probes.submit(() -> Timed.of(() -> bob.get("/readyz")));

            assertEquals("ZG003", held.get().value().getSQLState(), "a statement needing review is refused: " + held.get().value().getMessage());
            assertEquals("ZG003", allowed.get().value().getSQLState(), "audit of allows is required, so allows are refused too");
            assertEquals("42501", denied.get().value().getSQLState(), denied.get().value().getMessage());
            assertTrue(denied.get().value().getMessage().contains("could not be audited"), denied.get().value().getMessage());
            assertEquals("ZG003", secret.get().value().getSQLState(), secret.get().value().getMessage());
            assertEquals("ZG003", connect.get().value().getSQLState(), "a new session's start-up SETs are allows that cannot be audited");
            assertEquals(503, lateVote.get().value().statusCode(), lateVote.get().value().body());
            assertTrue(lateVote.get().value().body().contains("store unavailable"), lateVote.get().value().body());
            assertEquals(503, list.get().value().statusCode(), list.get().value().body());
            assertEquals(503, ready.get().value().statusCode(), "a load balancer sees this instance is not ready");
            assertFalse(ready.get().value().body().contains("Exception"), "readiness says no more than that: " + ready.get().value().body());
            Map<String, Future<? extends Timed<?>>> all = Map.of("held", held, "allowed", allowed, "denied", denied,
                    "secret", secret, "connect", connect, "vote", lateVote, "list", list, "ready", ready);
            for (Map.Entry<String, Future<? extends Timed<?>>> e : all.entrySet()) {
                long ms = e.getValue().get().ms();
                assertTrue(ms < POOL_TIMEOUT_MS, e.getKey() + " waited " + ms + " ms: the breaker should refuse at once");
            }
            probesMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - probesAt);
        }
        for (Connection c : open) {
            c.close();
        }

        cluster.start();
        long upAt = System.nanoTime();
        // Service resumes by itself: the pool reconnects; the first audited allow through the proxy times it.
        int rows = FaultBed.await(Duration.ofSeconds(30), "an allowed statement through the proxy", () -> {
            try (Connection c = alice.proxied("test", "simple"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM gh_so_items")) {
                rs.next();
                return rs.getInt(1);
            } catch (SQLException e) {
                assertEquals("ZG003", e.getSQLState(), "while recovering only ZG003: " + e.getMessage());
                return null;
            }
        });
        long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upAt);
        assertTrue(recoveredMs < RECOVERY_BOUND_MS, "service came back only " + recoveredMs + " ms after the store");
        assertEquals(2, rows);
        // Readiness asks the store at most once a second: ready again within a few of them.
        FaultBed.await(Duration.ofSeconds(10), "readiness after the store is back",
                () -> bob.get("/readyz").statusCode() == 200 ? Boolean.TRUE : null);

        // Nothing lost: both requests are still pending, alice's vote is still there, and nothing risky ran.
        assertEquals("pending", FaultBed.state(storeUrl, bulkId), "the request of the client that got ZG003 stays");
        assertEquals("pending", FaultBed.state(storeUrl, secretId));
        FaultBed.StoreCounts after = FaultBed.StoreCounts.of(storeUrl);
        assertEquals(before.requests(), after.requests(), "no request lost, none made while down");
        assertEquals(before.votes(), after.votes(), "alice's vote kept; bob's 503 vote not recorded");
        assertTrue(after.audit() > before.audit(), "the allow after recovery is audited");
        assertEquals(0, FaultBed.count(DB, "SELECT sum(n) FROM gh_so_items"), "the held UPDATE never ran");

        // The second vote now goes through, and the identical re-send runs once.
        assertEquals(200, bob.get("/api/requests?state=pending").statusCode());
        HttpResponse<String> secondVote = bob.vote(secretId, "approve");
        assertEquals(200, secondVote.statusCode(), secondVote.body());
        try (Connection c = alice.proxied("test", "simple"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(secretSql)) {
                assertTrue(rs.next());
                assertEquals("swordfish", rs.getString(1));
            }
            assertEquals("ZG001", assertThrows(SQLException.class, () -> s.executeQuery(secretSql)).getSQLState(),
                    "one approval, one run");
        }
        // The client that got ZG003 re-sends its UPDATE (psql, which prints the hold's NOTICE while it waits): it
        // joins the request it left pending, no new one, and an approval releases it, once.
        ProcessBuilder psql = new ProcessBuilder("psql", "-X", "-h", "127.0.0.1", "-p", String.valueOf(alice.proxyPort()),
                "-U", "postgres", "-d", "test", "-c", bulkSql);
        psql.environment().put("PGSSLMODE", "disable");
        Path psqlErr = dir.resolve("psql.err");
        Process again = psql.redirectError(psqlErr.toFile()).start();
        ServeProxyTest.awaitText(psqlErr, "request " + bulkId);
        assertEquals(200, bob.vote(bulkId, "approve").statusCode());
        String out = new String(again.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(again.waitFor(20, TimeUnit.SECONDS));
        assertEquals("UPDATE 2", out.trim(), Files.readString(psqlErr));
        assertEquals(2, FaultBed.count(DB, "SELECT sum(n) FROM gh_so_items"), "the UPDATE ran once, after approval");
        assertEquals(before.requests() + 1, FaultBed.StoreCounts.of(storeUrl).requests(),
                "one new request (the secret read after its one run); the re-sent UPDATE joined its old one");
        assertEquals(before.votes() + 2, FaultBed.StoreCounts.of(storeUrl).votes());
        Ran verify = Ran.main("audit", "verify", "--store", storeUrl, "--store-user", "postgres");
        assertEquals(0, verify.exit(), verify.out() + verify.err());
        assertTrue(verify.out().contains("chain intact"), verify.out());
        System.out.printf("store outage: waiting client told ZG003 after %d ms, all probes (breaker open) answered within %d ms; first audited allow %d ms after the store"
                + " was back; %d requests, %d votes, %d audit records before the outage%n", waiterToldMs, probesMs, recoveredMs,
                before.requests(), before.votes(), before.audit());
    }
}
