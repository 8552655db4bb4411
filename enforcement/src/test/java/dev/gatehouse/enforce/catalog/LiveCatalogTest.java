package dev.gatehouse.enforce.catalog;

import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Relation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The live catalog over the real PostgreSQL: what it reads, and that a failed read is an error, never "absent". */
class LiveCatalogTest {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @Test
    void aMetadataFailureIsAnErrorNotAnEmptyAnswerAndMovesTheVersion() throws SQLException {
        Connection raw = DriverManager.getConnection(URL);
        LiveCatalog catalog = new LiveCatalog(new PostgresRelations(raw), 16);
        raw.close();
        long before = catalog.version();
        assertThrows(LiveCatalog.CatalogUnavailableException.class, () -> catalog.find(new TableName("public", "x")));
        assertNotEquals(before, catalog.version(), "a decision made while the read failed is never reused");
    }

    @Test
    void readsColumnsInOrderAndSeesDdlOnlyAfterARefresh() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS gh_lc_items");
            st.execute("CREATE TABLE gh_lc_items (id int, name text)");
            try {
                LiveCatalog catalog = new LiveCatalog(new PostgresRelations(c), 16);
                TableName items = new TableName("public", "gh_lc_items");
                assertEquals(List.of("id", "name"), catalog.find(items).orElseThrow().columns());
                st.execute("ALTER TABLE gh_lc_items ADD COLUMN note text");
                assertEquals(List.of("id", "name"), catalog.find(items).orElseThrow().columns(), "cached until refreshed");
                long version = catalog.version();
                catalog.refresh();
                assertNotEquals(version, catalog.version());
                assertEquals(List.of("id", "name", "note"), catalog.find(items).orElseThrow().columns());
            } finally {
                st.execute("DROP TABLE IF EXISTS gh_lc_items");
            }
        }
    }

    /** name, relation, whether it is a foreign table, whether a view. */
    record Kind(String name, String relation, boolean foreign, boolean view) {
    }

    /** Only a foreign table (relkind 'f') is one: whose writes its wrapper keeps, not the server's transaction. */
    @TestFactory
    Stream<DynamicTest> tellsForeignTablesFromTheServersOwn() throws SQLException {
        String schema = "gh_lc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Connection c = DriverManager.getConnection(URL);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("SET search_path = " + schema);
            st.execute("CREATE TABLE plain (id int)");
            st.execute("CREATE TABLE parted (id int) PARTITION BY RANGE (id)");
            st.execute("CREATE VIEW seen AS SELECT id FROM plain");
            st.execute("CREATE MATERIALIZED VIEW kept AS SELECT id FROM plain");
        }
        ForeignTables remote = ForeignTables.create(schema, "remote");
        LiveCatalog catalog = new LiveCatalog(new PostgresRelations(c), 16);
        return Stream.of(
                        new Kind("a table", "plain", false, false),
                        new Kind("a partitioned table", "parted", false, false),
                        new Kind("a view", "seen", false, true),
                        new Kind("a materialized view", "kept", false, true),
                        new Kind("the table under a foreign one", "remote_base", false, false),
                        new Kind("a foreign table", "remote", true, false))
                .map(k -> DynamicTest.dynamicTest(k.name(), () -> {
                    Relation r = catalog.find(new TableName(schema, k.relation())).orElseThrow();
                    assertEquals(k.foreign(), r.foreign(), k.relation());
                    assertEquals(k.view(), r.isView(), k.relation());
                    if (k.foreign()) {
                        assertEquals(List.of("id", "note", "secret"), r.columns());
                    }
                }))
                .onClose(() -> {
                    try (Statement st = c.createStatement()) {
                        remote.close();
                        st.execute("DROP SCHEMA " + schema + " CASCADE");
                        c.close();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }
}
