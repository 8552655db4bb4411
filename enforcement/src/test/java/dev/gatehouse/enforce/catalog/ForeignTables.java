package dev.gatehouse.enforce.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A PostgreSQL foreign table for tests, over the local server itself (postgres_fdw through 127.0.0.1, as user
 * postgres): {@code <name>} in {@code schema} reads and writes the plain table {@code <name>_base} next to it, 30
 * rows (id 1..30, note 'n', secret 's'). A trigger on the base table counts every row a write reaches in a
 * sequence, which no rollback takes back: {@link #touched()} tells a write that was never run from one that ran and
 * was undone. Shared by the enforcement, driver and proxy tests (enforcement's test jar).
 *
 * <p>postgres_fdw is installed once in the database (public) and left there; the server, its user mapping and the
 * tables go with {@link #close()}.
 */
public final class ForeignTables implements AutoCloseable {
    public static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String schema;
    private final String name;
    private final String server;

    private ForeignTables(String schema, String name, String server) {
        this.schema = schema;
        this.name = name;
        this.server = server;
    }

    /** A fresh foreign table {@code schema.name} over {@code schema.name_base}. */
    public static ForeignTables create(String schema, String name) throws SQLException {
        String server = "gh_fdw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String base = schema + "." + name + "_base";
        try (Connection c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
            installWrapper(c);
            s.execute("CREATE TABLE " + base + " (id int PRIMARY KEY, note text, secret text)");
            s.execute("INSERT INTO " + base + " SELECT g, 'n', 's' FROM generate_series(1, 30) g");
            s.execute("CREATE SEQUENCE " + base + "_touched");
            s.execute("CREATE FUNCTION " + base + "_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " PERFORM nextval('" + base + "_touched'); RETURN COALESCE(NEW, OLD); END $$");
            s.execute("CREATE TRIGGER touch BEFORE INSERT OR UPDATE OR DELETE ON " + base
                    + " FOR EACH ROW EXECUTE FUNCTION " + base + "_touch()");
            s.execute("CREATE SERVER " + server + " FOREIGN DATA WRAPPER postgres_fdw"
                    + " OPTIONS (host '127.0.0.1', port '5432', dbname 'test')");
            s.execute("CREATE USER MAPPING FOR postgres SERVER " + server + " OPTIONS (user 'postgres')");
            s.execute("CREATE FOREIGN TABLE " + schema + "." + name + " (id int, note text, secret text) SERVER "
                    + server + " OPTIONS (schema_name '" + schema + "', table_name '" + name + "_base')");
        }
        return new ForeignTables(schema, name, server);
    }

    /** CREATE EXTENSION, tolerating another test process that installs it at the same moment. */
    private static void installWrapper(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS postgres_fdw SCHEMA public");
        } catch (SQLException e) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'postgres_fdw'")) {
                if (!rs.next()) {
                    throw e;
                }
            }
        }
    }

    /** The foreign server the table is on (for more foreign tables over the same base table). */
    public String server() {
        return server;
    }

    /** The foreign table, schema-qualified. */
    public String qualified() {
        return schema + "." + name;
    }

    /** Rows a write reached in the base table so far (inserted, updated or deleted), rolled back or not. */
    public long touched() throws SQLException {
        try (Connection c = DriverManager.getConnection(PG); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM "
                     + schema + "." + name + "_base_touched")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The base table's rows as "id:note", by id. */
    public List<String> snapshot() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(PG); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, note FROM " + schema + "." + name + "_base ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + ":" + rs.getString(2));
            }
        }
        return rows;
    }

    /** 1..n, each with {@code note}: what {@link #snapshot()} shows. */
    public static List<String> rows(int n, String note) {
        List<String> rows = new ArrayList<>(n);
        for (int id = 1; id <= n; id++) {
            rows.add(id + ":" + note);
        }
        return rows;
    }

    @Override
    public void close() throws SQLException {
        String base = schema + "." + name + "_base";
        try (Connection c = DriverManager.getConnection(PG); Statement s = c.createStatement()) {
            s.execute("DROP SERVER IF EXISTS " + server + " CASCADE");
            s.execute("DROP TABLE IF EXISTS " + base);
            s.execute("DROP FUNCTION IF EXISTS " + base + "_touch()");
            s.execute("DROP SEQUENCE IF EXISTS " + base + "_touched");
        }
    }
}
