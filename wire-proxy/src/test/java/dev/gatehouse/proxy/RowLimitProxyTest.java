package dev.gatehouse.proxy;

import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.Impact;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.Vote;
import dev.gatehouse.enforce.catalog.ForeignTables;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code max_rows} through the wire proxy against the real PostgreSQL, under {@code rows-policy.yaml} (ten rows of
 * an orders table per write without review, reads of its secret held): what psql, pgjdbc (extended and simple
 * protocol) and node-postgres see, what is in the table afterwards, and what the approvers' request says. Each
 * case has a fresh table of 30 orders.
 */
class RowLimitProxyTest {
    static final Path POLICY = Path.of("src", "test", "resources", "rows-policy.yaml");
    static ProxyFixture proxy;
    static ProxyFixture waiting;

    /** One of the issue's writes a reading of its text cannot bound; {@code noteAfter}: every row's note once it ran. */
    record Write(String name, String sql, long rowsAfter, String noteAfter, String tag) {
    }

    static final List<Write> WRITES = List.of(
            new Write("DELETE where id = id", "DELETE FROM {t} WHERE id = id", 0, null, "DELETE 30"),
            new Write("DELETE where id IS NOT NULL", "DELETE FROM {t} WHERE id IS NOT NULL", 0, null, "DELETE 30"),
            new Write("DELETE where id IN its own ids", "DELETE FROM {t} WHERE id IN (SELECT id FROM {t})", 0, null,
                    "DELETE 30"),
            new Write("MERGE on o.id = s.id", "MERGE INTO {t} o USING {t} s ON o.id = s.id"
                    + " WHEN MATCHED THEN UPDATE SET note = 'merged'", 30, "merged", "MERGE 30"),
            new Write("INSERT ... SELECT ... ON CONFLICT DO UPDATE", "INSERT INTO {t} SELECT * FROM {t}"
                    + " ON CONFLICT (id) DO UPDATE SET note = 'upserted'", 30, "upserted", "INSERT 0 30"));

    /** How a client reaches the proxy. */
    enum Client { PGJDBC_EXTENDED, PGJDBC_SIMPLE, PSQL, NODE_PG }

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyFixture.underPolicy(POLICY);
        waiting = ProxyFixture.underPolicy(POLICY, HoldMode.WAIT);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (waiting != null) {
            waiting.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> theIssuesWritesAreHeldWithTheirTrueCountAndRunOnceApproved() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Client client : Client.values()) {
            for (Write w : WRITES) {
                tests.add(DynamicTest.dynamicTest(client + ": " + w.name(), () -> heldThenApproved(client, w)));
            }
        }
        return tests.stream();
    }

    private void heldThenApproved(Client client, Write w) throws Exception {
        String t = newOrders();
        try {
            String sql = w.sql().replace("{t}", t);
            String first = run(client, sql);
            assertTrue(first.startsWith("ERROR ZG001") && first.contains("touches 30 rows, over max_rows 10"), first);
            assertEquals(orders(30, "n"), snapshot(t), "nothing of it remains until approved");
            ApprovalRequest request = pending(t);
            assertEquals(Impact.Basis.MEASURED, request.impact().basis());
            assertEquals(30, request.impact().rows(), "the request shows its true count");

            proxy.service().vote(request.id(), "alice", Vote.Choice.APPROVE, "ok", "test");
            assertEquals(w.tag(), run(client, sql), "approved: it runs, once");
            assertEquals(w.rowsAfter(), count(t));
            if (w.noteAfter() != null) {
                assertEquals(orders(30, w.noteAfter()), snapshot(t));
                String again = run(client, sql);
                assertTrue(again.startsWith("ERROR ZG001"), "an approval runs once: " + again);
                assertNotEquals(request.id(), pending(t).id());
                assertEquals(orders(30, w.noteAfter()), snapshot(t));
            }
        } finally {
            ProxyFixture.directly("DROP TABLE IF EXISTS " + t);
        }
    }

    @TestFactory
    Stream<DynamicTest> aWriteWithinTheLimitRunsOnceAndNothingIsHeld() {
        return Stream.of(Client.values()).map(client -> DynamicTest.dynamicTest(client.toString(), () -> {
            String t = newOrders();
            try {
                assertEquals("DELETE 5", run(client, "DELETE FROM " + t + " WHERE id <= 5"));
                assertEquals("UPDATE 10", run(client, "UPDATE " + t + " SET note = 'ten' WHERE id <= 15"));
                assertEquals(25, count(t));
                assertEquals(10, noteCount(t, "ten"));
                assertEquals(List.of(), pendingFor(t), "nothing was held");
            } finally {
                ProxyFixture.directly("DROP TABLE IF EXISTS " + t);
            }
        }));
    }

    @Test
    void returningRowsReachTheClientOnlyWhenTheWriteStands() throws Exception {
        String t = newOrders();
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("UPDATE " + t + " SET note = 'r' WHERE id <= 3 RETURNING id")) {
                List<Integer> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
                assertEquals(List.of(1, 2, 3), ids);
            }
            SQLException e = assertThrows(SQLException.class,
                    () -> s.executeQuery("UPDATE " + t + " SET note = 'r' RETURNING id"));
            assertEquals("ZG001", e.getSQLState());
            assertEquals(3, noteCount(t, "r"));
        } finally {
            ProxyFixture.directly("DROP TABLE IF EXISTS " + t);
        }
    }

    /**
     * Inside the client's own transaction (pgjdbc sends its BEGIN in the same group as the first write): the held
     * write is undone alone, the client's earlier work and its own savepoint keep working, and its commit keeps
     * what it did.
     */
    @Test
    void insideTheClientsTransactionItsEarlierWorkAndSavepointsStay() throws Exception {
        String t = newOrders();
        try {
            try (Connection c = proxy.connect("")) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    assertEquals(1, s.executeUpdate("INSERT INTO " + t + " VALUES (31, 'mine', 's')"));
                    Savepoint mine = c.setSavepoint("mine");
                    assertEquals(1, s.executeUpdate("UPDATE " + t + " SET note = 'kept' WHERE id = 31"));
                    Savepoint later = c.setSavepoint("later");
                    SQLException e = assertThrows(SQLException.class,
                            () -> s.executeUpdate("DELETE FROM " + t + " WHERE id IS NOT NULL"));
                    assertEquals("ZG001", e.getSQLState());
                    assertTrue(e.getMessage().contains("touches 31 rows"), e.getMessage());
                    c.rollback(later); // the client's savepoint, after Gatehouse's own was used and undone
                    assertEquals(1, s.executeUpdate("UPDATE " + t + " SET note = 'after' WHERE id = 1"));
                    c.releaseSavepoint(mine);
                    c.commit();
                }
            }
            assertEquals(31, count(t), "the held delete left nothing; the insert stayed");
            assertEquals("kept", note(t, 31));
            assertEquals("after", note(t, 1));
        } finally {
            ProxyFixture.directly("DROP TABLE IF EXISTS " + t);
        }
    }

    /** psql in a transaction block: the simple protocol inside a block uses a savepoint, not a transaction. */
    @Test
    void psqlInATransactionBlockKeepsItsEarlierWork() throws Exception {
        String t = newOrders();
        try {
            Cli.Result r = Cli.psql(proxy.port(), String.join("\n",
                    "BEGIN;",
                    "INSERT INTO " + t + " VALUES (31, 'mine', 's');",
                    "SAVEPOINT mine;",
                    "DELETE FROM " + t + " WHERE id = id;",
                    "ROLLBACK TO SAVEPOINT mine;",
                    "UPDATE " + t + " SET note = 'x' WHERE id = 2;",
                    "COMMIT;", ""));
            assertTrue(r.output().contains("ZG001") || r.output().contains("touches 31 rows"), r.output());
            assertEquals(31, count(t), r.output());
            assertEquals("x", note(t, 2), r.output());
            assertEquals("mine", note(t, 31), r.output());
        } finally {
            ProxyFixture.directly("DROP TABLE IF EXISTS " + t);
        }
    }

    /**
     * A pgjdbc batch in auto-commit is one group, one implicit transaction: a write in it over the limit is refused,
     * and nothing of the batch remains, as after any failure in it; a batch within the limit runs whole.
     */
    @Test
    void aBatchWithAWriteOverTheLimitLeavesNothing() throws Exception {
        String t = newOrders();
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            s.addBatch("UPDATE " + t + " SET note = 'b1' WHERE id = 1");
            s.addBatch("DELETE FROM " + t + " WHERE id = id");
            s.addBatch("UPDATE " + t + " SET note = 'b3' WHERE id = 3");
            BatchUpdateException e = assertThrows(BatchUpdateException.class, s::executeBatch);
            assertEquals("ZG001", rootState(e));
            assertEquals(orders(30, "n"), snapshot(t));
            try (PreparedStatement p = c.prepareStatement("UPDATE " + t + " SET note = ? WHERE id = ?")) {
                for (int i = 1; i <= 3; i++) {
                    p.setString(1, "b" + i);
                    p.setInt(2, i);
                    p.addBatch();
                }
                int[] counts = p.executeBatch();
                assertEquals(3, counts.length);
                assertEquals(3, noteCount(t, "b1") + noteCount(t, "b2") + noteCount(t, "b3"));
            }
            assertEquals(List.of(), pendingFor(t).stream().filter(r -> !r.sql().contains("id = id")).toList());
        } finally {
            ProxyFixture.directly("DROP TABLE IF EXISTS " + t);
        }
    }

    /**
     * A counted write the server refuses fails as it would directly, and the session goes on outside any block; one
     * whose commit fails (a deferred foreign key) gets that failure, in either protocol, and leaves nothing.
     */
    @TestFactory
    Stream<DynamicTest> aCountedWriteThatFailsOrWhoseCommitFailsFailsAsItWouldDirectly() {
        return Stream.of("", "preferQueryMode=simple").map(mode -> DynamicTest.dynamicTest(
                mode.isEmpty() ? "extended" : "simple", () -> {
                    String t = newOrders();
                    String parent = t + "_parent";
                    try {
                        ProxyFixture.directly("CREATE TABLE " + parent + " (id int PRIMARY KEY)");
                        ProxyFixture.directly("ALTER TABLE " + t + " ADD COLUMN pid int REFERENCES " + parent
                                + " DEFERRABLE INITIALLY DEFERRED");
                        try (Connection c = proxy.connect(mode); Statement s = c.createStatement()) {
                            SQLException duplicate = assertThrows(SQLException.class, () -> s.executeUpdate(
                                    "UPDATE " + t + " SET id = 1 WHERE note = 'n' AND id BETWEEN 2 AND 3"));
                            assertEquals("23505", duplicate.getSQLState(), duplicate.getMessage());
                            assertEquals(2, s.executeUpdate(
                                    "UPDATE " + t + " SET note = 'after' WHERE note = 'n' AND id BETWEEN 2 AND 3"),
                                    "the session goes on, outside a block");
                            assertTrue(c.getAutoCommit());
                            SQLException deferred = assertThrows(SQLException.class, () -> s.executeUpdate(
                                    "UPDATE " + t + " SET pid = 999 WHERE note = 'n' AND id BETWEEN 4 AND 6"));
                            assertEquals("23503", deferred.getSQLState(), deferred.getMessage());
                            assertEquals(1, s.executeUpdate("UPDATE " + t + " SET note = 'last' WHERE id = 7"));
                        }
                        assertEquals(0, single("SELECT count(*) FROM " + t + " WHERE pid IS NOT NULL"),
                                "the write whose commit failed left nothing");
                        assertEquals(2, noteCount(t, "after"));
                        assertEquals(1, noteCount(t, "last"));
                    } finally {
                        ProxyFixture.directly("DROP TABLE IF EXISTS " + t);
                        ProxyFixture.directly("DROP TABLE IF EXISTS " + parent);
                    }
                }));
    }

    /** Held reads show the planner's estimate, asked on the session's own connection, in both protocols. */
    @Test
    void aHeldReadShowsThePlannersEstimate() throws Exception {
        String t = newOrders();
        try {
            String simple = run(Client.PSQL, "SELECT secret FROM " + t);
            assertTrue(simple.startsWith("ERROR ZG001"), simple);
            ApprovalRequest read = pending(t);
            assertEquals(Impact.Basis.ESTIMATED, read.impact().basis(), read.impact().toString());
            assertTrue(read.impact().rows() > 0, read.impact().toString());
            proxy.service().withdraw(read.id(), "test");

            try (Connection c = proxy.connect(""); PreparedStatement p = c.prepareStatement(
                    "SELECT secret FROM " + t + " WHERE id > ?")) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1"); // inside a block: the estimate runs under a savepoint
                }
                p.setInt(1, 20);
                SQLException e = assertThrows(SQLException.class, p::executeQuery);
                assertEquals("ZG001", e.getSQLState());
                c.rollback();
            }
            ApprovalRequest bound = pending(t);
            assertEquals(Impact.Basis.ESTIMATED, bound.impact().basis(), bound.impact().toString());
        } finally {
            ProxyFixture.directly("DROP TABLE IF EXISTS " + t);
        }
    }

    /** Waiting (psql users' mode): the approved run stands; a count that grew past the approved one is held again. */
    @Test
    void waitingTheApprovedRunStandsAndACountThatGrewIsHeldAgain() throws Exception {
        String t = newOrders();
        try (Connection c = waiting.connect(""); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> deleting = pool.submit(() -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("DELETE FROM " + t + " WHERE id IS NOT NULL");
                }
            });
            ApprovalRequest first = awaitPending(waiting, t, null);
            assertEquals(30, first.impact().rows());
            assertEquals(30, count(t), "held, undone");
            ProxyFixture.directly("INSERT INTO " + t + " VALUES (31, 'late', 's')");
            waiting.service().vote(first.id(), "alice", Vote.Choice.APPROVE, "ok", "test");
            ApprovalRequest second = awaitPending(waiting, t, first.id());
            assertEquals(31, second.impact().rows(), "31 rows were never approved: held again with the new count");
            assertEquals(31, count(t));
            waiting.service().vote(second.id(), "alice", Vote.Choice.APPROVE, "ok", "test");
            assertEquals(31, deleting.get(30, TimeUnit.SECONDS), "ran once within the approved count");
            assertEquals(0, count(t));
            assertEquals(RequestState.APPROVED, waiting.service().find(first.id()).orElseThrow().state(),
                    "the approval of 30 rows never stood: unused, not consumed");
            assertEquals(RequestState.CONSUMED, waiting.service().find(second.id()).orElseThrow().state());
        } finally {
            ProxyFixture.directly("DROP TABLE IF EXISTS " + t);
        }
    }

    /**
     * A PostgreSQL foreign table (postgres_fdw): a rollback may not undo its writes, so the checkpoint never hands
     * the proxy a write to it to count. Held (ZG001) with that reason and never run, by every client; approved, the
     * identical write runs once, as it is.
     */
    @TestFactory
    Stream<DynamicTest> aWriteToAForeignTableIsHeldUnrunAndRunsOnceApproved() {
        return Stream.of(Client.values()).map(client -> DynamicTest.dynamicTest(client.toString(), () -> {
            String t = "rows_orders_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            try (ForeignTables remote = ForeignTables.create("public", t)) {
                String sql = "UPDATE " + t + " SET note = 'f' WHERE id = id";
                String first = run(client, sql);
                assertTrue(first.startsWith("ERROR ZG001") && first.contains("rows not counted: public." + t
                        + " is or holds a foreign table, whose writes a rollback may not undo"), first);
                assertEquals(0, remote.touched(), "never run, not even run and undone");
                assertEquals(orders(30, "n"), remote.snapshot());
                ApprovalRequest request = pending(t);
                assertNotEquals(Impact.Basis.MEASURED, request.impact().basis(), request.impact().toString());

                proxy.service().vote(request.id(), "alice", Vote.Choice.APPROVE, "ok", "test");
                assertEquals("UPDATE 30", run(client, sql), "approved: it runs, once");
                assertEquals(30, remote.touched(), "each row reached once: it was not run before to be counted");
                assertEquals(orders(30, "f"), remote.snapshot());
                assertTrue(run(client, sql).startsWith("ERROR ZG001"), "an approval runs once");
                assertEquals(30, remote.touched());
            }
        }));
    }

    /** Waiting: the approved write to a foreign table runs as it is, unguarded (it could not be undone either). */
    @Test
    void waitingAForeignTablesApprovedWriteRunsOnceAsItIs() throws Exception {
        String t = "rows_orders_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        // The connection closes before the pool: a failed assertion ends a write still held instead of waiting on it.
        try (ForeignTables remote = ForeignTables.create("public", t);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor(); Connection c = waiting.connect("")) {
            Future<Integer> updating = pool.submit(() -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE " + t + " SET note = 'w' WHERE id IS NOT NULL");
                }
            });
            ApprovalRequest held = awaitPending(waiting, t, null);
            assertNotEquals(Impact.Basis.MEASURED, held.impact().basis(), held.impact().toString());
            assertEquals(0, remote.touched(), "held unrun");
            waiting.service().vote(held.id(), "alice", Vote.Choice.APPROVE, "ok", "test");
            assertEquals(30, updating.get(30, TimeUnit.SECONDS));
            assertEquals(30, remote.touched(), "run once");
            assertEquals(orders(30, "w"), remote.snapshot());
        }
    }

    // ---------------------------------------------------------------- clients

    /** Runs {@code sql} as {@code client} through the proxy: "TAG" (command and count) or "ERROR SQLSTATE: message". */
    static String run(Client client, String sql) throws Exception {
        return switch (client) {
            case PGJDBC_EXTENDED -> pgjdbc(sql, "");
            case PGJDBC_SIMPLE -> pgjdbc(sql, "preferQueryMode=simple");
            case PSQL -> {
                Cli.Result r = Cli.psql(proxy.port(), "", "-v", "VERBOSITY=verbose", "-c", sql);
                String out = r.output().strip();
                int error = out.indexOf("ERROR:");
                if (error >= 0) {
                    // "ERROR:  ZG001: message" with VERBOSITY verbose
                    String rest = out.substring(error + "ERROR:".length()).strip();
                    yield "ERROR " + rest.substring(0, 5) + ": " + rest.substring(Math.min(rest.length(), 7));
                }
                yield out;
            }
            case NODE_PG -> {
                // a bound value makes node-postgres use the extended protocol
                String bound = sql.contains("WHERE id = id") ? sql.replace("WHERE id = id", "WHERE id = id AND $1::int > 0")
                        : null;
                Cli.Result r = bound == null ? Cli.run("", "node", "src/test/node/write_rows.js",
                        String.valueOf(proxy.port()), sql)
                        : Cli.run("", "node", "src/test/node/write_rows.js", String.valueOf(proxy.port()), bound, "1");
                assertEquals(0, r.exit(), r.output());
                String out = r.output().strip();
                // node-postgres reports an INSERT's count without the OID field of its tag
                yield out.startsWith("INSERT ") ? "INSERT 0 " + out.substring("INSERT ".length()) : out;
            }
        };
    }

    private static String pgjdbc(String sql, String extra) throws SQLException {
        try (Connection c = proxy.connect(extra); Statement s = c.createStatement()) {
            s.execute(sql);
            String command = sql.substring(0, sql.indexOf(' '));
            int n = s.getUpdateCount();
            return command.equals("INSERT") ? "INSERT 0 " + n : command + " " + n;
        } catch (SQLException e) {
            return "ERROR " + e.getSQLState() + ": " + e.getMessage();
        }
    }

    private static String rootState(SQLException e) {
        SQLException next = e.getNextException();
        return next != null && next.getSQLState() != null ? next.getSQLState() : e.getSQLState();
    }

    // ---------------------------------------------------------------- the table and the requests

    /** A fresh table of 30 orders, note 'n'. */
    static String newOrders() throws SQLException {
        String t = "rows_orders_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ProxyFixture.directly("CREATE TABLE " + t + " (id int PRIMARY KEY, note text, secret text)");
        ProxyFixture.directly("INSERT INTO " + t + " SELECT g, 'n', 's' FROM generate_series(1, 30) g");
        return t;
    }

    static List<String> orders(int n, String note) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(i + ":" + note);
        }
        return out;
    }

    static List<String> snapshot(String t) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ProxyFixture.direct(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, note FROM " + t + " ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getInt(1) + ":" + rs.getString(2));
            }
        }
        return out;
    }

    static long count(String t) throws SQLException {
        return single("SELECT count(*) FROM " + t);
    }

    static long noteCount(String t, String note) throws SQLException {
        return single("SELECT count(*) FROM " + t + " WHERE note = '" + note + "'");
    }

    static String note(String t, int id) throws SQLException {
        try (Connection c = ProxyFixture.direct(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT note FROM " + t + " WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static long single(String sql) throws SQLException {
        try (Connection c = ProxyFixture.direct(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<ApprovalRequest> pendingFor(String t) {
        return proxy.service().list(RequestState.PENDING, "postgres", 500).stream()
                .filter(r -> r.sql().contains(t)).toList();
    }

    /** The one request pending for table {@code t}. */
    static ApprovalRequest pending(String t) {
        List<ApprovalRequest> all = pendingFor(t);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    static ApprovalRequest awaitPending(ProxyFixture p, String t, String notId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (ApprovalRequest r : p.service().list(RequestState.PENDING, "postgres", 500)) {
                if (r.sql().contains(t) && !r.id().equals(notId)) {
                    return r;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no request pending for " + t);
    }
}
