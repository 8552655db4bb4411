package dev.gatehouse.proxy;

import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.enforce.guard.SessionState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy's picture of the session must be the server's: statements the server refused to create, blocks
 * rolled back and settings changed without SET must never let a statement be decided as something it is not.
 */
class SessionTrackingTest {
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyFixture();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_sess");
        ProxyFixture.directly("CREATE TABLE proxy_sess (id int)");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_sess");
    }

    @BeforeEach
    void clean() throws Exception {
        ProxyFixture.directly("TRUNCATE proxy_sess");
        ProxyFixture.directly("INSERT INTO proxy_sess VALUES (1)");
        proxy.guard.seen.clear();
    }

    static SessionState lastSession() {
        List<Execution> seen = proxy.guard.seen;
        return seen.get(seen.size() - 1).session();
    }

    @ParameterizedTest(name = "a second PREPARE of a name does not replace the first, preferQueryMode={0}")
    @ValueSource(strings = {"simple", "extended"})
    void duplicatePrepareKeepsTheFirstBody(String mode) throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=" + mode); Statement s = c.createStatement()) {
            s.execute("PREPARE p AS DELETE FROM proxy_sess /* gh_body_deny */");
            assertEquals("42P05", assertThrows(SQLException.class,
                    () -> s.execute("PREPARE p AS SELECT 1")).getSQLState());
            SQLException e = assertThrows(SQLException.class, () -> s.execute("EXECUTE p"));
            assertEquals("42501", e.getSQLState());
            assertTrue(e.getMessage().contains("test.body"), e.getMessage());
        }
        assertEquals(1, PgjdbcCount.rows("proxy_sess"));
    }

    @Test
    void failedPrepareIsNotRemembered() throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=simple"); Statement s = c.createStatement()) {
            assertEquals("42601", assertThrows(SQLException.class,
                    () -> s.execute("PREPARE q AS SELEC 1")).getSQLState());
            s.execute("PREPARE q AS DELETE FROM proxy_sess /* gh_body_deny */");
            assertEquals("42501", assertThrows(SQLException.class, () -> s.execute("EXECUTE q")).getSQLState());
        }
        assertEquals(1, PgjdbcCount.rows("proxy_sess"));
    }

    @Test
    void explainAnalyzeExecuteIsDecidedWithTheBody() throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=simple"); Statement s = c.createStatement()) {
            s.execute("PREPARE wipe AS DELETE FROM proxy_sess /* gh_body_deny */");
            assertEquals("42501", assertThrows(SQLException.class,
                    () -> s.execute("EXPLAIN ANALYZE EXECUTE wipe")).getSQLState());
            assertEquals("42501", assertThrows(SQLException.class,
                    () -> s.execute("CREATE TEMP TABLE gone AS EXECUTE wipe")).getSQLState());
        }
        assertEquals(1, PgjdbcCount.rows("proxy_sess"));
    }

    @Test
    void prepareAndExecuteInOneString() throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=simple"); Statement s = c.createStatement()) {
            s.execute("PREPARE r AS SELECT 42; EXECUTE r");
            assertEquals(List.of("SELECT 42"), proxy.guard.seen.get(proxy.guard.seen.size() - 1).preparedBodies());
        }
    }

    @Test
    void executeBeforeTheTextPreparesItsNameAgainRunsTheSessionsBody() throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=simple"); Statement s = c.createStatement()) {
            s.execute("PREPARE again AS DELETE FROM proxy_sess /* gh_body_deny */");
            assertEquals("42501", assertThrows(SQLException.class, () -> s.execute(
                    "EXECUTE again; DEALLOCATE again; PREPARE again AS SELECT 1; EXECUTE again")).getSQLState());
        }
        assertEquals(1, PgjdbcCount.rows("proxy_sess"));
    }

    @Test
    void namesCompareAsTheServerFoldsThem() throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=simple"); Statement s = c.createStatement()) {
            s.execute("PREPARE ÄbC AS DELETE FROM proxy_sess /* gh_body_deny */"); // the server names it Äbc
            s.execute("PREPARE äbc AS SELECT 1");
            assertEquals("42501", assertThrows(SQLException.class, () -> s.execute("EXECUTE ÄBC")).getSQLState());
        }
        assertEquals(1, PgjdbcCount.rows("proxy_sess"));
    }

    @Test
    void protocolParseOfAnExistingNameDoesNotReplaceIt() throws Exception {
        try (RawClient c = RawClient.started(proxy.port())) {
            c.send(RawClient.parse("s1", "DELETE FROM proxy_sess /* gh_deny */"), RawClient.sync());
            assertEquals(List.of("1", "Z:I"), c.untilReady(1));
            c.send(RawClient.parse("s1", "SELECT 1"), RawClient.sync());
            assertEquals(List.of("E:42P05", "Z:I"), c.untilReady(1));
            c.send(RawClient.bind("", "s1"), RawClient.execute(""), RawClient.sync());
            // Decided on the first body: refused where its Bind stood, so the Bind never reached the server.
            assertEquals(List.of("E:42501", "Z:I"), c.untilReady(1));
        }
        assertEquals(1, PgjdbcCount.rows("proxy_sess"));
    }

    @Test
    void protocolParseThatFailedIsForgotten() throws Exception {
        try (RawClient c = RawClient.started(proxy.port())) {
            c.send(RawClient.parse("s2", "SELEC 1"), RawClient.sync());
            assertEquals(List.of("E:42601", "Z:I"), c.untilReady(1));
            c.send(RawClient.parse("s2", "SELECT 2"), RawClient.bind("", "s2"), RawClient.execute(""),
                    RawClient.sync());
            assertEquals(List.of("1", "2", "D", "C", "Z:I"), c.untilReady(1));
        }
    }

    @Test
    void searchPathComesFromTheServer() throws Exception {
        try (Connection c = proxy.connect("preferQueryMode=simple"); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            String original = lastSession().searchPath();
            assertEquals("\"$user\", public", original);
            s.execute("BEGIN");
            s.execute("SET search_path TO pg_catalog");
            s.execute("SELECT 2");
            assertEquals("pg_catalog", lastSession().searchPath());
            s.execute("ROLLBACK");
            s.execute("SELECT 3");
            assertEquals(original, lastSession().searchPath(), "a rolled-back SET is gone");
            s.execute("SELECT pg_catalog.set_config('search_path', 'information_schema', false)");
            s.execute("SELECT 4");
            assertEquals("information_schema", lastSession().searchPath(), "set_config counts too");
        }
    }

    @Test
    void roleAndApplicationNameAndClientAddress() throws Exception {
        try (Connection c = proxy.connect("ApplicationName=gatehouse-test"); Statement s = c.createStatement()) {
            s.execute("SET ROLE pg_read_all_data");
            s.execute("SELECT 1");
            assertEquals("pg_read_all_data", lastSession().role());
            s.execute("RESET ROLE");
            s.execute("SET application_name = 'renamed'");
            s.execute("SELECT 2");
            SessionState state = lastSession();
            assertNull(state.role());
            assertEquals("renamed", state.applicationName());
            assertEquals("postgres", state.principal());
            assertEquals("test", state.database());
            assertTrue(state.clientAddress().startsWith("127.0.0.1:"), state.clientAddress());
        }
    }
}
