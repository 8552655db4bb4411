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
        try (Statement st = c.createStatement()) {
            // parents a write reaches a foreign table through: a partition, a child (two levels down)
            st.execute("CREATE TABLE spread (id int, note text, secret text) PARTITION BY RANGE (id)");
            st.execute("CREATE TABLE spread_local PARTITION OF spread FOR VALUES FROM (100) TO (200)");
            st.execute("ALTER TABLE spread ATTACH PARTITION remote FOR VALUES FROM (1) TO (100)");
            st.execute("CREATE TABLE elder (id int, note text, secret text)");
            st.execute("CREATE TABLE middle () INHERITS (elder)");
            st.execute("CREATE FOREIGN TABLE youngest () INHERITS (middle) SERVER " + remote.server()
                    + " OPTIONS (schema_name '" + schema + "', table_name 'remote_base')");
            st.execute("CREATE TABLE lineage (id int)");
            st.execute("CREATE TABLE offspring () INHERITS (lineage)");
        }
        LiveCatalog catalog = new LiveCatalog(new PostgresRelations(c), 16);
        return Stream.of(
                        new Kind("a table", "plain", false, false),
                        new Kind("a partitioned table", "parted", false, false),
                        new Kind("a view", "seen", false, true),
                        new Kind("a materialized view", "kept", false, true),
                        new Kind("the table under a foreign one", "remote_base", false, false),
                        new Kind("a foreign table", "remote", true, false),
                        new Kind("a partitioned table with a foreign partition", "spread", true, false),
                        new Kind("its local partition", "spread_local", false, false),
                        new Kind("a parent with a foreign grandchild", "elder", true, false),
                        new Kind("the child between them", "middle", true, false),
                        new Kind("a parent whose children are all local", "lineage", false, false))
                .map(k -> DynamicTest.dynamicTest(k.name(), () -> {
                    Relation r = catalog.find(new TableName(schema, k.relation())).orElseThrow();
                    assertEquals(k.foreign(), r.foreign(), k.relation());
                    assertEquals(k.view(), r.isView(), k.relation());
                    if (k.foreign()) {
                        assertEquals(List.of("id", "note", "secret"), r.columns(), k.relation());
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
