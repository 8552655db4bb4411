package dev.gatehouse.jdbc;

import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.enforce.guard.SessionState;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session the guard sees follows SET search_path, setSchema, SET ROLE, USE, setCatalog and transactions. */
class SessionTrackingTest {

    private static SessionState sessionOfNext(Scenario s, Statement st, String sql) throws SQLException {
        st.execute(sql);
        Execution last = null;
        for (Execution e : s.checked) {
            last = e;
        }
        return last.session();
    }

    @Test
    void postgresSearchPathRoleAndTransaction() throws SQLException {
        String role = Databases.uniqueTable("gh_role");
        Databases.exec(Databases.PG, "CREATE ROLE " + role);
        Scenario s = new Scenario();
        try (Connection c = DriverManager.getConnection(s.url(Databases.PG)); Statement st = c.createStatement()) {
            SessionState first = sessionOfNext(s, st, "SELECT 1");
            assertEquals("\"$user\", public", first.searchPath());
            assertEquals("\"$user\", public", first.defaultSchema());
            assertEquals("test", first.database());
            assertEquals("postgres", first.role());
            assertFalse(first.inTransaction());

            st.execute("SET search_path TO pg_catalog, public");
            assertEquals("pg_catalog, public", sessionOfNext(s, st, "SELECT 1").searchPath());

            c.setSchema("information_schema");
            assertEquals("information_schema", sessionOfNext(s, st, "SELECT 1").searchPath());

            st.execute("SELECT set_config('search_path', 'public', false)");
            assertEquals("public", sessionOfNext(s, st, "SELECT 1").searchPath());

            st.execute("SET ROLE " + role);
            SessionState asRole = sessionOfNext(s, st, "SELECT 1");
            assertEquals(role, asRole.role());
            assertEquals("postgres", asRole.principal(), "the principal is who logged in, not the role");
            st.execute("RESET ROLE");

            c.setAutoCommit(false);
            assertTrue(sessionOfNext(s, st, "SELECT 1").inTransaction());
            st.execute("SET LOCAL search_path TO pg_catalog");
            assertEquals("pg_catalog", sessionOfNext(s, st, "SELECT 1").searchPath());
            c.rollback();
            c.setAutoCommit(true);
            SessionState after = sessionOfNext(s, st, "SELECT 1");
            assertEquals("public", after.searchPath(), "SET LOCAL ended with its transaction");
            assertFalse(after.inTransaction());
        } finally {
            Databases.exec(Databases.PG, "DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void mariadbCurrentDatabaseAndTransaction() throws SQLException {
        String db = Databases.uniqueTable("gh_db");
        Databases.exec(Databases.MARIADB, "CREATE DATABASE " + db);
        Scenario s = new Scenario();
        try (Connection c = DriverManager.getConnection(s.url(Databases.MARIADB)); Statement st = c.createStatement()) {
            SessionState first = sessionOfNext(s, st, "SELECT 1");
            assertEquals("test", first.database());
            assertEquals("test", first.defaultSchema());
            assertEquals("root", first.principal());

            st.execute("USE " + db);
            assertEquals(db, sessionOfNext(s, st, "SELECT 1").database());
            c.setCatalog("test");
            assertEquals("test", sessionOfNext(s, st, "SELECT 1").database());

            st.execute("BEGIN");
            assertTrue(sessionOfNext(s, st, "SELECT 1").inTransaction(), "an explicit BEGIN with auto-commit on");
            st.execute("COMMIT");
            assertFalse(sessionOfNext(s, st, "SELECT 1").inTransaction());
        } finally {
            Databases.exec(Databases.MARIADB, "DROP DATABASE IF EXISTS " + db);
        }
    }
}
