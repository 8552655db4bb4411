package dev.gatehouse.jdbc.session;

import dev.gatehouse.enforce.refusal.SqlStates;
import dev.gatehouse.enforce.session.StartupSettings;
import com.mysql.cj.jdbc.JdbcConnection;
import dev.gatehouse.enforce.catalog.MysqlRelations;
import dev.gatehouse.enforce.catalog.RelationSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * MySQL and MariaDB: a failed statement rolls back only itself, the transaction stays usable, so a refusal
 * needs nothing done to it. Stateless; runs on the connection's thread.
 */
public final class MysqlVendor implements Vendor {
    public static final MysqlVendor INSTANCE = new MysqlVendor();

    private MysqlVendor() {
    }

    /** Connector/J keeps {@code ?} in the text it prepares; only JDBC escapes are its own. */
    /** Connector/J's {@code sessionVariables}, each run by it as {@code SET SESSION name=value}. */
    @Override
    public String connectSettings(java.sql.Driver real, String url, java.util.Properties info) throws SQLException {
        for (java.sql.DriverPropertyInfo p : real.getPropertyInfo(url, info)) {
            if (p.name.equals("sessionVariables") && p.value != null && !p.value.isBlank()) {
                return StartupSettings.mysqlSessionVariables(p.value);
            }
        }
        return null;
    }

    @Override
    public String asRun(Connection raw, String sql, boolean bindsParameters) throws SQLException {
        return sql.indexOf('{') < 0 ? sql : raw.nativeSQL(sql);
    }

    @Override
    public SessionSnapshot readSession(Connection raw) throws SQLException {
        try (Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery("SELECT SUBSTRING_INDEX(USER(), '@', 1), DATABASE(), CURRENT_ROLE()")) {
            rs.next();
            return new SessionSnapshot(rs.getString(1), rs.getString(2), null, rs.getString(3));
        }
    }

    @Override
    public boolean inTransaction(Connection raw) throws SQLException {
        // The server's status flags, as Connector/J last saw them: also covers an explicit BEGIN with auto-commit on.
        return !raw.getAutoCommit()
                || raw.unwrap(JdbcConnection.class).getSession().getServerSession().inTransactionOnServer();
    }

    @Override
    public boolean transactionFailed(Connection raw) {
        return false;
    }

    @Override
    public void afterRefusal(Connection raw) {
        // Statement-level rollback: the transaction goes on as after any failed statement.
    }

    @Override
    public String cancelledState() {
        return SqlStates.MYSQL_QUERY_INTERRUPTED;
    }

    @Override
    public boolean serverSideLobs() {
        return false;
    }

    @Override
    public RelationSource relations(Connection raw) {
        return new MysqlRelations(raw);
    }
}
