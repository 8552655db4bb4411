package dev.gatehouse.jdbc.rows;

import dev.gatehouse.enforce.checkpoint.RowSight;
import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.jdbc.session.MysqlVendor;
import dev.gatehouse.jdbc.session.PostgresVendor;
import dev.gatehouse.jdbc.session.Vendor;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One driver connection's part in counting rows: it counts the writes the policy limits (the statement wrappers
 * run them, through {@code RowRun}), tells which written tables a rollback cannot undo, and asks the planner, on
 * this connection, for the estimate of a held statement.
 *
 * <p>Whether a MySQL or MariaDB table can be undone is read from the server once per table and catalog version
 * (DDL through the connection moves the version on), at most {@link #MAX_TABLES} at a time: tables whose engine
 * has no transactions (MyISAM, Aria, MEMORY, CSV...) and views (whose base tables are not looked at) cannot.
 * PostgreSQL's foreign tables are the checkpoint's (it reads them from the catalog, for the proxy too): a write
 * to one never reaches the driver with a guard.
 *
 * <p>Threads: the connection's thread, one statement at a time as JDBC uses a connection; the checkpoint calls
 * {@link #plan} on that thread while it decides the statement {@link #deciding} named.
 */
public final class ConnectionRows implements RowSight {
    /** The most tables whose undo is remembered; past it the memory starts over. */
    static final int MAX_TABLES = 1024;
    private static final String EXPLAIN_SAVEPOINT = "gatehouse_explain";

    private final Connection raw;
    private final Vendor vendor;
    private final Catalog catalog;
    /** Table to why a rollback cannot undo its writes ("" when it can), for {@link #tablesVersion}. */
    private final Map<TableName, String> tables = new HashMap<>();
    private long tablesVersion = Long.MIN_VALUE;
    /** The statement decided last, as the application wrote it, with its values: what an estimate explains. */
    private Execution deciding;

    public ConnectionRows(Connection raw, Vendor vendor, Catalog catalog) {
        this.raw = raw;
        this.vendor = vendor;
        this.catalog = catalog;
    }

    /**
     * The statement the guard decides next: what an estimate explains, while it is decided and while its guarded
     * run reports (a run that cannot be counted is estimated then). A batch's elements come one by one; the whole
     * batch is never explained.
     */
    public void deciding(Execution execution) {
        deciding = execution;
    }

    @Override
    public boolean counts() {
        return true;
    }

    /**
     * EXPLAIN of the statement being decided, with its values bound. In a PostgreSQL transaction it runs inside a
     * savepoint rolled back after it, so neither a failure nor a lock it took outlives it.
     */
    @Override
    public String plan(String explainPrefix, List<?> parameters) throws SQLException {
        Execution e = deciding;
        if (e == null) {
            return null;
        }
        List<?> values = e.parameters();
        if (values != null) {
            for (Object v : values) {
                if (v instanceof Execution.UnreadableParameter) {
                    throw new SQLException("a value bound as a stream is not read");
                }
            }
        }
        boolean savepoint = vendor instanceof PostgresVendor && vendor.inTransaction(raw);
        if (savepoint && vendor.transactionFailed(raw)) {
            throw new SQLException("the transaction is aborted");
        }
        if (savepoint) {
            exec("SAVEPOINT " + EXPLAIN_SAVEPOINT);
        }
        try {
            return values == null ? planOf(explainPrefix + e.sql()) : planOf(explainPrefix + e.sql(), values);
        } finally {
            if (savepoint) {
                exec("ROLLBACK TO SAVEPOINT " + EXPLAIN_SAVEPOINT);
                exec("RELEASE SAVEPOINT " + EXPLAIN_SAVEPOINT);
            }
        }
    }

    private String planOf(String sql) throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return firstValue(rs);
        }
    }

    private String planOf(String sql, List<?> values) throws SQLException {
        try (PreparedStatement p = raw.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                p.setObject(i + 1, values.get(i));
            }
            try (ResultSet rs = p.executeQuery()) {
                return firstValue(rs);
            }
        }
    }

    private static String firstValue(ResultSet rs) throws SQLException {
        return rs.next() ? rs.getString(1) : null;
    }

    /**
     * Why the writes of {@code written} cannot be rolled back, or null when they can: the guard must not run
     * what it could not take back. PostgreSQL: null, its tables all roll back but foreign ones, which the
     * checkpoint never guards.
     */
    public String cannotUndo(List<TableName> written) throws SQLException {
        if (vendor instanceof PostgresVendor) {
            return null;
        }
        long version = catalog.version();
        if (version != tablesVersion || tables.size() >= MAX_TABLES) {
            tables.clear();
            tablesVersion = version;
        }
        for (TableName t : written) {
            String why = tables.get(t);
            if (why == null) {
                why = read(t);
                tables.put(t, why);
            }
            if (!why.isEmpty()) {
                return why;
            }
        }
        return null;
    }

    /** A MySQL or MariaDB table's engine: why it cannot roll back, or "" when it can. */
    private String read(TableName t) throws SQLException {
        try (PreparedStatement p = raw.prepareStatement("SELECT t.TABLE_TYPE, t.ENGINE, e.TRANSACTIONS FROM"
                + " information_schema.TABLES t LEFT JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE"
                + " WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME = ?")) {
            p.setString(1, t.schema());
            p.setString(2, t.name());
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return ""; // no such table: the server refuses the write itself
                }
                if ("VIEW".equals(rs.getString(1))) {
                    return t.qualified() + " is a view, whose tables' engines are not known";
                }
                return "YES".equals(rs.getString(3)) ? "" : "table " + t.qualified() + " uses engine "
                        + rs.getString(2) + ", which cannot roll back";
            }
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = raw.createStatement()) {
            s.execute(sql);
        }
    }
}
