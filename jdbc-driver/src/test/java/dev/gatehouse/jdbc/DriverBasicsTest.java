package dev.gatehouse.jdbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connecting through DriverManager, allowing, denying and failing closed, on both real databases. */
class DriverBasicsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void allowedStatementsRunAndDeniedOnesNeverReachTheDatabase(String base) throws SQLException {
        String table = Databases.uniqueTable("gh_basic");
        Scenario s = new Scenario().deny("forbidden_marker", "no-forbidden");
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            assertInstanceOf(dev.gatehouse.jdbc.wrap.GuardedConnection.class, c);
            st.execute("CREATE TABLE " + table + " (id int)");
            assertEquals(1, st.executeUpdate("INSERT INTO " + table + " VALUES (1)"));

            SQLException denied = assertThrows(SQLException.class,
                    () -> st.executeUpdate("INSERT INTO " + table + " VALUES (2) /* forbidden_marker */"));
            assertEquals("42501", denied.getSQLState());
            assertTrue(denied.getMessage().contains("no-forbidden"), denied.getMessage());
            assertTrue(denied.getMessage().contains("test rule no-forbidden matched"), denied.getMessage());
            assertEquals(java.util.List.of("no-forbidden"), ((StatementDeniedException) denied).ruleIds());
            assertEquals(1, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void aGuardThatThrowsRefusesTheStatement(String base) throws SQLException {
        String table = Databases.uniqueTable("gh_fail");
        try (Connection plain = Databases.plain(base); Statement p = plain.createStatement()) {
            p.execute("CREATE TABLE " + table + " (id int)");
        }
        Scenario s = new Scenario().failWith(new IllegalStateException("policy engine exploded"));
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute("INSERT INTO " + table + " VALUES (1)"));
            assertEquals(GatehouseSqlState.GUARD_FAILED, e.getSQLState());
            assertTrue(e.getMessage().contains("policy engine exploded"));
            assertEquals(0, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void theRealDriverNeverSeesGatehouseSettings(String base) throws SQLException {
        Scenario s = new Scenario();
        Properties info = new Properties();
        info.setProperty("gatehouse.principal", "agent-7");
        info.setProperty("gatehouse.acting-for", "alice");
        String url = s.url(base) + "&gatehouse.review=fail&gatehouse.max-wait=PT2S";
        try (Connection c = DriverManager.getConnection(url, info)) {
            String realUrl = c.getMetaData().getURL();
            assertFalse(realUrl.contains("gatehouse"), realUrl);
            assertTrue(realUrl.startsWith(base.startsWith("postgresql") ? "jdbc:postgresql:" : "jdbc:mysql:"), realUrl);
            c.createStatement().execute("SELECT 1");
            var seen = s.checked.peek();
            assertEquals("agent-7", seen.session().principal());
            assertEquals("alice", seen.session().actingFor());
        }
        ConnectionUrl parsed = ConnectionUrl.parse(url, info);
        for (String key : parsed.realInfo().stringPropertyNames()) {
            assertFalse(key.startsWith("gatehouse"), key);
        }
        assertEquals("fail", parsed.settings().get("gatehouse.review"));
        assertEquals("agent-7", parsed.settings().get("gatehouse.principal"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void principalDefaultsToTheDatabaseUser(String base) throws SQLException {
        Scenario s = new Scenario();
        try (Connection c = DriverManager.getConnection(s.url(base))) {
            c.createStatement().execute("SELECT 1");
            assertEquals(base.startsWith("postgresql") ? "postgres" : "root", s.checked.peek().session().principal());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gatehouse.allow-unwrapp=true", "gatehouse.review=maybe", "gatehouse.max-wait=forever",
            "gatehouse.max-wait=PT48H", "gatehouse.allow-unwrap=yes"})
    void badSettingsAreRefusedBeforeConnecting(String setting) {
        Scenario s = new Scenario();
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(s.url(Databases.PG) + "&" + setting));
        assertEquals(GatehouseSqlState.BAD_SETTING, e.getSQLState());
        assertTrue(s.contexts.isEmpty(), "no guard may be built for a bad configuration");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdbc:postgresql://127.0.0.1/test", "jdbc:mysql://x/y", "jdbc:gatehous:postgresql://x/"})
    void acceptsOnlyGatehouseUrls(String url) throws SQLException {
        assertFalse(new GatehouseDriver().acceptsURL(url));
        assertEquals(null, new GatehouseDriver().connect(url, new Properties()));
        assertTrue(new GatehouseDriver().acceptsURL("jdbc:gatehouse:" + url.substring(5)));
    }

    @org.junit.jupiter.api.Test
    void anUnknownGuardIsRefused() {
        Scenario s = new Scenario();
        SQLException e = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(s.url(Databases.PG).replace("gatehouse.guard=test-rules", "gatehouse.guard=nope")));
        assertEquals(GatehouseSqlState.BAD_SETTING, e.getSQLState());
        assertTrue(e.getMessage().contains("test-rules"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void theDataSourceTakesCredentialsAndSettings() throws SQLException {
        Scenario s = new Scenario().deny("ds_forbidden", "no-ds");
        GatehouseDataSource ds = new GatehouseDataSource();
        ds.setUrl(s.url("postgresql://127.0.0.1:5432/test"));
        ds.setProperty("gatehouse.principal", "reporting-agent");
        try (Connection c = ds.getConnection("postgres", "")) {
            c.createStatement().execute("SELECT 1");
            assertEquals("reporting-agent", s.checked.peek().session().principal());
            assertEquals("postgres", s.checked.peek().session().databaseUser());
            assertEquals("42501", assertThrows(SQLException.class,
                    () -> c.createStatement().execute("SELECT 1 /* ds_forbidden */")).getSQLState());
        }
        assertThrows(IllegalArgumentException.class, () -> ds.setUrl("jdbc:postgresql://127.0.0.1/test"));
    }

    @org.junit.jupiter.api.Test
    void callableStatementsRecordValuesBoundByName() throws SQLException {
        String proc = Databases.uniqueTable("gh_proc");
        Databases.exec(Databases.MARIADB, "CREATE PROCEDURE " + proc + "(IN x INT, OUT y INT) SET y = x * 2");
        Scenario s = new Scenario();
        try (Connection c = DriverManager.getConnection(s.url(Databases.MARIADB));
             java.sql.CallableStatement cs = c.prepareCall("{call " + proc + "(?, ?)}")) {
            cs.setInt("x", 21);
            cs.registerOutParameter("y", java.sql.Types.INTEGER);
            cs.execute();
            assertEquals(42, cs.getInt("y"));
            var e = s.checked.peek();
            assertEquals(java.util.List.of(new dev.gatehouse.enforce.guard.Execution.NamedParameter("x", 21)), e.named());
            assertEquals(dev.gatehouse.enforce.guard.Origin.PREPARE_CALL, s.prepared.peek().origin());
        } finally {
            Databases.exec(Databases.MARIADB, "DROP PROCEDURE IF EXISTS " + proc);
        }
    }
}
