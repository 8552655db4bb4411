package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.cli.UsageException;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's schema file ({@code proxy.schema} / {@code --proxy-schema}): with it a column rule resolves through
 * {@code SELECT *} and denies; without it the live catalog does the same (see {@link ServeProxyCatalogTest}).
 * Real serve, real PostgreSQL.
 */
class ServeProxySchemaTest {
    static final String POLICY = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: pii
                match: { kinds: [READ, EXPORT], columns: ["*.gh_ps_people.ssn"] }
                action: deny
                reason: personal data
            """;
    static final String SCHEMA = "CREATE TABLE gh_ps_people (id int PRIMARY KEY, name text, ssn text);\n";

    @TempDir
    static Path dir;
    static Serve.Running withSchema;
    static Serve.Running without;

    @BeforeAll
    static void start() throws Exception {
        ServeProxyTest.direct("DROP TABLE IF EXISTS gh_ps_people", SCHEMA,
                "INSERT INTO gh_ps_people VALUES (1, 'ann', '078-05-1120')");
        Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Files.writeString(dir.resolve("schema.sql"), SCHEMA);
        withSchema = Serve.start(settings("with", dir.resolve("schema.sql")), Map.<String, String>of()::get);
        without = Serve.start(settings("without", null), Map.<String, String>of()::get);
    }

    static ServeSettings settings(String name, Path schema) {
        return ServeSettings.defaults().withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                .withPolicy(dir.resolve("policy.yaml"))
                .withStore(new StoreSettings("jdbc:h2:file:" + dir.resolve("store-" + name), null, null))
                .withProxy(ProxySettings.DEFAULT.withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                        .withHoldMode(HoldMode.FAIL).withSchema(schema).withCatalog(CatalogSettings.DEFAULT.withUser("postgres")));
    }

    @AfterAll
    static void stop() throws Exception {
        for (Serve.Running r : new Serve.Running[] {withSchema, without}) {
            if (r != null) {
                r.close();
            }
        }
        ServeProxyTest.direct("DROP TABLE IF EXISTS gh_ps_people");
    }

    @Test
    void withTheSchemaTheColumnRuleDeniesAStar() throws Exception {
        SQLException e = assertThrows(SQLException.class, () -> query(withSchema, "SELECT * FROM gh_ps_people"));
        assertEquals("42501", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("pii"), e.getMessage());
    }

    @Test
    void withTheSchemaOtherColumnsRun() throws Exception {
        assertEquals("ann", query(withSchema, "SELECT name FROM gh_ps_people WHERE id = 1"));
    }

    /** Without the schema the live catalog names the star's columns: the column rule applies as with the file. */
    @Test
    void withoutTheSchemaAStarOverTheProtectedTableMeetsItsColumnRule() {
        SQLException e = assertThrows(SQLException.class, () -> query(without, "SELECT * FROM gh_ps_people"));
        assertEquals("42501", e.getSQLState(), e.getMessage());
    }

    /** ... and only that table's rules: a star over another table runs. */
    @Test
    void withoutTheSchemaAStarOverAnotherTableRuns() throws Exception {
        assertEquals("pg_catalog", query(without, "SELECT nspname, * FROM pg_namespace WHERE nspname = 'pg_catalog'"));
    }

    @Test
    void anUnreadableSchemaFileStopsServeWithItsName() throws Exception {
        Path bad = dir.resolve("bad-schema.sql");
        Files.writeString(bad, "CREATE TABLE ok (id int);\nCREATE TABLE 'broken (;\n");
        UsageException e = assertThrows(UsageException.class,
                () -> Serve.start(settings("bad", bad), Map.<String, String>of()::get).close());
        assertTrue(e.getMessage().contains("bad-schema.sql"), e.getMessage());
    }

    static String query(Serve.Running serve, String sql) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + serve.proxy().port() + "/test?sslmode=disable&preferQueryMode=simple";
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
