package dev.gatehouse.approvals;

import dev.gatehouse.approvals.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;

/**
 * Real stores for tests: an H2 file database in a fresh temporary directory, or a fresh schema in the local
 * PostgreSQL database {@code test} (dropped by {@link #drop}).
 */
public record TestStores(String kind, String url, Path dir, String schema) {
    public static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";

    public static TestStores h2() {
        try {
            Path dir = Files.createTempDirectory("gatehouse-h2-");
            return new TestStores("h2", "jdbc:h2:file:" + dir.resolve("store") + ";DB_CLOSE_DELAY=0", dir, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestStores postgres() {
        String schema = "gh_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        exec(PG_BASE, "CREATE SCHEMA " + schema);
        return new TestStores("postgres", PG_BASE + "?currentSchema=" + schema, null, schema);
    }

    /** A fresh database on the local MariaDB (MySQL protocol), dropped by {@link #drop}. */
    public static TestStores mysql() {
        String db = "gh_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execMysql(MYSQL_BASE, "CREATE DATABASE " + db);
        return new TestStores("mysql", MYSQL_BASE + db, null, db);
    }

    public static final String MYSQL_BASE = "jdbc:mysql://127.0.0.1:3306/";

    public static TestStores of(String kind) {
        return switch (kind) {
            case "h2" -> h2();
            case "postgres" -> postgres();
            case "mysql" -> mysql();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    public Store open() {
        return switch (kind) {
            case "postgres" -> Store.open(url, "postgres", null, 4);
            case "mysql" -> Store.open(url, "root", "", 4);
            default -> Store.open(url, "sa", "", 4);
        };
    }

    private static void execMysql(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs plain SQL against the store, behind the service's back (for tampering tests). */
    public void sql(String script) {
        for (String sql : script.split("; ")) {
            sql1(sql);
        }
    }

    private void sql1(String sql) {
        if ("postgres".equals(kind)) {
            exec(url, sql);
        } else if ("mysql".equals(kind)) {
            execMysql(url, sql);
        } else {
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public void drop() {
        if (schema != null && "mysql".equals(kind)) {
            execMysql(MYSQL_BASE, "DROP DATABASE " + schema);
        } else if (schema != null) {
            exec(PG_BASE, "DROP SCHEMA " + schema + " CASCADE");
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void exec(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
