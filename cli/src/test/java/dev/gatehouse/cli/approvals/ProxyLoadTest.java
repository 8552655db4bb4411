package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.proxy.Limits;
import dev.gatehouse.proxy.PrivatePostgres;
import dev.gatehouse.proxy.RawClient;
import dev.gatehouse.proxy.SessionThreads;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code serve}'s wire proxy under load, in this JVM: a thousand raw protocol clients at once (pgjdbc would spend
 * the client side's memory and threads on itself; {@link RawClient} is a socket and a buffer) through the proxy to
 * a private PostgreSQL cluster that takes them (the shared server on 5432 keeps its settings). 200 of them send a
 * statement the policy holds; the other 800 keep running allowed reads and writes meanwhile; the 200 are then
 * approved one by one through the HTTP API in a shuffled order, and each is released by its own approval and by
 * nothing else: the server's serial column records the order they ran in. Connection 1,001 is refused with
 * PostgreSQL's own 53300. After the clients close, the proxy's session threads, the process's file descriptors,
 * the server's backends and the heap after GC are back to where they were. Both kinds of session threads run.
 *
 * <p>Figures (threads, fds, RSS, heap, timings) go to the test's output as one {@code LOAD} line per kind.
 */
class ProxyLoadTest {
    static final int CLIENTS = 1000;
    static final int HELD = 200;
    /** Concurrent connection attempts while opening: well under the proxy's listen backlog. */
    static final int OPENERS = 64;
    /** The heap after GC may grow this much over a whole round (H2's page cache, the decision cache). */
    static final long HEAP_SLACK = 24L << 20;

    static final String POLICY = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice] }
            rules:
              - id: held-writes
                match: { kinds: [WRITE], tables: ["*.gh_load_held"] }
                action: review
                approvers: [dba]
                on_hold: wait
                reason: the load test holds these
              - id: ledger
                match: { kinds: [WRITE], tables: ["*.gh_load_ledger"] }
                action: deny
                reason: never written through the proxy
            """;

    @TempDir
    static Path dir;
    static PrivatePostgres postgres;

    @BeforeAll
    static void cluster() throws Exception {
        long fdLimit = openFileLimit();
        // Each client is three descriptors here: its own socket, the proxy's client socket and upstream socket.
        assertTrue(fdLimit >= 3L * CLIENTS + 1_000, "raise the open-file limit (ulimit -n) to at least "
                + (3 * CLIENTS + 1_000) + "; it is " + fdLimit);
        postgres = new PrivatePostgres(CLIENTS + 40);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE test");
        }
        try (Connection c = direct(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE gh_load_items (id int PRIMARY KEY, n int NOT NULL)");
            s.execute("INSERT INTO gh_load_items SELECT g, 0 FROM generate_series(0, " + CLIENTS + ") g");
            s.execute("CREATE TABLE gh_load_held (seq bigserial PRIMARY KEY, client int NOT NULL)");
            s.execute("CREATE TABLE gh_load_ledger (id int PRIMARY KEY, amount int NOT NULL)");
            s.execute("INSERT INTO gh_load_ledger VALUES (1, 10)");
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @ParameterizedTest(name = "{0} session threads: 1,000 clients, 200 held and released in approval order, nothing leaks")
    @EnumSource(SessionThreads.class)
    void thousandClientsTwoHundredHeld(SessionThreads threads) throws Exception {
        execute("TRUNCATE gh_load_held RESTART IDENTITY");
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        // No "still waiting" notice during the run: a held client must have nothing to read until its approval.
        Limits limits = Limits.DEFAULTS.withMaxConnections(CLIENTS).withHold(Duration.ofMinutes(5), Duration.ofMinutes(5));
        ServeSettings settings = ServeSettings.defaults().withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                .withPolicy(policy)
                .withStore(new StoreSettings("jdbc:h2:file:" + dir.resolve("store-" + threads), null, null))
                .withProxy(new ProxySettings(new ServeSettings.HostPort("127.0.0.1", 0),
                        new ServeSettings.HostPort("127.0.0.1", postgres.port), null, null, limits, null, null, threads, null,
                        CatalogSettings.DEFAULT.withUser("postgres")));
        try (Serve.Running serve = Serve.start(settings, Map.<String, String>of()::get);
             HttpClient http = HttpClient.newHttpClient()) {
            String token = new TokenStore(serve.store()).issue("alice");
            int port = serve.proxy().port();
            warmUp(port);
            Snapshot before = Snapshot.settled();
            assertEquals(0, before.sessionThreads, "the warm-up's sessions ended");

            // 1,000 clients at once.
            long gc0 = gcMillis();
            long t0 = System.nanoTime();
            RawClient[] clients = open(port);
            long openMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(CLIENTS, backends(), "one server backend per client");

            // Connection 1,001: the proxy's own limit, answered as PostgreSQL answers it.
            SQLException over = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + port + "/test?sslmode=disable", "postgres", ""));
            assertEquals("53300", over.getSQLState(), over.getMessage());
            assertTrue(over.getMessage().contains("too many clients"), over.getMessage());

            // 200 held: each hears the notice, nothing reaches the server.
            for (int k = 0; k < HELD; k++) {
                clients[k].send(RawClient.query(heldSql(k)));
            }
            for (int k = 0; k < HELD; k++) {
                assertEquals("N", clients[k].next(), "client " + k + " is told its statement is held");
            }
            Map<Integer, String> requests = pendingRequests(serve);
            assertEquals(HELD, requests.size());
            assertEquals(0, count("SELECT count(*) FROM gh_load_held"), "nothing held has run");

            // The other 800 run allowed traffic (and a denied write now and then) the whole time.
            Traffic traffic = new Traffic(clients);
            traffic.start();
            traffic.awaitRounds(2);
            Snapshot peak = Snapshot.busy(threads);

            // Approvals in a known (shuffled) order; each releases exactly its own client.
            List<Integer> order = new ArrayList<>();
            for (int k = 0; k < HELD; k++) {
                order.add(k);
            }
            Collections.shuffle(order, new Random(6));
            long[] releaseMicros = new long[HELD];
            long a0 = System.nanoTime();
            for (int i = 0; i < HELD; i++) {
                int k = order.get(i);
                long v0 = System.nanoTime();
                HttpResponse<String> vote = approve(http, serve, token, requests.get(k));
                assertEquals(200, vote.statusCode(), vote.body());
                assertEquals(List.of("C", "Z:I"), clients[k].untilReady(1), "client " + k + " ran its statement");
                releaseMicros[i] = (System.nanoTime() - v0) / 1_000;
                for (int j = i + 1; j < HELD; j++) {
                    int waiting = order.get(j);
                    assertEquals(0, clients[waiting].in.available(), "client " + waiting + " is still held after "
                            + (i + 1) + " approvals");
                }
            }
            long approveMillis = (System.nanoTime() - a0) / 1_000_000;
            long trafficRounds = traffic.stop();
            long gcDuringLoad = gcMillis() - gc0;
            assertEquals(order, ranInOrder(), "the server ran the held statements once each, in approval order");
            assertEquals(10, count("SELECT amount FROM gh_load_ledger WHERE id = 1"), "the denied write never ran");

            long c0 = System.nanoTime();
            for (RawClient c : clients) {
                c.close();
            }
            Snapshot after = Snapshot.settled();
            long settleMillis = (System.nanoTime() - c0) / 1_000_000;
            Arrays.sort(releaseMicros);
            String figures = String.format("LOAD threads=%s clients=%d held=%d open_ms=%d approve_ms=%d close_settle_ms=%d traffic_rounds=%d"
                            + " traffic_statements=%d traffic_per_s=%.0f gc_ms=%d release_ms_p50=%.1f release_ms_max=%.1f"
                            + " platform_threads=%d/%d/%d session_threads=%d/%d/%d fds=%d/%d/%d backends=%d/%d/%d"
                            + " heap_mb=%.1f/%.1f/%.1f rss_mb=%.1f/%.1f/%.1f (before/peak/after)",
                    threads, CLIENTS, HELD, openMillis, approveMillis, settleMillis, trafficRounds, traffic.statements.get(),
                    traffic.statements.get() * 1e9 / (traffic.stoppedAt - traffic.startedAt), gcDuringLoad,
                    releaseMicros[HELD / 2] / 1000.0, releaseMicros[HELD - 1] / 1000.0,
                    before.platformThreads, peak.platformThreads, after.platformThreads,
                    before.sessionThreads, peak.sessionThreads, after.sessionThreads,
                    before.fds, peak.fds, after.fds, before.backends, peak.backends, after.backends,
                    mb(before.heap), mb(peak.heap), mb(after.heap), mb(before.rss), mb(peak.rss), mb(after.rss));
            System.out.println(figures);

            assertEquals(0, after.sessionThreads, "no session thread left: " + figures);
            assertEquals(before.backends, after.backends, "no upstream connection left: " + figures);
            // The JDK's own threads may have grown meanwhile (carriers of the test's virtual threads, the HTTP client's).
            assertTrue(after.platformThreads <= before.platformThreads + 6, "platform threads back: " + figures);
            assertTrue(after.fds <= before.fds + 4, "file descriptors back: " + figures);
            assertTrue(after.heap <= before.heap + HEAP_SLACK, "heap after GC back within "
                    + (HEAP_SLACK >> 20) + " MB: " + figures);
        }
    }

    // ------------------------------------------------------------------ the clients

    static String heldSql(int k) {
        return "INSERT INTO gh_load_held (client) VALUES (" + k + ")";
    }

    /** A few connections open and close first: class loading and the first pool connections are not a leak. */
    static void warmUp(int port) throws Exception {
        for (int i = 0; i < 20; i++) {
            try (RawClient c = RawClient.started(port)) {
                c.send(RawClient.query("SELECT n FROM gh_load_items WHERE id = " + i));
                c.untilReady(1);
            }
        }
    }

    static RawClient[] open(int port) throws Exception {
        RawClient[] clients = new RawClient[CLIENTS];
        Semaphore attempts = new Semaphore(OPENERS);
        try (ExecutorService openers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> opened = new ArrayList<>();
            for (int k = 0; k < CLIENTS; k++) {
                int index = k;
                opened.add(openers.submit(() -> {
                    attempts.acquire();
                    try {
                        clients[index] = RawClient.started(port);
                    } finally {
                        attempts.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : opened) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        return clients;
    }

    /**
     * The 800 clients that are not held, driven by a few virtual threads, each going round its share of them:
     * a point read, every third round an allowed write, every tenth a denied write.
     */
    static final class Traffic {
        static final int DRIVERS = 8;
        final RawClient[] clients;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong statements = new AtomicLong();
        final AtomicLong[] rounds = new AtomicLong[DRIVERS];
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> drivers = new ArrayList<>();
        long startedAt;
        long stoppedAt;

        Traffic(RawClient[] clients) {
            this.clients = clients;
        }

        void start() {
            startedAt = System.nanoTime();
            for (int d = 0; d < DRIVERS; d++) {
                int driver = d;
                rounds[d] = new AtomicLong();
                drivers.add(Thread.ofVirtual().name("load-traffic-" + d).start(() -> drive(driver)));
            }
        }

        private void drive(int driver) {
            try {
                for (long round = 0; running.get(); round++) {
                    for (int k = HELD + driver; k < CLIENTS; k += DRIVERS) {
                        RawClient c = clients[k];
                        c.send(RawClient.query("SELECT n FROM gh_load_items WHERE id = " + k));
                        expect(c, "T", "D", "C", "Z:I");
                        if ((round + k) % 3 == 0) {
                            c.send(RawClient.query("UPDATE gh_load_items SET n = n + 1 WHERE id = " + k));
                            expect(c, "C", "Z:I");
                        }
                        if ((round + k) % 10 == 0) {
                            c.send(RawClient.query("UPDATE gh_load_ledger SET amount = 0 WHERE id = 1"));
                            expect(c, "E:42501", "Z:I");
                        }
                    }
                    rounds[driver].incrementAndGet();
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        }

        private void expect(RawClient c, String... messages) throws IOException {
            List<String> seen = c.untilReady(1);
            if (!seen.equals(List.of(messages))) {
                throw new AssertionError("expected " + List.of(messages) + " but the proxy answered " + seen);
            }
            statements.incrementAndGet();
        }

        void awaitRounds(long n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (minRounds() < n && failures.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(failures.isEmpty(), () -> "allowed traffic failed: " + failures.peek());
            assertTrue(minRounds() >= n, "allowed traffic made " + minRounds() + " rounds in 60 s");
        }

        /** Stops the drivers; every one of the 800 clients went round at least twice. */
        long stop() throws InterruptedException {
            running.set(false);
            for (Thread t : drivers) {
                t.join(30_000);
            }
            stoppedAt = System.nanoTime();
            assertTrue(failures.isEmpty(), () -> "allowed traffic failed: " + failures.peek());
            return minRounds();
        }

        private long minRounds() {
            long min = Long.MAX_VALUE;
            for (AtomicLong r : rounds) {
                min = Math.min(min, r.get());
            }
            return min;
        }
    }

    // ------------------------------------------------------------------ approvals

    /** The pending request of every held client, by client number (read from the store as the page lists them). */
    static Map<Integer, String> pendingRequests(Serve.Running serve) throws InterruptedException {
        Map<Integer, String> byClient = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (byClient.size() < HELD && System.nanoTime() < deadline) {
            byClient.clear();
            for (ApprovalRequest r : serve.service().list(RequestState.PENDING, null, 500)) {
                String sql = r.sql();
                int open = sql.lastIndexOf('(');
                byClient.put(Integer.parseInt(sql.substring(open + 1, sql.length() - 1)), r.id());
            }
            if (byClient.size() < HELD) {
                Thread.sleep(50);
            }
        }
        return byClient;
    }

    static HttpResponse<String> approve(HttpClient http, Serve.Running serve, String token, String id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.server().port()
                        + "/api/requests/" + id + "/approve"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"load test\"}")).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ the server's view

    static Connection admin() throws SQLException {
        return DriverManager.getConnection(postgres.url(), "postgres", "");
    }

    /** Database test of the private cluster, directly. */
    static Connection direct() throws SQLException {
        return DriverManager.getConnection(postgres.url().replace("/postgres?", "/test?"), "postgres", "");
    }

    static void execute(String sql) throws SQLException {
        try (Connection c = direct(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static int count(String sql) throws SQLException {
        try (Connection c = direct();
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static List<Integer> ranInOrder() throws SQLException {
        List<Integer> ran = new ArrayList<>();
        try (Connection c = direct();
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT client FROM gh_load_held ORDER BY seq")) {
            while (rs.next()) {
                ran.add(rs.getInt(1));
            }
        }
        return ran;
    }

    /**
     * Client backends of database test: the proxy's upstream connections (the checks here use database postgres),
     * without its own catalog connection to that database.
     */
    static int backends() throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = 'test'"
                        + " AND application_name IS DISTINCT FROM 'gatehouse-catalog'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    // ------------------------------------------------------------------ this process

    /**
     * What this process and the server hold at one moment. Session threads under load are counted only when they
     * are platform threads ({@link Thread#getAllStackTraces}), -1 otherwise: a thread dump, which also lists
     * virtual threads, can crash JDK 25's VM when it races with virtual threads ending (JDK-8392031, in
     * ThreadSnapshot), so it is only taken once the sessions are gone, never while they come and go.
     */
    record Snapshot(int platformThreads, int sessionThreads, int fds, int backends, long heap, long rss) {
        static Snapshot busy(SessionThreads kind) throws Exception {
            int sessions = -1;
            if (kind == SessionThreads.PLATFORM) {
                sessions = 0;
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    sessions += isSession(t.getName()) ? 1 : 0;
                }
            }
            return new Snapshot(ManagementFactory.getThreadMXBean().getThreadCount(), sessions, ProxyLoadTest.fds(),
                    ProxyLoadTest.backends(), heapAfterGc(), ProxyLoadTest.rss());
        }

        /**
         * After clients closed: their sessions end on their own threads, so wait (bounded) until the server has
         * no backend of theirs and the thread count stops falling, then count.
         */
        static Snapshot settled() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int threads = Integer.MAX_VALUE;
            while (System.nanoTime() < deadline) {
                Thread.sleep(250);
                int now = ManagementFactory.getThreadMXBean().getThreadCount();
                if (ProxyLoadTest.backends() == 0 && now >= threads) {
                    break;
                }
                threads = now;
            }
            Thread.sleep(500); // the last relay threads return after their sockets closed
            return new Snapshot(ManagementFactory.getThreadMXBean().getThreadCount(), ProxyLoadTest.sessionThreads(),
                    ProxyLoadTest.fds(), ProxyLoadTest.backends(), heapAfterGc(), ProxyLoadTest.rss());
        }
    }

    /**
     * The proxy's session threads, virtual ones included (the thread MX bean sees platform threads only): counted
     * in a thread dump of this JVM by their names.
     */
    static int sessionThreads() throws IOException {
        Path dump = Files.createTempFile(dir, "threads", ".txt");
        Files.delete(dump);
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
        int n = 0;
        for (String line : Files.readAllLines(dump)) {
            int quote = line.indexOf('"');
            if (quote >= 0 && isSession(line.substring(quote + 1))) {
                n++;
            }
        }
        Files.delete(dump);
        return n;
    }

    static boolean isSession(String threadName) {
        return threadName.startsWith("gatehouse-session-") || threadName.startsWith("gatehouse-relay-");
    }

    static int fds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Time every collector of this JVM has spent, pauses and concurrent work alike. */
    static long gcMillis() {
        long sum = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring("VmRSS:".length()).trim().split(" ")[0]) << 10;
            }
        }
        return 0;
    }

    static long openFileLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }

    static double mb(long bytes) {
        return bytes / 1048576.0;
    }
}
