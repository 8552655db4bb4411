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

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * What the row guard ({@code max_rows}) costs a bounded write through the JDBC driver: the same one-row
 * {@code UPDATE} through {@code jdbc:gatehouse:} under a policy without {@code max_rows} ({@code guard=off}) and
 * with it ({@code guard=on}: the write runs inside a savepoint, or a transaction of the driver's own, and is
 * counted), in auto-commit and inside the application's transaction (a commit after each write), on PostgreSQL
 * and MariaDB. {@code benchmarks/rows-bench.sh} runs it and prints the on/off ratio of the median write per case.
 * Each write is sampled (its median resists a shared disk's stalls); PostgreSQL sessions commit without waiting
 * for the WAL flush ({@code synchronous_commit=off}, on both sides), MariaDB's commit flushes its log (the
 * server's setting, global).
 *
 * <p>Threads: JMH's, one; the connection is the benchmark thread's.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class RowGuardBenchmark {
    static final String TABLE = "gh_rows_bench";
    static final int ROWS = 1000;
    static final String POLICY_OFF = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            rules:
              - id: bulk-writes
                match: { kinds: [WRITE], unbounded: true }
                action: review
            """;
    static final String POLICY_ON = POLICY_OFF + """
              - id: bench-rows
                match: { kinds: [WRITE], tables: [gh_rows_bench] }
                max_rows: 10
                action: review
            """;

    @Param({"postgres", "mariadb"})
    public String database;

    @Param({"off", "on"})
    public String guard;

    @Param({"autocommit", "transaction"})
    public String mode;

    Connection connection;
    PreparedStatement update;
    boolean commit;
    int next;

    @Setup(Level.Trial)
    public void open() throws SQLException, IOException {
        String db = database.equals("postgres")
                ? "postgresql://127.0.0.1:5432/test?user=postgres&options=-c%20synchronous_commit%3Doff"
                : "mariadb://127.0.0.1:3306/test?user=root";
        try (Connection c = DriverManager.getConnection(database.equals("postgres")
                ? "jdbc:postgresql://127.0.0.1:5432/test?user=postgres" : "jdbc:mysql://127.0.0.1:3306/test?user=root");
             Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + TABLE);
            st.execute("CREATE TABLE " + TABLE + " (id int PRIMARY KEY, n bigint NOT NULL)");
            StringBuilder values = new StringBuilder();
            for (int id = 1; id <= ROWS; id++) {
                values.append(id == 1 ? "" : ",").append('(').append(id).append(",0)");
            }
            st.execute("INSERT INTO " + TABLE + " VALUES " + values);
        }
        connection = DriverManager.getConnection(gatehouseUrl(db, guard.equals("on") ? POLICY_ON : POLICY_OFF));
        commit = mode.equals("transaction");
        connection.setAutoCommit(!commit);
        update = connection.prepareStatement("UPDATE " + TABLE + " SET n = n + 1 WHERE id = ?");
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        connection.close();
    }

    @Benchmark
    public int boundedUpdate() throws SQLException {
        next = next % ROWS + 1;
        update.setInt(1, next);
        int n = update.executeUpdate();
        if (commit) {
            connection.commit();
        }
        return n;
    }

    static String gatehouseUrl(String db, String policyText) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-rows-bench");
        Files.createDirectories(dir);
        Path policy = dir.resolve(policyText.equals(POLICY_ON) ? "on.yaml" : "off.yaml");
        Files.writeString(policy, policyText);
        // The store is only opened for held, denied or audited statements: never in this benchmark.
        String store = "jdbc:h2:file:" + dir.resolve("store");
        return "jdbc:gatehouse:" + db + "&gatehouse.policy=" + enc(policy.toString()) + "&gatehouse.approvals="
                + enc(store);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
