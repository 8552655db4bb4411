package dev.gatehouse.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Allowed statements through {@code jdbc:gatehouse:postgresql:} against raw pgjdbc on the same loopback
 * PostgreSQL, in the same run: a prepared statement with a changing parameter, and a plain statement whose
 * literal changes on every call (so the gate answers through the literal-free fingerprint, not the exact text).
 * {@code benchmarks/driver-bench.sh} runs it single-threaded (average time, added µs per execute) and with 8
 * threads (throughput ratio), with the JVM and the benchmark's PostgreSQL backends pinned to one core; the
 * backends are found by {@code application_name = gh-bench}.
 *
 * <p>Threads: JMH's; each benchmark thread has its own connection and statements.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class DriverBenchmark {
    /** How driver-bench.sh and CpuPerOp find the benchmark's backends in pg_stat_activity. */
    static final String APPLICATION = "gh-bench";
    static final String DB = "postgresql://127.0.0.1:5432/test?user=postgres&ApplicationName=" + APPLICATION;
    static final String TABLE = "gh_driver_bench";
    static final int ROWS = 1000;
    /** The control's client CPU per execute, in {@code consumeCPU} tokens (250: about 0.5 µs here). */
    static final long BUSY = Long.getLong("gatehouse.bench.busy", 250);
    static final String POLICY = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: protect-billing
                match: { kinds: [DDL], tables: ["billing.*"] }
                action: deny
              - id: pii
                match: { columns: ["*.users.ssn"] }
                action: review
                approvers: [dba]
              - id: bulk-writes
                match: { kinds: [WRITE], unbounded: true }
                action: review
              - id: privileges
                match: { kinds: [PRIVILEGE] }
                action: deny
            """;

    /** The table, made once per trial before any thread connects (concurrent CREATE IF NOT EXISTS can race). */
    @State(Scope.Benchmark)
    public static class Table {
        @Setup(Level.Trial)
        public void create() throws SQLException {
            createTable();
        }
    }

    /** Which driver a thread's connection goes through. */
    @State(Scope.Thread)
    public static class Client {
        /**
         * {@code rawBusy} is a control: raw pgjdbc plus {@link #BUSY} tokens of client CPU per execute
         * ({@code Blackhole.consumeCPU}), to show what a known client-side cost does to the throughput ratio.
         */
        @Param({"raw", "gatehouse", "rawBusy"})
        public String driver;

        Connection connection;
        PreparedStatement prepared;
        Statement plain;
        int next;
        boolean busy;

        @Setup(Level.Trial)
        public void open(Table table) throws SQLException, IOException {
            String url = driver.startsWith("raw") ? "jdbc:" + DB : gatehouseUrl();
            connection = DriverManager.getConnection(url);
            prepared = connection.prepareStatement("SELECT v FROM " + TABLE + " WHERE id = ?");
            plain = connection.createStatement();
            next = (int) (Thread.currentThread().threadId() * 7919);
            busy = driver.equals("rawBusy");
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }

        void busy() {
            if (busy) {
                Blackhole.consumeCPU(BUSY);
            }
        }

        /** A different row each call: the literal of the plain statement never repeats within a 1000-call window. */
        int nextId() {
            next++;
            return 1 + Math.floorMod(next, ROWS);
        }
    }

    @Benchmark
    public String prepared(Client c) throws SQLException {
        c.busy();
        c.prepared.setInt(1, c.nextId());
        try (ResultSet rs = c.prepared.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Benchmark
    public String plainChangingLiteral(Client c) throws SQLException {
        c.busy();
        try (ResultSet rs = c.plain.executeQuery("SELECT v FROM " + TABLE + " WHERE id = " + c.nextId())) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static String gatehouseUrl() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-driver-bench");
        Files.createDirectories(dir);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        // The store is only opened for held, denied or audited statements: never in this benchmark.
        String store = "jdbc:h2:file:" + dir.resolve("store");
        return "jdbc:gatehouse:" + DB + "&gatehouse.policy=" + enc(policy.toString()) + "&gatehouse.approvals=" + enc(store);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void createTable() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:" + DB); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id int PRIMARY KEY, v text NOT NULL)");
            st.execute("INSERT INTO " + TABLE + " SELECT g, 'row ' || g FROM generate_series(1, " + ROWS + ") g "
                    + "ON CONFLICT (id) DO NOTHING");
        }
    }
}
