package dev.gatehouse.proxy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Counts rows over a direct connection, bypassing the proxy: what really happened on the server. */
final class PgjdbcCount {
    private PgjdbcCount() {
    }

    static long rows(String table) throws SQLException {
        try (Connection c = ProxyFixture.direct(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
