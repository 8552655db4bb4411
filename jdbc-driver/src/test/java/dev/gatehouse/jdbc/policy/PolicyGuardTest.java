package dev.gatehouse.jdbc.policy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gatehouse.jdbc.ReviewPendingException;
import dev.gatehouse.jdbc.StatementDeniedException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.sql.Connection;
import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.gatehouse.jdbc.policy.ApprovalDesk.DESK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production guard ({@code policy}) end to end: a real policy file, the real PostgreSQL and MariaDB,
 * approvals made by people through the real HTTP API over the same store.
 */
class PolicyGuardTest {
    static final String PG = "postgresql://127.0.0.1:5432/test?user=postgres";
    static final String MARIADB = "mariadb://127.0.0.1:3306/test?user=root";
    static final String PG_RAW = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final String MARIADB_RAW = "jdbc:mysql://127.0.0.1:3306/test?user=root";

    enum Expect { ALLOW, DENY, HELD }

    /**
     * One statement and what the policy says about it. {@code {t}} is a fresh table {@code (id int, secret
     * text)} holding three rows; {@code untouched} is true when the database must look exactly as before.
     */
    record Case(String name, String sql, Expect expect, List<String> rules, boolean untouched) {
    }

    static List<Case> cases(boolean pg) {
        List<Case> all = new ArrayList<>(List.of(
                new Case("a plain read runs", "SELECT id FROM {t} WHERE id = 1", Expect.ALLOW, List.of(), true),
                new Case("a read a shadow rule would deny still runs", "SELECT count(*) FROM {t}", Expect.ALLOW, List.of(), true),
                new Case("a bounded update runs", "UPDATE {t} SET id = 10 WHERE id = 1", Expect.ALLOW, List.of(), false),
                new Case("an insert runs", "INSERT INTO {t} (id) VALUES (4)", Expect.ALLOW, List.of(), false),
                new Case("a session setting runs", pg ? "SET application_name = 'gh'" : "SET @gh = 1", Expect.ALLOW, List.of(), true),
                new Case("dropping the table is denied", "DROP TABLE {t}", Expect.DENY, List.of("no-drops"), true),
                new Case("truncating is denied", "TRUNCATE TABLE {t}", Expect.DENY, List.of("no-drops"), true),
                new Case("a grant is denied", pg ? "GRANT SELECT ON {t} TO PUBLIC" : "GRANT SELECT ON test.{t} TO 'nobody'@'%'",
                        Expect.DENY, List.of("no-privileges"), true),
                new Case("an export is denied", pg ? "COPY {t} TO STDOUT" : "SELECT id FROM {t} INTO OUTFILE '/tmp/gh-{t}'",
                        // MySQL's INTO OUTFILE leaves lineage incomplete, so the column rule matches too (fail closed).
                        Expect.DENY, pg ? List.of("no-exports") : List.of("no-exports", "secret-reads"), true),
                new Case("text nobody can read is denied by default", "FROB {t} NOW", Expect.DENY, List.of(), true),
                new Case("a delete of every row is held", "DELETE FROM {t}", Expect.HELD, List.of("bulk-writes"), true),
                new Case("an unbounded update is held", "UPDATE {t} SET id = 0", Expect.HELD, List.of("bulk-writes"), true),
                new Case("adding a column is held", "ALTER TABLE {t} ADD COLUMN extra int", Expect.HELD, List.of("ddl-review"), true),
                new Case("reading a secret column is held", "SELECT secret FROM {t} WHERE id = 1", Expect.HELD,
                        List.of("secret-reads"), true),
                new Case("two statements, one denied, deny the whole text",
                        "INSERT INTO {t} (id) VALUES (5); DROP TABLE {t}", Expect.DENY, List.of("no-drops"), true)));
        if (pg) {
            all.add(new Case("a JDBC escape is decided as the driver translates it",
                    "SELECT {fn ucase(secret)} FROM {t} WHERE id = 2", Expect.HELD, List.of("secret-reads"), true));
        }
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everyKindOfStatementOnPostgres() {
        return table(PG, PG_RAW, true);
    }

    @TestFactory
    Stream<DynamicTest> everyKindOfStatementOnMariadb() {
        return table(MARIADB, MARIADB_RAW, false);
    }

    private Stream<DynamicTest> table(String base, String raw, boolean pg) {
        return cases(pg).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String t = newTable(raw);
            try (Connection g = DriverManager.getConnection(DESK.url(base, "gatehouse.review=fail"));
                 Statement st = g.createStatement()) {
                String sql = c.sql().replace("{t}", t);
                switch (c.expect()) {
                    case ALLOW -> st.execute(sql);
                    case DENY -> {
                        StatementDeniedException e = assertThrows(StatementDeniedException.class, () -> st.execute(sql));
                        assertEquals("42501", e.getSQLState());
                        assertEquals(c.rules(), e.ruleIds(), e.getMessage());
                    }
                    case HELD -> {
                        ReviewPendingException e = assertThrows(ReviewPendingException.class, () -> st.execute(sql));
                        assertEquals("ZG001", e.getSQLState());
                        assertTrue(e.getMessage().contains(String.join(", ", c.rules())), e.getMessage());
                        assertTrue(e.approvalUrl().startsWith(DESK.baseUrl() + "/#"), e.approvalUrl());
                        assertEquals(List.of(e.requestId()), DESK.pending(t), "one request, visible in the API");
                    }
                }
                if (c.untouched()) {
                    assertEquals(List.of(1, 2, 3), ids(raw, t), "nothing reached the database");
                    assertEquals(0, columnCount(raw, t, "extra"), "no column was added");
                }
            } finally {
                exec(raw, "DROP TABLE IF EXISTS " + t);
            }
        }));
    }

    @Test
    void aWaitIsReleasedByAnApprovalThroughTheApiOnPostgres() throws Exception {
        waitReleased(PG, PG_RAW);
    }

    @Test
    void aWaitIsReleasedByAnApprovalThroughTheApiOnMariadb() throws Exception {
        waitReleased(MARIADB, MARIADB_RAW);
    }

    /** Issue 14: the driver given serve's URL and a requester credential holds and releases the same way. */
    @Test
    void aWaitThroughServesRequesterApiIsReleasedByAnApprovalOnPostgres() throws Exception {
        waitReleased(PG, PG_RAW, true);
    }

    @Test
    void aWaitThroughServesRequesterApiIsReleasedByAnApprovalOnMariadb() throws Exception {
        waitReleased(MARIADB, MARIADB_RAW, true);
    }

    /** What the approvals settings may be, checked at connect: a mistake is ZG005, never a weaker guard. */
    @TestFactory
    Stream<DynamicTest> theApprovalsSettingsAreCheckedAtConnect() throws Exception {
        java.nio.file.Path approverToken = java.nio.file.Files.createTempFile("gatehouse-not-a-requester", ".token");
        java.nio.file.Files.writeString(approverToken, "ght_YWxpY2U.c2VjcmV0");
        record Case(String name, String url, String says) {
        }
        String token = "&gatehouse.requester-token-file=" + enc(DESK.requesterToken.toString());
        return Stream.of(
                        new Case("serve's URL without a credential", DESK.url(PG, "").replace(enc(DESK.storeUrl), enc(DESK.baseUrl())),
                                "needs a requester credential"),
                        new Case("an approver's token is no requester credential", DESK.remoteUrl(PG, "").replace(
                                enc(DESK.requesterToken.toString()), enc(approverToken.toString())), "needs a requester credential"),
                        new Case("a token file that is not there", DESK.remoteUrl(PG, "").replace(
                                enc(DESK.requesterToken.toString()), enc("/nonexistent/requester.token")), "cannot read it"),
                        new Case("a store user for serve's API", DESK.remoteUrl(PG, "gatehouse.approvals-user=sa"), "not a store user"),
                        new Case("a credential file for a store", DESK.url(PG, "") + token, "only means something"),
                        new Case("neither a store nor serve", DESK.url(PG, "").replace(enc(DESK.storeUrl), enc("ftp://x")),
                                "expected gatehouse serve's URL"))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(c.url()).close());
                    assertEquals("ZG005", e.getSQLState(), e.getMessage());
                    assertTrue(e.getMessage().contains(c.says()), e.getMessage());
                    assertFalse(e.getMessage().contains("c2VjcmV0"), "never the token: " + e.getMessage());
                }));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void waitReleased(String base, String raw) throws Exception {
        waitReleased(base, raw, false);
    }

    private void waitReleased(String base, String raw, boolean remote) throws Exception {
        String t = newTable(raw);
        try (Connection g = DriverManager.getConnection(remote ? DESK.remoteUrl(base, "gatehouse.max-wait=30")
                : DESK.url(base, "gatehouse.max-wait=30"));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> deleting = pool.submit(() -> {
                try (Statement st = g.createStatement()) {
                    return st.executeUpdate("DELETE FROM " + t);
                }
            });
            String id = DESK.awaitPending(t);
            assertEquals(List.of(1, 2, 3), ids(raw, t), "held, not run");
            assertEquals(200, DESK.approve(id));
            assertEquals(3, deleting.get(20, TimeUnit.SECONDS), "ran once the approval came");
            assertEquals(List.of(), ids(raw, t));
        } finally {
            exec(raw, "DROP TABLE IF EXISTS " + t);
        }
    }

    /**
     * The application closes its connection (a pool evicting it, a shutdown) while a statement waits for
     * approval: the request is withdrawn at once rather than left for an approver to approve for nobody.
     */
    @Test
    void closingTheConnectionWithdrawsAWaitingStatement() throws Exception {
        String t = newTable(PG_RAW);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Connection g = DriverManager.getConnection(DESK.url(PG, "gatehouse.max-wait=60"));
            Future<Integer> deleting = pool.submit(() -> {
                try (Statement st = g.createStatement()) {
                    return st.executeUpdate("DELETE FROM " + t);
                }
            });
            DESK.awaitPending(t);
            g.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!DESK.pending(t).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(25);
            }
            assertEquals(List.of(), DESK.pending(t), "no request outlives its connection");
            Exception e = assertThrows(java.util.concurrent.ExecutionException.class, () -> deleting.get(10, TimeUnit.SECONDS));
            assertInstanceOf(java.sql.SQLException.class, e.getCause());
            assertEquals(List.of(1, 2, 3), ids(PG_RAW, t));
        } finally {
            exec(PG_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    /** Settings a URL makes at connect time are decided as the SET statements they are (and audited). */
    @Test
    void urlOptionsAreDecidedAsTheirSetStatements() throws Exception {
        exec(PG_RAW, "DO $$ BEGIN CREATE ROLE gh_url_role; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        String roleSwitch = URLEncoder.encode("-c role=gh_url_role", StandardCharsets.UTF_8);
        StatementDeniedException denied = assertThrows(StatementDeniedException.class,
                () -> DriverManager.getConnection(DESK.url(PG + "&options=" + roleSwitch, "")));
        assertEquals(List.of("no-role-switch"), denied.ruleIds(), denied.getMessage());
        String replica = URLEncoder.encode("-c session_replication_role=replica", StandardCharsets.UTF_8);
        assertThrows(StatementDeniedException.class,
                () -> DriverManager.getConnection(DESK.url(PG + "&options=" + replica, "")));
        SQLException unread = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                DESK.url(PG + "&options=" + URLEncoder.encode("-f s", StandardCharsets.UTF_8), "")));
        assertEquals("ZG003", unread.getSQLState(), "a startup switch Gatehouse cannot read refuses the connection");
        String path = URLEncoder.encode("-c search_path=public", StandardCharsets.UTF_8);
        try (Connection ok = DriverManager.getConnection(DESK.url(PG + "&options=" + path + "&currentSchema=public", ""));
             Statement st = ok.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('search_path')")) {
            assertTrue(rs.next());
            assertEquals("public", rs.getString(1), "an allowed setting connects as usual");
        }
        try (Connection ok = DriverManager.getConnection(DESK.url(MARIADB + "&sessionVariables="
                + URLEncoder.encode("sql_mode='ANSI_QUOTES',foreign_key_checks=1", StandardCharsets.UTF_8), ""));
             Statement st = ok.createStatement(); ResultSet rs = st.executeQuery("SELECT @@session.sql_mode")) {
            assertTrue(rs.next());
            assertTrue(rs.getString(1).contains("ANSI_QUOTES"), "Connector/J's session variables, decided, then set");
        }
    }

    @Test
    void aWaitEndsWithADenialThroughTheApi() throws Exception {
        String t = newTable(PG_RAW);
        try (Connection g = DriverManager.getConnection(DESK.url(PG, "gatehouse.max-wait=30"));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> deleting = pool.submit((Callable<Integer>) () -> {
                try (Statement st = g.createStatement()) {
                    return st.executeUpdate("UPDATE " + t + " SET id = 0");
                }
            });
            assertEquals(200, DESK.deny(DESK.awaitPending(t)));
            Exception e = assertThrows(java.util.concurrent.ExecutionException.class, () -> deleting.get(20, TimeUnit.SECONDS));
            StatementDeniedException denied = assertInstanceOf(StatementDeniedException.class, e.getCause());
            assertEquals("42501", denied.getSQLState());
            assertEquals(List.of("bulk-writes"), denied.ruleIds());
            assertEquals(List.of(1, 2, 3), ids(PG_RAW, t));
        } finally {
            exec(PG_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void failModeRetryAfterApprovalRunsOnceAndTheNextRetryIsHeldAgain() throws Exception {
        String t = newTable(PG_RAW);
        try (Connection g = DriverManager.getConnection(DESK.url(PG, "gatehouse.review=fail"))) {
            String sql = "UPDATE " + t + " SET id = id + 100";
            ReviewPendingException first = assertThrows(ReviewPendingException.class, () -> g.createStatement().execute(sql));
            ReviewPendingException joined = assertThrows(ReviewPendingException.class, () -> g.createStatement().execute(sql));
            assertEquals(first.requestId(), joined.requestId(), "an identical re-run while pending joins the request");
            assertEquals(200, DESK.approve(first.requestId()));
            g.createStatement().execute(sql);
            assertEquals(List.of(101, 102, 103), ids(PG_RAW, t), "the approved statement ran, once");
            ReviewPendingException again = assertThrows(ReviewPendingException.class, () -> g.createStatement().execute(sql));
            assertFalse(again.requestId().equals(first.requestId()), "the approval was used up: a new request");
            assertEquals(List.of(101, 102, 103), ids(PG_RAW, t));
        } finally {
            exec(PG_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void failModeRetryOfAPreparedStatementMatchesItsParameterValues() throws Exception {
        String t = newTable(PG_RAW);
        String sql = "SELECT secret FROM " + t + " WHERE id = ?";
        try (Connection g = DriverManager.getConnection(DESK.url(PG, ""));
             PreparedStatement ps = g.prepareStatement(sql)) {
            ps.setInt(1, 2);
            ReviewPendingException held = assertThrows(ReviewPendingException.class, ps::executeQuery);
            assertEquals(200, DESK.approve(held.requestId()));
            ps.setInt(1, 3);
            assertThrows(ReviewPendingException.class, ps::executeQuery, "another value is another request");
            ps.setInt(1, 2);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("s2", rs.getString(1));
            }
        } finally {
            exec(PG_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void aDenialInsideATransactionLeavesNothingCommittedOnPostgres() throws Exception {
        String t = newTable(PG_RAW);
        try (Connection g = DriverManager.getConnection(DESK.url(PG, ""))) {
            g.setAutoCommit(false);
            try (Statement st = g.createStatement()) {
                st.executeUpdate("INSERT INTO " + t + " (id) VALUES (7)");
                StatementDeniedException e = assertThrows(StatementDeniedException.class, () -> st.execute("DROP TABLE " + t));
                assertEquals(List.of("no-drops"), e.ruleIds());
                SQLException aborted = assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1"));
                assertEquals("25P02", aborted.getSQLState(), "the server aborted the transaction, as after an error");
            }
            g.commit();
        } finally {
            assertEquals(List.of(1, 2, 3), ids(PG_RAW, t), "COMMIT committed nothing");
            exec(PG_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void aDenialInsideATransactionRollsBackOnlyTheStatementOnMariadb() throws Exception {
        String t = newTable(MARIADB_RAW);
        try (Connection g = DriverManager.getConnection(DESK.url(MARIADB, ""))) {
            g.setAutoCommit(false);
            try (Statement st = g.createStatement()) {
                st.executeUpdate("INSERT INTO " + t + " (id) VALUES (7)");
                assertThrows(StatementDeniedException.class, () -> st.execute("TRUNCATE TABLE " + t));
            }
            g.commit();
        } finally {
            assertEquals(List.of(1, 2, 3, 7), ids(MARIADB_RAW, t), "the table was not truncated; the insert stands");
            exec(MARIADB_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void aHikariPoolOverTheDriver() throws Exception {
        String t = newTable(PG_RAW);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(DESK.url(PG, ""));
        cfg.setMaximumPoolSize(4);
        cfg.setPoolName("gatehouse-policy-test");
        try (HikariDataSource ds = new HikariDataSource(cfg);
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            AtomicInteger ran = new AtomicInteger();
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                all.add(pool.submit(() -> {
                    for (int k = 0; k < 50; k++) {
                        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                                "SELECT count(*) FROM " + t + " WHERE id > ?")) {
                            ps.setInt(1, -(n * 1000 + k));
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                assertEquals(3, rs.getInt(1));
                                ran.incrementAndGet();
                            }
                        }
                        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                            assertThrows(StatementDeniedException.class, () -> st.execute("DROP TABLE " + t));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(400, ran.get());
            assertEquals(List.of(1, 2, 3), ids(PG_RAW, t));
        } finally {
            exec(PG_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void withTheStoreDownAllowedStatementsRunAndHeldOnesFailClosed() throws Exception {
        String t = newTable(PG_RAW);
        String down = DESK.url(PG, "").replace(java.net.URLEncoder.encode(DESK.storeUrl, java.nio.charset.StandardCharsets.UTF_8),
                java.net.URLEncoder.encode("jdbc:postgresql://127.0.0.1:1/nothing", java.nio.charset.StandardCharsets.UTF_8))
                + "&gatehouse.approvals-user=nobody";
        try (Connection g = DriverManager.getConnection(down); Statement st = g.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                rs.next();
                assertEquals(3, rs.getInt(1), "an allowed read needs no store");
            }
            SQLException held = assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM " + t));
            assertEquals("ZG003", held.getSQLState(), held.getMessage());
            assertTrue(held.getMessage().contains("approvals store"), held.getMessage());
            StatementDeniedException denied = assertThrows(StatementDeniedException.class, () -> st.execute("DROP TABLE " + t));
            assertTrue(denied.getMessage().contains("could not be audited"), denied.getMessage());
            assertEquals(List.of(1, 2, 3), ids(PG_RAW, t));
        } finally {
            exec(PG_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void auditingEveryAllowMakesAllowsNeedTheStore() throws Exception {
        String t = newTable(PG_RAW);
        String down = DESK.url(PG, "gatehouse.audit-allows=all").replace(
                java.net.URLEncoder.encode(DESK.storeUrl, java.nio.charset.StandardCharsets.UTF_8),
                java.net.URLEncoder.encode("jdbc:postgresql://127.0.0.1:1/nothing", java.nio.charset.StandardCharsets.UTF_8));
        try (Connection g = DriverManager.getConnection(down); Statement st = g.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.executeUpdate("INSERT INTO " + t + " (id) VALUES (9)"));
            assertEquals("ZG003", e.getSQLState(), e.getMessage());
            assertEquals(List.of(1, 2, 3), ids(PG_RAW, t));
        } finally {
            exec(PG_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void aBatchWithOneDeniedElementRunsNothing() throws Exception {
        String t = newTable(MARIADB_RAW);
        try (Connection g = DriverManager.getConnection(DESK.url(MARIADB, ""));
             PreparedStatement ps = g.prepareStatement("INSERT INTO " + t + " (id) VALUES (?)");
             Statement st = g.createStatement()) {
            ps.setInt(1, 8);
            ps.addBatch();
            ps.setInt(1, 9);
            ps.addBatch();
            assertEquals(2, ps.executeBatch().length, "an allowed batch runs");
            st.addBatch("INSERT INTO " + t + " (id) VALUES (10)");
            st.addBatch("DROP TABLE " + t);
            java.sql.BatchUpdateException e = assertThrows(java.sql.BatchUpdateException.class, st::executeBatch);
            assertEquals("42501", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("no-drops"), e.getMessage());
            assertEquals(List.of(1, 2, 3, 8, 9), ids(MARIADB_RAW, t), "nothing of the denied batch ran");
        } finally {
            exec(MARIADB_RAW, "DROP TABLE IF EXISTS " + t);
        }
    }

    @Test
    void withoutAPolicyFileTheDriverRefusesToConnect() {
        SQLException e = assertThrows(SQLException.class, 
                () -> DriverManager.getConnection("jdbc:gatehouse:" + PG + "&gatehouse.guard=policy"));
        assertEquals("ZG005", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("gatehouse.policy"), e.getMessage());
    }

    // ------------------------------------------------------------------ helpers over plain connections

    /** A fresh table {@code (id int, secret text)} with rows 1, 2, 3 and secrets s1, s2, s3. */
    static String newTable(String raw) throws SQLException {
        String t = "gh_pol_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        exec(raw, "CREATE TABLE " + t + " (id int, secret varchar(20))");
        exec(raw, "INSERT INTO " + t + " VALUES (1, 's1'), (2, 's2'), (3, 's3')");
        return t;
    }

    static void exec(String raw, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(raw); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static List<Integer> ids(String raw, String t) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(raw); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM " + t + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    static int columnCount(String raw, String t, String column) throws SQLException {
        try (Connection c = DriverManager.getConnection(raw);
             ResultSet rs = c.getMetaData().getColumns(null, null, t, column)) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            return n;
        }
    }
}
