package dev.gatehouse.enforce.catalog;

import dev.gatehouse.sql.analysis.TableName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

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
}
