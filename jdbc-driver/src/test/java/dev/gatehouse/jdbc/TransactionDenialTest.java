package dev.gatehouse.jdbc;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A denial inside a transaction leaves it as the database itself leaves it after an error: PostgreSQL aborts
 * it (later statements 25P02, COMMIT rolls back), MySQL/MariaDB roll back only the statement.
 */
class TransactionDenialTest {

    @Test
    void postgresAbortsTheTransactionAndCommitCommitsNothing() throws SQLException {
        String table = Databases.newTable(Databases.PG, "gh_tx");
        Scenario s = new Scenario().deny("tx_forbidden", "no-tx");
        try (Connection c = DriverManager.getConnection(s.url(Databases.PG)); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("INSERT INTO " + table + " VALUES (1)");
            assertEquals("42501", assertThrows(SQLException.class,
                    () -> st.executeUpdate("INSERT INTO " + table + " VALUES (2) /* tx_forbidden */")).getSQLState());
            // The server itself now refuses everything but the end of the transaction.
            assertEquals("25P02", assertThrows(SQLException.class,
                    () -> st.executeQuery("SELECT count(*) FROM " + table)).getSQLState());
            try {
                c.commit();
            } catch (SQLException rolledBack) {
                // pgjdbc may report that the server answered COMMIT with ROLLBACK; either way nothing committed.
            }
            assertEquals(0, Databases.count(Databases.PG, table), "nothing of the aborted transaction committed");

            // The connection is usable again, and a new transaction commits.
            st.executeUpdate("INSERT INTO " + table + " VALUES (3)");
            c.commit();
            assertEquals(1, Databases.count(Databases.PG, table));
        } finally {
            Databases.drop(Databases.PG, table);
        }
    }

    @Test
    void postgresExplicitBeginWithAutoCommitOnIsAbortedToo() throws SQLException {
        String table = Databases.newTable(Databases.PG, "gh_tx2");
        Scenario s = new Scenario().deny("tx_forbidden", "no-tx");
        try (Connection c = DriverManager.getConnection(s.url(Databases.PG)); Statement st = c.createStatement()) {
            st.execute("BEGIN");
            st.executeUpdate("INSERT INTO " + table + " VALUES (1)");
            assertThrows(SQLException.class, () -> st.execute("SELECT 1 /* tx_forbidden */"));
            st.execute("COMMIT");
            assertEquals(0, Databases.count(Databases.PG, table));
        } finally {
            Databases.drop(Databases.PG, table);
        }
    }

    @Test
    void postgresSavepointRecoversAsAfterARealError() throws SQLException {
        String table = Databases.newTable(Databases.PG, "gh_tx3");
        Scenario s = new Scenario().deny("tx_forbidden", "no-tx");
        try (Connection c = DriverManager.getConnection(s.url(Databases.PG)); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("INSERT INTO " + table + " VALUES (1)");
            Savepoint sp = c.setSavepoint();
            assertThrows(SQLException.class, () -> st.executeUpdate("DELETE FROM " + table + " /* tx_forbidden */"));
            c.rollback(sp);
            st.executeUpdate("INSERT INTO " + table + " VALUES (2)");
            c.commit();
            assertEquals(2, Databases.count(Databases.PG, table));
        } finally {
            Databases.drop(Databases.PG, table);
        }
    }

    @Test
    void mariadbKeepsTheTransactionAndCommitsWhatRan() throws SQLException {
        String table = Databases.uniqueTable("gh_tx");
        Scenario s = new Scenario().deny("tx_forbidden", "no-tx");
        Databases.exec(Databases.MARIADB, "CREATE TABLE " + table + " (id int) ENGINE=InnoDB");
        try (Connection c = DriverManager.getConnection(s.url(Databases.MARIADB)); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("INSERT INTO " + table + " VALUES (1)");
            assertEquals("42501", assertThrows(SQLException.class,
                    () -> st.executeUpdate("INSERT INTO " + table + " VALUES (2) /* tx_forbidden */")).getSQLState());
            st.executeUpdate("INSERT INTO " + table + " VALUES (3)");
            assertEquals(0, Databases.count(Databases.MARIADB, table), "not committed yet");
            c.commit();
            assertEquals(2, Databases.count(Databases.MARIADB, table));
        } finally {
            Databases.drop(Databases.MARIADB, table);
        }
    }
}
