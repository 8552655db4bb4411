package dev.gatehouse.jdbc.catalog;

import dev.gatehouse.jdbc.Scenario;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.catalog.Relation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalog the guard gets is read from the live database: tables with their columns in order, views with
 * their SELECT, schemas; cached; refreshed (new version) when DDL passes through the connection.
 */
class LiveCatalogTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql://127.0.0.1:5432/test?user=postgres", "mariadb://127.0.0.1:3306/test?user=root"})
    void readsTablesViewsAndSchemasAndRefreshesAfterDdl(String base) throws SQLException {
        boolean pg = base.startsWith("postgresql");
        String schema = pg ? "public" : "test";
        String table = "gh_cat_" + Long.toHexString(System.nanoTime());
        Scenario s = new Scenario();
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            Catalog catalog = s.contexts.peek().catalog();
            TableName tn = new TableName(schema, table);
            TableName vn = new TableName(schema, table + "_v");
            assertEquals(Optional.empty(), catalog.find(tn));
            long before = catalog.version();

            st.execute("CREATE TABLE " + table + " (id int, email varchar(80), ssn varchar(11))");
            long afterCreate = catalog.version();
            assertNotEquals(before, afterCreate, "DDL through the connection moves the version on");
            Relation t = catalog.find(tn).orElseThrow();
            assertEquals(List.of("id", "email", "ssn"), t.columns());
            assertNull(t.definition());

            st.execute("CREATE VIEW " + table + "_v AS SELECT id, email FROM " + table + " WHERE id > 0");
            Relation v = catalog.find(vn).orElseThrow();
            assertTrue(v.isView());
            assertEquals(List.of("id", "email"), v.columns());
            assertTrue(v.definition().toLowerCase().contains("select"), v.definition());
            assertFalse(v.definition().endsWith(";"));

            st.execute("ALTER TABLE " + table + " ADD COLUMN phone varchar(20)");
            assertEquals(List.of("id", "email", "ssn", "phone"), catalog.find(tn).orElseThrow().columns());

            assertTrue(catalog.hasSchema(schema));
            assertFalse(catalog.hasSchema("gh_no_such_schema"));

            // Reads alone never move the version: decision caches keyed by it stay warm.
            long stable = catalog.version();
            st.execute("SELECT 1");
            catalog.find(tn);
            assertEquals(stable, catalog.version());

            st.execute("DROP VIEW " + table + "_v");
            assertEquals(Optional.empty(), catalog.find(vn));
        } finally {
            try (Connection plain = pg ? DriverManager.getConnection("jdbc:" + base) : DriverManager.getConnection("jdbc:mysql:" + base.substring("mariadb:".length()));
                 Statement st = plain.createStatement()) {
                st.execute("DROP VIEW IF EXISTS " + table + "_v");
                st.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }
}
