package dev.gatehouse.enforce.session;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Prepared-statement names as PostgreSQL compares them (a UTF-8 database): the name the scan gives a PREPARE is the
 * one the server lists, and an EXECUTE's name equals it exactly when the server runs that statement.
 */
class PreparedNamesTest {
    static Connection postgres;

    record Case(String name, String prepareAs, String executeAs) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void connect() throws SQLException {
        postgres = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&preferQueryMode=simple");
    }

    @AfterAll
    static void close() throws SQLException {
        postgres.close();
    }

    static List<Case> cases() {
        return List.of(
                new Case("unquoted folds", "MyQ", "myq"),
                new Case("quoted keeps its case", "\"MyQ\"", "myq"),
                new Case("non-ASCII capitals do not fold", "ÄbC", "äbc"),
                new Case("non-ASCII capitals kept", "ÄbC", "\"Äbc\""),
                new Case("Turkish dotted capital I kept", "İx", "\"İx\""),
                new Case("Turkish dotted capital I is not i", "İx", "ix"),
                new Case("long names cut alike", "a".repeat(70), "a".repeat(64)),
                new Case("cut names differ by their first 63 bytes", "a".repeat(62) + "bc", "a".repeat(62) + "b"),
                new Case("multibyte names cut on a character", "ä".repeat(40), "ä".repeat(31)),
                new Case("a cut never splits a character", "a" + "ä".repeat(40), "a" + "ä".repeat(31)),
                new Case("doubled quote", "\"a\"\"b\"", "\"a\"\"b\""),
                new Case("Unicode escape spelling", "U&\"\\00C4bc\"", "\"Äbc\""),
                new Case("a keyword as a name", "\"select\"", "\"select\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void namesAsTheServerComparesThem(Case c) throws SQLException {
        SqlScan prepare = SqlScan.of("PREPARE " + c.prepareAs + " AS SELECT 1");
        SqlScan execute = SqlScan.of("EXECUTE " + c.executeAs);
        String scanned = ((SessionEffect.Prepare) prepare.effects().get(0)).name();
        try (Statement s = postgres.createStatement()) {
            s.execute("DEALLOCATE ALL");
            s.execute("PREPARE " + c.prepareAs + " AS SELECT 1");
            try (ResultSet r = s.executeQuery("SELECT name FROM pg_prepared_statements")) {
                r.next();
                assertEquals(r.getString(1), scanned, "the name the server stored");
            }
            boolean runs;
            try {
                s.execute("EXECUTE " + c.executeAs);
                runs = true;
            } catch (SQLException e) {
                assertEquals("26000", e.getSQLState(), e.getMessage()); // invalid_sql_statement_name: no such statement
                runs = false;
            }
            assertEquals(runs, scanned.equals(execute.executed().get(0)),
                    "the server runs it exactly when the scanned names are equal");
        }
    }
}
