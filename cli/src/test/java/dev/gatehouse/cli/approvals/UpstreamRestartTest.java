package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.proxy.PrivatePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: the database restarts under the proxy. {@code serve}'s proxy fronts a private PostgreSQL cluster that is
 * restarted with a fast and with an immediate shutdown while one client is in the middle of a query, one is held
 * for approval and one sits idle. Asserted: each gets a clear error (SQLSTATE class 57P or 08, never a hang),
 * the held statement's request is withdrawn and cannot be approved into running later, nothing held ran, new
 * connections work once the server is back without touching serve, and the proxy keeps no thread or server
 * connection of the broken sessions (counted from the JVM's threads and /proc/net/tcp).
 */
class UpstreamRestartTest {
    static final String POLICY = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: bulk-writes
                match: { kinds: [WRITE], unbounded: true }
                action: review
                approvers: [dba]
                reason: UPDATE or DELETE without a WHERE
            """;
    /** Blocking clients each on their own thread (the common pool may have a single worker on a small machine). */
    static final java.util.concurrent.Executor CLIENTS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    static final Set<String> CLEAR = Set.of("57P01", "57P02", "57P03", "08006", "08003");

    @TempDir
    static Path dir;
    static PrivatePostgres upstream;
    static Serve.Running serve;
    static FaultBed alice;

    @BeforeAll
    static void start() throws Exception {
        upstream = new PrivatePostgres();
        FaultBed.exec(upstream.url(), "CREATE TABLE gh_ur_items (id int PRIMARY KEY, n int NOT NULL)",
                "INSERT INTO gh_ur_items VALUES (1, 0), (2, 0)");
        Files.writeString(dir.resolve("policy.yaml"), POLICY);
        ServeSettings settings = ServeSettings.defaults().withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                .withPolicy(dir.resolve("policy.yaml")).withStore(new StoreSettings("jdbc:h2:file:" + dir.resolve("store"), null, null))
                .withProxy(ProxySettings.DEFAULT.withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                        .withUpstream(new ServeSettings.HostPort("127.0.0.1", upstream.port)).withCatalog(CatalogSettings.DEFAULT.withUser("postgres")));
        serve = Serve.start(settings, Map.<String, String>of()::get);
        alice = new FaultBed(serve.server().port(), serve.proxy().port(), new TokenStore(serve.store()).issue("alice"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @ParameterizedTest(name = "{0} shutdown: in-flight, held and idle clients get clear errors; the proxy recovers and leaks nothing")
    @EnumSource(PrivatePostgres.Shutdown.class)
    void theDatabaseRestartsUnderTheProxy(PrivatePostgres.Shutdown mode) throws Exception {
        long sessionThreads = FaultBed.threads("gatehouse-session-");
        long relayThreads = FaultBed.threads("gatehouse-relay-");
        assertEquals(0, FaultBed.connectionsTo(upstream.port), "nothing else talks to the private cluster");

        CompletableFuture<Object> inFlight = CompletableFuture.supplyAsync(() -> run("extended", "SELECT pg_sleep(60)"), CLIENTS);
        String heldSql = "UPDATE gh_ur_items SET n = n + 1 /* " + mode + " */";
        CompletableFuture<Object> held = CompletableFuture.supplyAsync(() -> run("simple", heldSql), CLIENTS);
        Connection idle = alice.proxied("postgres", "extended");
        String heldId = FaultBed.await(Duration.ofSeconds(20), "the held request", () -> held.isDone()
                ? fail("the held statement ended: " + held.handle((r, e) -> r + " / " + e).get()) : serve.service()
                .list(dev.gatehouse.approvals.RequestState.PENDING, null, 100).stream()
                .filter(r -> r.sql().contains("gh_ur_items") && r.sql().contains(mode.name())).map(r -> r.id()).findFirst().orElse(null));
        FaultBed.await(Duration.ofSeconds(20), "pg_sleep running on the server", () -> FaultBed.count(upstream.url(),
                "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'") == 1 ? true : null);

        long t0 = System.nanoTime();
        upstream.stop(mode);
        SQLException queryError = sqlError(inFlight);
        SQLException heldError = sqlError(held);
        long toldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(CLEAR.contains(queryError.getSQLState()), queryError.getSQLState() + " " + queryError.getMessage());
        assertTrue(CLEAR.contains(heldError.getSQLState()), heldError.getSQLState() + " " + heldError.getMessage());
        // The held statement's session is gone: its request must not wait for an approval that would run nothing.
        assertEquals("withdrawn", FaultBed.await(Duration.ofSeconds(10), "the held request withdrawn",
                () -> serve.service().find(heldId).map(r -> r.state().wire()).filter(s -> !s.equals("pending")).orElse(null)));
        assertEquals(409, alice.vote(heldId, "approve").statusCode(), "a withdrawn request cannot be approved");

        // While the server is down, a new client is told why rather than finding its connection just closed.
        SQLException down = assertThrows(SQLException.class, () -> alice.proxied("postgres", "simple").close());
        assertEquals("08006", down.getSQLState(), down.getMessage());
        assertTrue(down.getMessage().contains("could not connect to the database server"), down.getMessage());

        upstream.start();
        long upAt = System.nanoTime();
        try (Statement s = idle.createStatement()) {
            SQLException idleError = assertThrows(SQLException.class, () -> s.executeQuery("SELECT 1"));
            assertTrue(CLEAR.contains(idleError.getSQLState()), idleError.getSQLState() + " " + idleError.getMessage());
        }
        idle.close();
        int n = FaultBed.await(Duration.ofSeconds(20), "a new session through the proxy", () -> {
            try (Connection c = alice.proxied("postgres", "extended"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT sum(n) FROM gh_ur_items")) {
                rs.next();
                return rs.getInt(1);
            } catch (SQLException e) {
                return null;
            }
        });
        long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upAt);
        assertEquals(0, n, "the held UPDATE never ran");

        // Nothing leaked: every session and relay thread of the broken sessions ended, no server connection stays.
        FaultBed.await(Duration.ofSeconds(10), "the proxy's threads back to where they were", () ->
                FaultBed.threads("gatehouse-session-") == sessionThreads && FaultBed.threads("gatehouse-relay-") == relayThreads
                        && FaultBed.connectionsTo(upstream.port) == 0 && FaultBed.connectionsTo(alice.proxyPort()) == 0 ? true : null);
        assertNotEquals(0, serve.proxy().port(), "the same proxy serves on");
        System.out.printf("upstream %s restart: in-flight %s, held %s, told within %d ms; first new session %d ms after"
                        + " the server was back; session threads %d, relay threads %d, server connections %d afterwards%n",
                mode, queryError.getSQLState(), heldError.getSQLState(), toldMs, recoveredMs,
                FaultBed.threads("gatehouse-session-"), FaultBed.threads("gatehouse-relay-"), FaultBed.connectionsTo(upstream.port));
    }

    private static Object run(String mode, String sql) {
        try (Connection c = alice.proxied("postgres", mode); Statement s = c.createStatement()) {
            return s.execute(sql);
        } catch (SQLException e) {
            throw new RuntimeException(e);
        }
    }

    private static SQLException sqlError(CompletableFuture<Object> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        return (SQLException) e.getCause().getCause();
    }
}
