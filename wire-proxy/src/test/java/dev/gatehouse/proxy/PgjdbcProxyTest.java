package dev.gatehouse.proxy;

import dev.gatehouse.enforce.guard.Origin;
import dev.gatehouse.enforce.checkpoint.Resolution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** pgjdbc through the proxy to the real PostgreSQL, in simple and extended query modes. */
class PgjdbcProxyTest {
    /** Clients that block (held statements, pg_sleep) need their own threads, not the small common pool. */
    static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyFixture();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_t");
        ProxyFixture.directly("CREATE TABLE proxy_t (id int primary key, note text)");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_t");
    }

    @BeforeEach
    void clean() throws Exception {
        ProxyFixture.directly("TRUNCATE proxy_t");
        proxy.guard.seen.clear();
        proxy.guard.holds.clear();
    }

    /** Runs {@code sql} on its own thread: a held statement blocks its caller until the test decides. */
    static CompletableFuture<Integer> inBackground(Statement s, String sql) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                s.execute(sql);
                return s.getUpdateCount();
            } catch (SQLException e) {
                throw new RuntimeException(e);
            }
        }, THREADS);
    }

    /** The SQLException a background statement failed with. */
    static SQLException failure(CompletableFuture<?> run) {
        Exception e = assertThrows(Exception.class, () -> run.get(10, TimeUnit.SECONDS));
        return (SQLException) e.getCause().getCause();
    }

    /** Backends whose last statement contains {@code marker}: what the server has been sent. */
    static int serverHasSeen(String marker) throws SQLException {
        try (Connection c = ProxyFixture.direct(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE position(? in query) > 0 AND pid <> pg_backend_pid()")) {
            ps.setString(1, marker);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static long directCount() throws SQLException {
        return PgjdbcCount.rows("proxy_t");
    }

    @ParameterizedTest(name = "queries and parameters, preferQueryMode={0}")
    @ValueSource(strings = {"simple", "extended", "extendedForPrepared"})
    void queriesAndParameters(String mode) throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=" + mode + "&prepareThreshold=1")) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 + 1, 'x'::text")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
            }
            // prepareThreshold=1: from the second run on, pgjdbc uses a named server-side statement.
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int * 3, ?::text")) {
                for (int i = 0; i < 5; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "v" + i);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(i * 3, rs.getInt(1));
                        assertEquals("v" + i, rs.getString(2));
                    }
                }
            }
        }
        assertFalse(proxy.guard.seen.isEmpty());
        Origin expected = mode.equals("simple") ? Origin.SIMPLE_QUERY : Origin.EXTENDED_EXECUTE;
        assertEquals(expected, proxy.guard.seen.get(proxy.guard.seen.size() - 1).origin());
    }

    @ParameterizedTest(name = "bound values reach the guard and decide, preferQueryMode={0}")
    @ValueSource(strings = {"simple", "extended"})
    void boundValuesDecide(String mode) throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=" + mode);
             PreparedStatement ps = c.prepareStatement("INSERT INTO proxy_t VALUES (?, ?)")) {
            ps.setInt(1, 1);
            ps.setString(2, "fine");
            ps.executeUpdate();
            ps.setInt(1, 2);
            ps.setString(2, "gh_deny in a value");
            SQLException e = assertThrows(SQLException.class, ps::executeUpdate);
            assertEquals("42501", e.getSQLState());
            assertTrue(e.getMessage().contains("test.deny"), e.getMessage());
            // The connection stays usable after the refusal.
            ps.setInt(1, 3);
            ps.setString(2, "fine again");
            ps.executeUpdate();
        }
        assertEquals(2, directCount());
    }

    @ParameterizedTest(name = "denial inside a transaction aborts it, preferQueryMode={0}")
    @ValueSource(strings = {"simple", "extended"})
    void denialInsideTransaction(String mode) throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=" + mode)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO proxy_t VALUES (1, 'in tx')");
                SQLException e = assertThrows(SQLException.class,
                        () -> s.executeUpdate("DELETE FROM proxy_t /* gh_deny */"));
                assertEquals("42501", e.getSQLState());
                // PostgreSQL's own behaviour after an error in a block: everything else fails until the end.
                SQLException after = assertThrows(SQLException.class, () -> s.executeQuery("SELECT 1"));
                assertEquals("25P02", after.getSQLState());
            }
            c.commit(); // the server turns COMMIT of a failed block into ROLLBACK
        }
        assertEquals(0, directCount());
    }

    /** Runs a 5-element batch whose element 3 carries {@code badNote}, returns the rows left afterwards. */
    private static long batchLeaves(Connection c, int badId, String badNote) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO proxy_t VALUES (?, ?)")) {
            for (int i = 0; i < 5; i++) {
                ps.setInt(1, i == 3 ? badId : i);
                ps.setString(2, i == 3 ? badNote : "ok");
                ps.addBatch();
            }
            assertThrows(BatchUpdateException.class, ps::executeBatch);
        }
        return directCount();
    }

    @ParameterizedTest(name = "a denied batch element leaves what a failing element leaves directly, preferQueryMode={0}")
    @ValueSource(strings = {"simple", "extended"})
    void batchWithDeniedElement(String mode) throws Exception {
        long direct;
        try (Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/test?sslmode=disable&preferQueryMode=" + mode, "postgres", "")) {
            direct = batchLeaves(c, 0, "duplicate key: PostgreSQL's own error"); // id 0 again: unique violation
        }
        ProxyFixture.directly("TRUNCATE proxy_t");
        long proxied;
        try (Connection c = proxy.connect("preferQueryMode=" + mode)) {
            proxied = batchLeaves(c, 3, "gh_deny");
        }
        assertEquals(direct, proxied);
        // Simple mode sends each element as its own query (PostgreSQL runs the others); extended mode sends
        // one pipeline ending in one Sync, so the error rolls all of it back.
        assertEquals(mode.equals("simple") ? 4 : 0, proxied);
    }

    @ParameterizedTest(name = "an allowed batch runs whole, preferQueryMode={0}")
    @ValueSource(strings = {"simple", "extended"})
    void batch(String mode) throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=" + mode + "&reWriteBatchedInserts=false");
             PreparedStatement ps = c.prepareStatement("INSERT INTO proxy_t VALUES (?, ?)")) {
            for (int i = 0; i < 200; i++) {
                ps.setInt(1, i);
                ps.setString(2, "row " + i);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            assertEquals(200, counts.length);
        }
        assertEquals(200, directCount());
    }

    @Test
    void guardFailureFailsClosed() throws Exception {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> s.executeUpdate("INSERT INTO proxy_t VALUES (1, 'gh_broken')"));
            assertEquals("ZG003", e.getSQLState());
            try (ResultSet rs = s.executeQuery("SELECT 7")) {
                rs.next();
                assertEquals(7, rs.getInt(1));
            }
        }
        assertEquals(0, directCount());
    }

    /** The guard's contract promises ZG003 for a guard that cannot decide, at Parse as at Execute. */
    @Test
    void guardFailureAtParseIsZg003() throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=extended"); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> s.executeUpdate("INSERT INTO proxy_t VALUES (1, 'gh_prepare_broken')"));
            assertEquals("ZG003", e.getSQLState(), e.getMessage());
            try (ResultSet rs = s.executeQuery("SELECT 7")) {
                rs.next();
                assertEquals(7, rs.getInt(1));
            }
        }
        assertEquals(0, directCount());
    }

    @ParameterizedTest(name = "held statement approved runs once, preferQueryMode={0}")
    @ValueSource(strings = {"simple", "extended"})
    void heldStatementApproved(String mode) throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=" + mode); Statement s = c.createStatement()) {
            CompletableFuture<Integer> run = inBackground(s, "INSERT INTO proxy_t VALUES (1, 'gh_review')");
            TestHold hold = proxy.guard.holds.poll(10, TimeUnit.SECONDS);
            assertTrue(hold.awaitWaiter(Duration.ofSeconds(10)));
            assertEquals(0, directCount(), "nothing reaches the server while held");
            assertEquals(0, serverHasSeen("gh_review"), "not even the Parse of a held statement");
            hold.resolve(new Resolution.Approved());
            assertEquals(1, run.get(10, TimeUnit.SECONDS));
            // The notice naming the request reached the client before the result.
            assertTrue(s.getWarnings() != null && s.getWarnings().getMessage().contains("holds the statement for approval: request req-"),
                    String.valueOf(s.getWarnings()));
        }
        assertEquals(1, directCount());
    }

    @Test
    void heldStatementDeniedByApprover() throws Exception {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            CompletableFuture<Integer> run = inBackground(s, "INSERT INTO proxy_t VALUES (1, 'gh_review')");
            TestHold hold = proxy.guard.holds.poll(10, TimeUnit.SECONDS);
            hold.resolve(new Resolution.Denied("not today", List.of("approver.alice")));
            SQLException sql = failure(run);
            assertEquals("42501", sql.getSQLState());
            assertTrue(sql.getMessage().contains("not today"));
        }
        assertEquals(0, directCount());
    }

    @Test
    void failModeAnswersAtOnceWithRequestId() throws Exception {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> s.executeUpdate("INSERT INTO proxy_t VALUES (1, 'gh_review_fail')"));
            assertEquals("ZG001", e.getSQLState());
            assertTrue(e.getMessage().contains("req-fail-1"), e.getMessage());
        }
        assertEquals(0, directCount());
    }

    @Test
    void cancelOfHeldStatementWithdrawsIt() throws Exception {
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            CompletableFuture<Integer> run = inBackground(s, "INSERT INTO proxy_t VALUES (1, 'gh_review')");
            TestHold hold = proxy.guard.holds.poll(10, TimeUnit.SECONDS);
            assertTrue(hold.awaitWaiter(Duration.ofSeconds(10)));
            s.cancel();
            assertEquals("57014", failure(run).getSQLState());
            assertTrue(hold.withdrawn());
            try (ResultSet rs = s.executeQuery("SELECT 5")) {
                rs.next();
                assertEquals(5, rs.getInt(1));
            }
        }
        assertEquals(0, directCount());
    }

    @Test
    void cancelOfRunningStatementReachesItsBackend() throws Exception {
        try (Connection c = proxy.connect(""); Connection other = proxy.connect("");
             Statement s = c.createStatement(); Statement os = other.createStatement()) {
            CompletableFuture<Integer> sleep = inBackground(s, "SELECT pg_sleep(30)");
            CompletableFuture<Integer> otherSleep = inBackground(os, "SELECT pg_sleep(2)");
            waitForSleepers(2);
            long start = System.nanoTime();
            s.cancel();
            assertEquals("57014", failure(sleep).getSQLState());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            otherSleep.get(10, TimeUnit.SECONDS); // the other session's statement was not cancelled
        }
    }

    private static void waitForSleepers(int n) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Connection d = ProxyFixture.direct(); Statement st = d.createStatement();
                 ResultSet rs = st.executeQuery(
                         "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'")) {
                rs.next();
                if (rs.getInt(1) >= n) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("sleepers never started");
    }

    @Test
    void sqlLevelPrepareIsDecidedWithItsBody() throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=simple"); Statement s = c.createStatement()) {
            s.execute("PREPARE ok_ins (int) AS INSERT INTO proxy_t VALUES ($1, 'ok')");
            s.execute("EXECUTE ok_ins(1)");
            // The PREPARE text carries the marker only in a comment the test guard reads; what counts is that
            // the EXECUTE, which does not carry it, is decided with the remembered body.
            proxy.guard.seen.clear();
            ProxyFixture.directly("SELECT 1");
            s.execute("SET search_path TO public, pg_catalog");
            s.execute("SELECT 1");
            assertEquals("public, pg_catalog", proxy.guard.seen.get(proxy.guard.seen.size() - 1).session().searchPath());
            SQLException e = assertThrows(SQLException.class, () -> s.execute("EXECUTE never_prepared(1)"));
            assertEquals("42501", e.getSQLState());
            s.execute("DEALLOCATE ok_ins");
            SQLException gone = assertThrows(SQLException.class, () -> s.execute("EXECUTE ok_ins(2)"));
            assertEquals("42501", gone.getSQLState());
        }
        assertEquals(1, directCount());
    }

    @Test
    void executeOfPreparedDeniedBody() throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=simple"); Statement s = c.createStatement()) {
            // PREPARE itself runs nothing; a guard that lets it pass must still see the body at EXECUTE.
            proxy.guard.seen.clear();
            s.execute("PREPARE del AS DELETE FROM proxy_t WHERE note = $1");
            s.execute("EXECUTE del('x')");
            assertEquals(List.of("DELETE FROM proxy_t WHERE note = $1"),
                    proxy.guard.seen.get(proxy.guard.seen.size() - 1).preparedBodies());
        }
    }

    @Test
    void copyBothDirections() throws Exception {
        try (Connection c = proxy.connect("")) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder in = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                in.append(i).append('\t').append("line ").append(i).append('\n');
            }
            assertEquals(1000, copy.copyIn("COPY proxy_t FROM STDIN", new StringReader(in.toString())));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(1000, copy.copyOut("COPY proxy_t TO STDOUT", out));
            assertEquals(in.toString(), out.toString(StandardCharsets.UTF_8));
            SQLException e = assertThrows(SQLException.class,
                    () -> copy.copyOut("COPY (SELECT 'gh_deny') TO STDOUT", new ByteArrayOutputStream()));
            assertEquals("42501", e.getSQLState());
            SQLException in2 = assertThrows(SQLException.class, () -> copy.copyIn(
                    "COPY proxy_t FROM STDIN /* gh_deny */", new StringReader("5000\tnever\n")));
            assertEquals("42501", in2.getSQLState());
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM proxy_t")) {
                rs.next();
                assertEquals(1000, rs.getInt(1), "the session goes on after a refused COPY");
            }
        }
        assertEquals(1000, directCount());
    }

    @Test
    void functionCallMessagesAreDecided() throws Exception {
        try (Connection c = proxy.connect("")) {
            c.setAutoCommit(false);
            org.postgresql.largeobject.LargeObjectManager lo =
                    c.unwrap(PGConnection.class).getLargeObjectAPI(); // speaks FunctionCall ('F') messages
            long oid = lo.createLO();
            assertTrue(proxy.guard.seen.stream().anyMatch(e -> e.origin() == Origin.FUNCTION_CALL
                    && e.functionOid() > 0 && e.sql().startsWith("FUNCTION CALL oid=")));
            proxy.guard.allowFunctionCalls = false;
            try {
                SQLException e = assertThrows(SQLException.class, () -> lo.delete(oid));
                assertEquals("42501", e.getSQLState());
                assertTrue(e.getMessage().contains("test.fastpath"), e.getMessage());
            } finally {
                proxy.guard.allowFunctionCalls = true;
            }
            c.rollback();
        }
    }

    @Test
    void parseRefusedByPrepareFailsLikeABadStatement() throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=extended");
             PreparedStatement ps = c.prepareStatement("INSERT INTO proxy_t VALUES (?, 'gh_prepare_deny')")) {
            ps.setInt(1, 1);
            SQLException e = assertThrows(SQLException.class, ps::executeUpdate);
            assertEquals("42501", e.getSQLState());
            assertTrue(e.getMessage().contains("test.prepare"), e.getMessage());
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 3")) {
                rs.next();
                assertEquals(3, rs.getInt(1));
            }
        }
        assertEquals(0, directCount());
    }
}
