package dev.gatehouse.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver under a real policy: after a text that moves the search path (PostgreSQL) or the current database
 * (MariaDB), unqualified names are decided where the server resolves them. Each case moves it in a way a
 * hand-written scanner missed.
 */
class SearchPathDecisionTest {
    static final String SCHEMA = Databases.uniqueTable("gh_billing");
    /** In SCHEMA, and an empty one of the same name where names resolve by default (public, the test database). */
    static final String TABLE = Databases.uniqueTable("gh_invoices");
    static Path policy;

    record Case(String name, String base, String movesPath) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        for (String base : List.of(Databases.PG_RAW, Databases.MYSQL_RAW)) {
            try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + SCHEMA); // a database on MariaDB
                s.execute("CREATE TABLE " + SCHEMA + "." + TABLE + " (id int, total numeric(10,2))");
                s.execute("INSERT INTO " + SCHEMA + "." + TABLE + " VALUES (1, 99.50)");
                s.execute("CREATE TABLE " + TABLE + " (id int, total numeric(10,2))");
            }
        }
        policy = Files.createTempFile("gatehouse-search-path", ".yaml");
        Files.writeString(policy, """
                version: 1
                defaults:
                  unparsed: deny
                  otherwise: allow
                rules:
                  - id: invoices
                    match: { kinds: [READ], tables: ["%s.%s"] }
                    action: deny
                    reason: invoices are read elsewhere
                """.formatted(SCHEMA, TABLE));
    }

    @AfterAll
    static void tearDown() throws Exception {
        Databases.exec(Databases.PG, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        Databases.exec(Databases.PG, "DROP TABLE IF EXISTS " + TABLE);
        Databases.exec(Databases.MARIADB, "DROP DATABASE IF EXISTS " + SCHEMA);
        Databases.exec(Databases.MARIADB, "DROP TABLE IF EXISTS " + TABLE);
    }

    static List<Case> cases() {
        return List.of(
                new Case("SET with a quoted setting name", Databases.PG, "SET \"search_path\" = " + SCHEMA + ", public"),
                new Case("set_config after a -- comment ended by \\r", Databases.PG,
                        "SELECT 1; -- the path\rSELECT set_config('search_path', '" + SCHEMA + ", public', false)"),
                new Case("USE in a MySQL executable comment", Databases.MARIADB, "/*!50000 USE " + SCHEMA + " */"));
    }

    private static String url(String base) {
        return "jdbc:gatehouse:" + base + "&gatehouse.policy="
                + URLEncoder.encode(policy.toString(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void unqualifiedNamesAreDecidedWhereTheServerResolvesThem(Case c) throws SQLException {
        try (Connection conn = DriverManager.getConnection(url(c.base)); Statement s = conn.createStatement()) {
            s.execute(c.movesPath);
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM " + TABLE).close());
            assertEquals("42501", e.getSQLState(), e.getMessage());
            // the rule names only the moved-to table; resolved there for sure, not as a possible match
            assertTrue(e.getMessage().contains("(rules: invoices): invoices: "), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bases")
    void withoutTheMoveTheNameResolvesToTheDefaultsTable(String base) throws SQLException {
        try (Connection conn = DriverManager.getConnection(url(base)); Statement s = conn.createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM " + TABLE)) {
            assertFalse(r.next(), "the empty table where names resolve by default");
        }
    }

    static List<String> bases() {
        return List.of(Databases.PG, Databases.MARIADB);
    }
}
