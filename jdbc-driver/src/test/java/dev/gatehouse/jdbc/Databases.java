package dev.gatehouse.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The real databases on loopback, and plain (un-guarded) connections to check what really reached them.
 */
final class Databases {
    static final String PG = "postgresql://127.0.0.1:5432/test?user=postgres";
    static final String MARIADB = "mariadb://127.0.0.1:3306/test?user=root";
    static final String PG_RAW = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final String MYSQL_RAW = "jdbc:mysql://127.0.0.1:3306/test?user=root";

    private Databases() {
    }

    static Connection plainPostgres() throws SQLException {
        return DriverManager.getConnection(PG_RAW);
    }

    static Connection plainMariadb() throws SQLException {
        return DriverManager.getConnection(MYSQL_RAW);
    }

    static Connection plain(String base) throws SQLException {
        return base.startsWith("postgresql") ? plainPostgres() : plainMariadb();
    }

    /** Runs {@code sql} over a plain connection: set-up and clean-up that the guard must not see. */
    static void exec(String base, String sql) throws SQLException {
        try (Connection c = plain(base); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Creates a one-column table {@code (id int)} under a name no other test uses. */
    static String newTable(String base, String prefix) throws SQLException {
        String table = uniqueTable(prefix);
        exec(base, "CREATE TABLE " + table + " (id int)");
        return table;
    }

    /** A table name no other test uses. */
    static String uniqueTable(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static void drop(String base, String table) throws SQLException {
        exec(base, "DROP TABLE IF EXISTS " + table);
    }

    static long count(String base, String table) throws SQLException {
        try (Connection c = plain(base); var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
