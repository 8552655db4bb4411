package dev.gatehouse.jdbc;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * unwrap to the vendor objects (pgjdbc's COPY API, for one) would bypass the guard: refused unless
 * gatehouse.allow-unwrap=true. Updatable result sets, whose writes pgjdbc generates itself, likewise.
 */
class UnwrapTest {

    @Test
    void unwrapToTheVendorConnectionIsRefusedByDefault() throws SQLException {
        Scenario s = new Scenario();
        try (Connection c = DriverManager.getConnection(s.url(Databases.PG)); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> c.unwrap(PGConnection.class));
            assertEquals(GatehouseSqlState.RAW_ACCESS_REFUSED, e.getSQLState());
            assertFalse(c.isWrapperFor(PGConnection.class));
            assertThrows(SQLException.class, () -> st.unwrap(PGStatement.class));
            assertThrows(SQLException.class, () -> c.getMetaData().unwrap(org.postgresql.jdbc.PgDatabaseMetaData.class));
            ResultSet rs = st.executeQuery("SELECT 1");
            assertThrows(SQLException.class, () -> rs.unwrap(org.postgresql.jdbc.PgResultSet.class));
            // Unwrapping to what the wrapper itself is stays allowed.
            assertSame(c, c.unwrap(Connection.class));
            assertTrue(c.isWrapperFor(Connection.class));
            assertEquals(GatehouseSqlState.RAW_ACCESS_REFUSED, assertThrows(SQLException.class,
                    () -> c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE)).getSQLState());
            assertEquals(GatehouseSqlState.RAW_ACCESS_REFUSED, assertThrows(SQLException.class, c::createBlob).getSQLState());
        }
    }

    @Test
    void allowUnwrapHandsOutTheCopyApi() throws Exception {
        String table = Databases.uniqueTable("gh_copy");
        Scenario s = new Scenario();
        try (Connection c = DriverManager.getConnection(s.url(Databases.PG) + "&gatehouse.allow-unwrap=true");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id int)");
            assertTrue(c.isWrapperFor(PGConnection.class));
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            assertEquals(2, copy.copyIn("COPY " + table + " FROM STDIN", new StringReader("1\n2\n")));
            assertEquals(2, Databases.count(Databases.PG, table));
        } finally {
            Databases.drop(Databases.PG, table);
        }
    }
}
