package dev.gatehouse.jdbc.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.enforce.catalog.ForeignTables;
import dev.gatehouse.jdbc.ReviewPendingException;
import dev.gatehouse.jdbc.StatementDeniedException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.gatehouse.jdbc.policy.ApprovalDesk.DESK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code max_rows} through the driver against the real PostgreSQL and MariaDB, under {@code rows-policy.yaml}
 * (ten rows of an orders table per write without review): what the application sees, what is in the table
 * afterwards, and what the approvers' request says. Each case has a fresh table of 30 orders.
 */
class RowLimitTest {
    static final Path POLICY = resource("/rows-policy.yaml");
    static final String PG = PolicyGuardTest.PG;
    static final String MARIADB = PolicyGuardTest.MARIADB;
    static final String PG_RAW = PolicyGuardTest.PG_RAW;
    static final String MARIADB_RAW = PolicyGuardTest.MARIADB_RAW;

    static Path resource(String name) {
        try {
            return Path.of(RowLimitTest.class.getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One of the issue's writes that a reading of its text cannot bound. {@code after} is what the table holds
     * once it ran: its row count, and (for writes that keep the rows) the note every row then has.
     */
    record Write(String name, String sql, long rowsAfter, String noteAfter) {
    }

    static List<Write> writes(boolean pg) {
        List<Write> all = new ArrayList<>(List.of(
                new Write("DELETE where id = id", "DELETE FROM {t} WHERE id = id", 0, null),
                new Write("DELETE where id IS NOT NULL", "DELETE FROM {t} WHERE id IS NOT NULL", 0, null)));
        if (pg) {
            all.add(new Write("DELETE where id IN its own ids", "DELETE FROM {t} WHERE id IN (SELECT id FROM {t})", 0, null));
            all.add(new Write("MERGE on o.id = s.id", "MERGE INTO {t} o USING {t} s ON o.id = s.id"
                    + " WHEN MATCHED THEN UPDATE SET note = 'merged'", 30, "merged"));
            all.add(new Write("INSERT ... SELECT ... ON CONFLICT DO UPDATE", "INSERT INTO {t} SELECT * FROM {t}"
                    + " ON CONFLICT (id) DO UPDATE SET note = 'upserted'", 30, "upserted"));
        } else {
            all.add(new Write("DELETE where id IN its own ids", "DELETE FROM {t} WHERE id IN (SELECT id FROM"
                    + " (SELECT id FROM {t}) x)", 0, null));
            all.add(new Write("REPLACE ... SELECT", "REPLACE INTO {t} SELECT id, 'replaced', secret FROM {t}", 30,
                    "replaced"));
            all.add(new Write("INSERT ... SELECT ... ON DUPLICATE KEY UPDATE", "INSERT INTO {t} SELECT * FROM {t}"
                    + " ON DUPLICATE KEY UPDATE note = 'upserted'", 30, "upserted"));
        }
        return all;
    }

    @TestFactory
    Stream<DynamicTest> theIssuesWritesAreHeldWithTheirTrueCountOnPostgres() {
        return held(PG, PG_RAW, true);
    }

    @TestFactory
    Stream<DynamicTest> theIssuesWritesAreHeldWithTheirTrueCountOnMariadb() {
        return held(MARIADB, MARIADB_RAW, false);
    }

    /**
     * Held (ZG001) with the count the server itself reports for the write, the table unchanged; once approved the
     * identical write runs once, and the one after it is held again.
     */
    private Stream<DynamicTest> held(String base, String raw, boolean pg) {
        return writes(pg).stream().map(w -> DynamicTest.dynamicTest(w.name(), () -> {
            String t = newOrders(raw, "");
            try (Connection g = DriverManager.getConnection(DESK.url(base, POLICY, "gatehouse.review=fail"));
                 Statement st = g.createStatement()) {
                String sql = w.sql().replace("{t}", t);
                long trueCount = countInRolledBackTransaction(raw, sql);
                assertTrue(trueCount >= 30, "the server counts every order: " + trueCount);
                ReviewPendingException e = assertThrows(ReviewPendingException.class, () -> st.executeUpdate(sql));
                assertEquals("ZG001", e.getSQLState());
                assertTrue(e.getMessage().contains("touches " + trueCount + " rows, over max_rows 10"), e.getMessage());
                assertEquals(orders(30, "n"), snapshot(raw, t), "nothing of it remains until approved");
                JsonNode impact = DESK.request(e.requestId()).get("impact");
                assertEquals("measured", impact.get("basis").asText());
                assertEquals(trueCount, impact.get("rows").asLong(), "the request shows its true count");

                assertEquals(200, DESK.approve(e.requestId()));
                assertEquals(trueCount, st.executeUpdate(sql), "approved: it runs, once");
                assertEquals(w.rowsAfter(), count(raw, t));
                if (w.noteAfter() != null) {
                    assertEquals(orders(30, w.noteAfter()), snapshot(raw, t));
                    ReviewPendingException again = assertThrows(ReviewPendingException.class, () -> st.executeUpdate(sql));
                    assertTrue(!again.requestId().equals(e.requestId()), "an approval runs once");
                    assertEquals(orders(30, w.noteAfter()), snapshot(raw, t));
                }
            } finally {
                exec(raw, "DROP TABLE IF EXISTS " + t);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> aWriteWithinTheLimitRunsOnceUnheld() {
        return Stream.of(new Object[] {PG, PG_RAW}, new Object[] {MARIADB, MARIADB_RAW}).map(db -> DynamicTest.dynamicTest(
                db[0].toString().substring(0, db[0].toString().indexOf(':')), () -> {
                    String base = (String) db[0];
                    String raw = (String) db[1];
                    String t = newOrders(raw, "");
                    try (Connection g = DriverManager.getConnection(DESK.url(base, POLICY, "gatehouse.review=fail"));
                         Statement st = g.createStatement();
                         PreparedStatement ps = g.prepareStatement("UPDATE " + t + " SET note = ? WHERE id <= ?")) {
                        assertEquals(5, st.executeUpdate("DELETE FROM " + t + " WHERE id <= 5"));
                        assertEquals(25, count(raw, t));
                        ps.setString(1, "ten");
                        ps.setInt(2, 15);
                        assertEquals(10, ps.executeUpdate(), "ten rows are within max_rows 10");
                        assertEquals(10, noteCount(raw, t, "ten"));
                        assertTrue(!st.execute("DELETE FROM " + t + " WHERE id = 6"), "execute: an update count");
                        assertEquals(1, st.getUpdateCount(), "the application reads its count as ever");
                        assertEquals(List.of(), DESK.pending(t), "nothing was held");
                    } finally {
                        exec(raw, "DROP TABLE IF EXISTS " + t);
                    }
                }));
    }

    @Test
    void farOverTheLimitIsDeniedWithItsCountOnPostgres() throws Exception {
        String t = newOrders(PG_RAW, "");
        exec(PG_RAW, "INSERT INTO " + t + " SELECT g, 'n', 's' FROM generate_series(31, 1200) g");
        try (Connection g = DriverManager.getConnection(DESK.url(PG, POLICY, "gatehouse.review=fail"));
             Statement st = g.createStatement()) {
            StatementDeniedException e = assertThrows(StatementDeniedException.class,
                    () -> st.executeUpdate("DELETE FROM " + t + " WHERE id = id"));
            assertEquals(List.of("mass-deletes"), e.ruleIds());
            assertTrue(e.getMessage().contains("touches 1200 rows, over max_rows 1000"), e.getMessage());
            assertEquals(1200, count(PG_RAW, t));
        } finally {
            exec(PG_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void waitingTheApprovedRunStandsAndACountThatGrewIsHeldAgainOnPostgres() throws Exception {
        waitAndGrow(PG, PG_RAW);
    }

    @Test
    void waitingTheApprovedRunStandsAndACountThatGrewIsHeldAgainOnMariadb() throws Exception {
        waitAndGrow(MARIADB, MARIADB_RAW);
    }

    private void waitAndGrow(String base, String raw) throws Exception {
        String t = newOrders(raw, "");
        try (Connection g = DriverManager.getConnection(DESK.url(base, POLICY, "gatehouse.max-wait=60"));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> deleting = pool.submit(() -> {
                try (Statement st = g.createStatement()) {
                    return st.executeUpdate("DELETE FROM " + t + " WHERE id IS NOT NULL");
                }
            });
            String first = DESK.awaitPending(t);
            assertEquals(30, DESK.request(first).get("impact").get("rows").asLong());
            assertEquals(30, count(raw, t), "held, undone");
            exec(raw, "INSERT INTO " + t + " VALUES (31, 'late', 's')");
            assertEquals(200, DESK.approve(first));
            String second = awaitAnotherPending(t, first);
            assertEquals(31, DESK.request(second).get("impact").get("rows").asLong(),
                    "31 rows were never approved: held again with the new count");
            assertEquals(31, count(raw, t));
            assertEquals(200, DESK.approve(second));
            assertEquals(31, deleting.get(20, TimeUnit.SECONDS), "ran once within the approved count");
            assertEquals(0, count(raw, t));
        } finally {
            exec(raw, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void insideTheClientsTransactionItsEarlierWorkAndSavepointsSurviveOnPostgres() throws Exception {
        inTransaction(PG, PG_RAW);
    }

    @Test
    void insideTheClientsTransactionItsEarlierWorkAndSavepointsSurviveOnMariadb() throws Exception {
        inTransaction(MARIADB, MARIADB_RAW);
    }

    private void inTransaction(String base, String raw) throws Exception {
        String t = newOrders(raw, "");
        try (Connection g = DriverManager.getConnection(DESK.url(base, POLICY, "gatehouse.review=fail"));
             Statement st = g.createStatement()) {
            g.setAutoCommit(false);
            st.executeUpdate("INSERT INTO " + t + " VALUES (100, 'earlier', 's')");
            Savepoint mine = g.setSavepoint("client_sp");
            assertThrows(ReviewPendingException.class, () -> st.executeUpdate("DELETE FROM " + t + " WHERE id = id"));
            g.rollback(mine); // the client's own savepoint: PostgreSQL's refused transaction recovers
            assertEquals(1, st.executeUpdate("UPDATE " + t + " SET note = 'later' WHERE id = 100"));
            Savepoint before = g.setSavepoint("client_sp2");
            assertEquals(3, st.executeUpdate("DELETE FROM " + t + " WHERE id <= 3"), "within the limit: it stands");
            g.rollback(before); // ... and the client's savepoint set before it still takes it back
            g.commit();
            assertEquals(31, count(raw, t), "the guarded write left the earlier work; the client undid its own");
            assertEquals(1, noteCount(raw, t, "later"));
            assertEquals(30, noteCount(raw, t, "n"));
        } finally {
            exec(raw, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void aBatchCountsAsAWholeOnPostgres() throws Exception {
        batch(PG, PG_RAW);
    }

    @Test
    void aBatchCountsAsAWholeOnMariadb() throws Exception {
        batch(MARIADB, MARIADB_RAW);
    }

    private void batch(String base, String raw) throws Exception {
        String t = newOrders(raw, "");
        try (Connection g = DriverManager.getConnection(DESK.url(base, POLICY, "gatehouse.review=fail"));
             PreparedStatement ps = g.prepareStatement("DELETE FROM " + t + " WHERE id = ?")) {
            for (int id = 1; id <= 12; id++) {
                ps.setInt(1, id);
                ps.addBatch();
            }
            BatchUpdateException e = assertThrows(BatchUpdateException.class, ps::executeBatch);
            assertEquals("ZG001", e.getSQLState());
            assertEquals(30, count(raw, t), "none of the batch remains");
            List<String> pending = DESK.pending(t);
            assertEquals(1, pending.size(), "one request for the whole batch");
            assertEquals(12, DESK.request(pending.get(0)).get("impact").get("rows").asLong());
            for (int id = 1; id <= 5; id++) {
                ps.setInt(1, id);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            assertEquals(5, counts.length);
            assertEquals(25, count(raw, t), "five rows as a whole are within the limit");
        } finally {
            exec(raw, "DROP TABLE IF EXISTS " + t);
        }
    }

    /**
     * A MyISAM table cannot roll back: the guard does not run the write there; every limit applies (fail closed),
     * so a write is held with the planner's estimate, and a delete is denied by the limit on deletes.
     */
    @Test
    void aMyisamTableIsNeverRunUnderTheGuard() throws Exception {
        String t = newOrders(MARIADB_RAW, " ENGINE=MyISAM");
        try (Connection g = DriverManager.getConnection(DESK.url(MARIADB, POLICY, "gatehouse.review=fail"));
             Statement st = g.createStatement()) {
            ReviewPendingException e = assertThrows(ReviewPendingException.class,
                    () -> st.executeUpdate("UPDATE " + t + " SET note = 'm' WHERE id = id"));
            assertTrue(e.getMessage().contains("uses engine MyISAM, which cannot roll back"), e.getMessage());
            assertEquals(orders(30, "n"), snapshot(MARIADB_RAW, t), "not run at all");
            JsonNode impact = DESK.request(e.requestId()).get("impact");
            assertEquals("estimated", impact.get("basis").asText(), impact.toString());
            assertEquals(30, impact.get("rows").asLong(), impact.toString());
            StatementDeniedException far = assertThrows(StatementDeniedException.class,
                    () -> st.executeUpdate("DELETE FROM " + t + " WHERE id IS NOT NULL"));
            assertEquals(List.of("mass-deletes"), far.ruleIds(), "uncounted, every limit applies: fail closed");
        } finally {
            exec(MARIADB_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    /** One way an application runs a write; it returns the count the driver reported. */
    @FunctionalInterface
    interface WriteCall {
        long run(Connection g, String table) throws SQLException;
    }

    /** @param requests the requests it opens: a batch's held elements are held each (as under any review rule) */
    record Way(String name, boolean inTransaction, int requests, WriteCall call) {
    }

    /**
     * A PostgreSQL foreign table (postgres_fdw): a rollback may not undo its writes, so the checkpoint never hands
     * the driver a write to it to count, however the application runs it. Held (ZG001) with that reason, and never
     * run: nothing reached the table behind it, not even a write that was then undone.
     */
    @TestFactory
    Stream<DynamicTest> aWriteToAForeignTableIsHeldUnrunOnPostgres() {
        return Stream.of(
                new Way("Statement.executeUpdate", false, 1, (g, t) -> {
                    try (Statement st = g.createStatement()) {
                        return st.executeUpdate("UPDATE " + t + " SET note = 'f' WHERE id = id");
                    }
                }),
                new Way("Statement.execute", false, 1, (g, t) -> {
                    try (Statement st = g.createStatement()) {
                        st.execute("UPDATE " + t + " SET note = 'f' WHERE id IS NOT NULL");
                        return st.getUpdateCount();
                    }
                }),
                new Way("PreparedStatement with a bound value", false, 1, (g, t) -> {
                    try (PreparedStatement ps = g.prepareStatement("UPDATE " + t + " SET note = ? WHERE id > ?")) {
                        ps.setString(1, "f");
                        ps.setInt(2, 0);
                        return ps.executeUpdate();
                    }
                }),
                new Way("a batch", false, 2, (g, t) -> {
                    try (PreparedStatement ps = g.prepareStatement("UPDATE " + t + " SET note = 'f' WHERE id > ?")) {
                        ps.setInt(1, 0);
                        ps.addBatch();
                        ps.setInt(1, 10);
                        ps.addBatch();
                        return ps.executeBatch().length;
                    }
                }),
                new Way("inside the client's transaction", true, 1, (g, t) -> {
                    try (Statement st = g.createStatement()) {
                        return st.executeUpdate("UPDATE " + t + " SET note = 'f' WHERE id = id");
                    }
                })
        ).map(w -> DynamicTest.dynamicTest(w.name(), () -> {
            String t = "rows_orders_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (ForeignTables remote = ForeignTables.create("public", t);
                 Connection g = DriverManager.getConnection(DESK.url(PG, POLICY, "gatehouse.review=fail"))) {
                g.setAutoCommit(!w.inTransaction());
                SQLException e = assertThrows(SQLException.class, () -> w.call().run(g, t));
                assertEquals("ZG001", e.getSQLState(), e.getMessage());
                assertTrue(e.getMessage().contains("rows not counted: public." + t
                        + " is or holds a foreign table, whose writes a rollback may not undo"), e.getMessage());
                assertEquals(0, remote.touched(), "never run, not even run and undone");
                assertEquals(ForeignTables.rows(30, "n"), remote.snapshot());
                List<String> pending = DESK.pending(t);
                assertEquals(w.requests(), pending.size(), pending.toString());
                for (String id : pending) {
                    assertNotEquals("measured", DESK.request(id).get("impact").get("basis").asText());
                }
                if (w.inTransaction()) {
                    g.rollback();
                }
            }
        }));
    }

    /**
     * Every limit applies to a foreign table's write (fail closed): a delete is denied by the limit on deletes; a
     * held update, once approved, runs once as it is, and the next is held again.
     */
    @Test
    void aForeignTablesWriteRunsOnceApprovedAsItIsOnPostgres() throws Exception {
        String t = "rows_orders_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (ForeignTables remote = ForeignTables.create("public", t);
             Connection g = DriverManager.getConnection(DESK.url(PG, POLICY, "gatehouse.review=fail"));
             Statement st = g.createStatement()) {
            StatementDeniedException far = assertThrows(StatementDeniedException.class,
                    () -> st.executeUpdate("DELETE FROM " + t + " WHERE id = id"));
            assertEquals(List.of("mass-deletes"), far.ruleIds());
            assertTrue(far.getMessage().contains("is or holds a foreign table"), far.getMessage());
            String sql = "UPDATE " + t + " SET note = 'f' WHERE id = id";
            ReviewPendingException held = assertThrows(ReviewPendingException.class, () -> st.executeUpdate(sql));
            assertEquals(0, remote.touched());
            assertEquals(200, DESK.approve(held.requestId()));
            assertEquals(30, st.executeUpdate(sql), "approved: it runs, once");
            assertEquals(30, remote.touched(), "each row reached once: it was not run before to be counted");
            assertEquals(ForeignTables.rows(30, "f"), remote.snapshot());
            ReviewPendingException again = assertThrows(ReviewPendingException.class, () -> st.executeUpdate(sql));
            assertNotEquals(held.requestId(), again.requestId(), "an approval runs once");
            assertEquals(30, remote.touched());
        }
    }

    /** RETURNING through executeQuery cannot be counted without reading it: undone, and held with an estimate. */
    @Test
    void rowsReturnedAreNotCountedAndNotHandedOverOnPostgres() throws Exception {
        String t = newOrders(PG_RAW, "");
        try (Connection g = DriverManager.getConnection(DESK.url(PG, POLICY, "gatehouse.review=fail"));
             Statement st = g.createStatement()) {
            ReviewPendingException e = assertThrows(ReviewPendingException.class,
                    () -> st.executeQuery("UPDATE " + t + " SET note = 'r' WHERE id <= 3 RETURNING id"));
            assertTrue(e.getMessage().contains("rows not counted"), e.getMessage());
            assertEquals(orders(30, "n"), snapshot(PG_RAW, t), "undone");
            assertEquals("estimated", DESK.request(e.requestId()).get("impact").get("basis").asText());
        } finally {
            exec(PG_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    /** A held read shows the planner's estimate of its rows, and its cost. */
    @TestFactory
    Stream<DynamicTest> aHeldReadShowsThePlannersEstimate() {
        return Stream.of(new Object[] {PG, PG_RAW}, new Object[] {MARIADB, MARIADB_RAW}).map(db -> DynamicTest.dynamicTest(
                db[0].toString().substring(0, db[0].toString().indexOf(':')), () -> {
                    String base = (String) db[0];
                    String raw = (String) db[1];
                    String t = newOrders(raw, "");
                    exec(raw, base.startsWith("postgresql") ? "ANALYZE " + t : "ANALYZE TABLE " + t);
                    try (Connection g = DriverManager.getConnection(DESK.url(base, POLICY, "gatehouse.review=fail"));
                         PreparedStatement ps = g.prepareStatement("SELECT secret FROM " + t + " WHERE id > ?")) {
                        ps.setInt(1, 20);
                        ReviewPendingException e = assertThrows(ReviewPendingException.class, ps::executeQuery);
                        JsonNode impact = DESK.request(e.requestId()).get("impact");
                        assertEquals("estimated", impact.get("basis").asText(), impact.toString());
                        long rows = impact.get("rows").asLong();
                        assertTrue(rows >= 5 && rows <= 30, "about the ten rows past id 20: " + impact);
                        if (base.startsWith("postgresql")) {
                            assertTrue(impact.get("cost").asDouble() > 0, impact.toString());
                        }
                    } finally {
                        exec(raw, "DROP TABLE IF EXISTS " + t);
                    }
                }));
    }

    // ---------------------------------------------------------------- helpers

    /** A fresh orders table of 30 rows (id 1..30, note 'n'), under a name the policy's rules match. */
    static String newOrders(String raw, String tableOptions) throws SQLException {
        String t = "rows_orders_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        exec(raw, "CREATE TABLE " + t + " (id int PRIMARY KEY, note varchar(20), secret varchar(20))" + tableOptions);
        StringBuilder values = new StringBuilder();
        for (int id = 1; id <= 30; id++) {
            values.append(id == 1 ? "" : ", ").append("(").append(id).append(", 'n', 's')");
        }
        exec(raw, "INSERT INTO " + t + " VALUES " + values);
        return t;
    }

    /** What the server itself counts for {@code sql}, run on a plain connection and rolled back. */
    static long countInRolledBackTransaction(String raw, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(raw); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                return st.executeLargeUpdate(sql);
            } finally {
                c.rollback();
            }
        }
    }

    static List<String> orders(int n, String note) {
        List<String> rows = new ArrayList<>();
        for (int id = 1; id <= n; id++) {
            rows.add(id + ":" + note);
        }
        return rows;
    }

    static List<String> snapshot(String raw, String t) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(raw); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, note FROM " + t + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + ":" + rs.getString(2));
            }
        }
        return rows;
    }

    static long count(String raw, String t) throws SQLException {
        try (Connection c = DriverManager.getConnection(raw); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long noteCount(String raw, String t, String note) throws SQLException {
        try (Connection c = DriverManager.getConnection(raw);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + t + " WHERE note = ?")) {
            ps.setString(1, note);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void exec(String raw, String sql) throws SQLException {
        PolicyGuardTest.exec(raw, sql);
    }

    private static String awaitAnotherPending(String fragment, String not) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (String id : DESK.pending(fragment)) {
                if (!id.equals(not)) {
                    return id;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no second pending request for " + fragment);
    }
}
