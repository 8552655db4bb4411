package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.approvals.hooks.HookConfig;
import dev.gatehouse.approvals.hooks.HookDispatcher;
import dev.gatehouse.approvals.hooks.HookTarget;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: web hook receivers time out or fail. {@code serve} (with its proxy, test-sized hook bounds) sends
 * {@code request.created} to three real HTTP receivers: one that hangs past the request timeout, one that answers
 * 500 and one that closes the connection without an answer. Asserted: the held statement keeps waiting and is
 * released by an approval through the API; each receiver gets exactly {@code maxAttempts} attempts with the
 * same delivery id and a growing, bounded backoff; each give-up is counted, shown by {@code GET /api/hooks} and
 * logged once without the hook secret or URL path; a burst of requests overflows the bounded queue into counted
 * drops (logged sparsely) without delaying any statement; no request, vote or audit record is lost.
 */
class HookFaultTest {
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
              - id: secrets
                match: { kinds: [READ], tables: ["*.gh_hf_secrets"] }
                action: review
                approvers: [dba]
                on_hold: fail
                reason: secrets are read with approval
            """;
    static final String DB = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String HOOK_SECRET = "hook-secret-faults-9c1e";
    static final String PATH_TOKEN = "path-token-faults-51d0";
    static final HookConfig BOUNDS = new HookConfig(8, 3, 3, Duration.ofMillis(500), Duration.ofMillis(300),
            Duration.ofMillis(100), Duration.ofMillis(400), 100, Duration.ofSeconds(1));

    enum Failure { HANG, STATUS_500, CLOSE }

    /** A real receiver on 127.0.0.1 that fails every request its own way; remembers each attempt. */
    static final class FailingReceiver implements AutoCloseable {
        record Attempt(String delivery, long atNanos) {
        }

        final Failure failure;
        final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        private final CountDownLatch release = new CountDownLatch(1);
        private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        private final HttpServer server;

        FailingReceiver(Failure failure) throws IOException {
            this.failure = failure;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(executor);
            server.createContext("/", ex -> {
                try (InputStream in = ex.getRequestBody()) {
                    in.readAllBytes();
                }
                attempts.add(new Attempt(ex.getRequestHeaders().getFirst("X-Gatehouse-Delivery"), System.nanoTime()));
                switch (failure) {
                    case HANG -> {
                        try {
                            release.await(10, TimeUnit.SECONDS); // far past the 300 ms request timeout
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        ex.close();
                    }
                    case STATUS_500 -> {
                        ex.sendResponseHeaders(500, -1);
                        ex.close();
                    }
                    // The JDK server drops the connection, unanswered, when a handler throws.
                    case CLOSE -> throw new IOException("receiver closes the connection");
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/" + PATH_TOKEN;
        }

        String hostPort() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
            executor.close();
        }
    }

    /** What the dispatcher logs, formatted as an operator would read it. */
    static final class Captured extends Handler {
        final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        public void publish(LogRecord r) {
            lines.add(new SimpleFormatter().formatMessage(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @TempDir
    Path dir;

    @Test
    void failingReceiversNeverHoldUpAStatementOrLoseARequest() throws Exception {
        FaultBed.exec(DB, "DROP TABLE IF EXISTS gh_hf_items, gh_hf_secrets",
                "CREATE TABLE gh_hf_items (id int PRIMARY KEY, n int NOT NULL)", "INSERT INTO gh_hf_items VALUES (1, 0), (2, 0)",
                "CREATE TABLE gh_hf_secrets (id int PRIMARY KEY, secret text)");
        Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Captured log = new Captured();
        Logger dispatcherLog = Logger.getLogger(HookDispatcher.class.getName());
        dispatcherLog.addHandler(log);
        List<FailingReceiver> receivers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, String> env = new HashMap<>(Map.of("HOOK_SECRET", HOOK_SECRET));
            List<ServeSettings.Hook> hooks = new ArrayList<>();
            for (Failure f : Failure.values()) {
                FailingReceiver r = new FailingReceiver(f);
                receivers.add(r);
                env.put("URL_" + f, r.url());
                hooks.add(new ServeSettings.Hook(HookTarget.Kind.GENERIC, new ValueSource.Env("URL_" + f, "hooks[" + f + "].url_env"),
                        new ValueSource.Env("HOOK_SECRET", "hooks[" + f + "].secret_env"), Set.of("request.created")));
            }
            ServeSettings settings = new ServeSettings(new ServeSettings.HostPort("127.0.0.1", 0), null,
                    new StoreSettings("jdbc:h2:file:" + dir.resolve("store"), null, null), dir.resolve("policy.yaml"),
                    dev.gatehouse.approvals.audit.AuditSettings.DEFAULT, hooks, ServeSettings.Inbound.NONE,
                    ProxySettings.DEFAULT.withListen(new ServeSettings.HostPort("127.0.0.1", 0)).withCatalog(CatalogSettings.DEFAULT.withUser("postgres")));
            try (Serve.Running serve = Serve.start(settings, env::get, BOUNDS)) {
                FaultBed alice = new FaultBed(serve.server().port(), serve.proxy().port(),
                        new TokenStore(serve.store()).issue("alice"));
                receiversFail(serve, alice, receivers, log, clients);
            }
        } finally {
            dispatcherLog.removeHandler(log);
            receivers.forEach(FailingReceiver::close);
            FaultBed.exec(DB, "DROP TABLE IF EXISTS gh_hf_items, gh_hf_secrets");
        }
    }

    private void receiversFail(Serve.Running serve, FaultBed alice, List<FailingReceiver> receivers, Captured log,
                               ExecutorService clients) throws Exception {
        String sql = "UPDATE gh_hf_items SET n = n + 1";
        CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> {
            try (Connection c = alice.proxied("test", "extended"); Statement s = c.createStatement()) {
                return s.executeUpdate(sql);
            } catch (SQLException e) {
                throw new RuntimeException(e);
            }
        }, clients);
        long t0 = System.nanoTime();
        JsonNode health = FaultBed.await(Duration.ofSeconds(20), "three deliveries given up", () -> {
            JsonNode h = Json.MAPPER.readTree(alice.get("/api/hooks").body());
            return h.get("failed").asInt() == 3 ? h : null;
        });
        long gaveUpMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(3, health.get("accepted").asInt(), health.toString());
        assertEquals(0, health.get("delivered").asInt(), health.toString());
        assertEquals(6, health.get("retries").asInt(), "two retries per receiver: " + health);

        // The statement still waits, and its request is pending, whatever the receivers did.
        assertFalse(held.isDone(), "the held statement still waits");
        String id = serve.service().list(dev.gatehouse.approvals.RequestState.PENDING, null, 10).getFirst().id();

        Map<Failure, String> reasons = new HashMap<>();
        for (JsonNode f : health.get("recent_failures")) {
            assertEquals(id, f.get("request_id").asText());
            assertEquals(3, f.get("attempts").asInt(), f.toString());
            for (FailingReceiver r : receivers) {
                if (f.get("target").asText().contains(r.hostPort())) {
                    reasons.put(r.failure, f.get("reason").asText());
                }
            }
            assertFalse(f.toString().contains(PATH_TOKEN), "no URL path in the failure record: " + f);
        }
        assertTrue(reasons.get(Failure.HANG).startsWith("timeout"), reasons.toString());
        assertTrue(reasons.get(Failure.STATUS_500).startsWith("HTTP 500"), reasons.toString());
        assertTrue(reasons.get(Failure.CLOSE).startsWith("I/O error"), reasons.toString());
        List<Long> gaps = new ArrayList<>();
        for (FailingReceiver r : receivers) {
            List<FailingReceiver.Attempt> a = List.copyOf(r.attempts);
            assertEquals(3, a.size(), r.failure + ": bounded attempts");
            assertEquals(1, a.stream().map(FailingReceiver.Attempt::delivery).distinct().count(), "one delivery id on every retry");
            for (int i = 1; i < a.size(); i++) {
                long gap = TimeUnit.NANOSECONDS.toMillis(a.get(i).atNanos() - a.get(i - 1).atNanos());
                // Equal jitter: at least half the step (50 ms, then 100 ms); the 400 ms ceiling plus the attempt.
                assertTrue(gap >= 50L << (i - 1), r.failure + " retried too soon: " + gap + " ms");
                assertTrue(gap < 400 + 300 + 1_000, r.failure + " waited past the ceiling: " + gap + " ms");
                gaps.add(gap);
            }
        }
        List<String> givenUp = log.lines.stream().filter(l -> l.contains("given up")).toList();
        assertEquals(3, givenUp.size(), log.lines.toString());
        for (FailingReceiver r : receivers) {
            assertTrue(givenUp.stream().anyMatch(l -> l.contains(r.hostPort()) && l.contains(id) && l.contains("3 attempt")),
                    givenUp.toString());
        }

        // Approval through the API still works: the statement runs, once.
        assertEquals(200, alice.vote(id, "approve").statusCode());
        assertEquals(2, held.get(20, TimeUnit.SECONDS));
        assertEquals(2, FaultBed.count(DB, "SELECT sum(n) FROM gh_hf_items"));

        // A burst while a receiver hangs: 12 requests (36 deliveries) against 3 in flight + 8 queued. Statements
        // are answered at once (ZG001), the overflow is dropped and counted, and every request is in the store.
        long burst0 = System.nanoTime();
        for (int i = 0; i < 12; i++) {
            try (Connection c = alice.proxied("test", "simple"); Statement s = c.createStatement()) {
                String q = "SELECT secret FROM gh_hf_secrets WHERE id = " + i;
                assertEquals("ZG001", assertThrows(SQLException.class, () -> s.executeQuery(q)).getSQLState());
            }
        }
        long burstMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - burst0);
        JsonNode after = Json.MAPPER.readTree(alice.get("/api/hooks").body());
        long accepted = after.get("accepted").asLong();
        long dropped = after.get("dropped").asLong();
        assertEquals(3 + 36, accepted + dropped, "every delivery accepted or counted as dropped: " + after);
        assertTrue(dropped > 0, "the bounded queue overflowed: " + after);
        long dropLines = log.lines.stream().filter(l -> l.contains("dropped (queue full)")).count();
        assertTrue(dropLines >= 1 && dropLines <= 64 - Long.numberOfLeadingZeros(dropped) + 1,
                dropLines + " drop log lines for " + dropped + " drops");
        assertEquals(13, serve.service().list(null, null, 100).size(), "every request is in the store");
        for (String line : log.lines) {
            assertFalse(line.contains(HOOK_SECRET) || line.contains(PATH_TOKEN), "a secret reached the log: " + line);
        }
        Ran verify = Ran.main("audit", "verify", "--store", "jdbc:h2:file:" + dir.resolve("store"));
        assertEquals(0, verify.exit(), verify.out() + verify.err());
        System.out.printf("hook faults: 3 receivers given up %d ms after the request, retry gaps %s ms; burst of 12"
                + " requests answered in %d ms with %d of 39 deliveries dropped (%d log lines)%n", gaveUpMs, gaps, burstMs,
                dropped, dropLines);
    }
}
