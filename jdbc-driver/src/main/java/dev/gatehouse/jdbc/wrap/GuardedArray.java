package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.passthrough.PassThrough;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * An SQL array whose result-set views are wrapped: pgjdbc builds them on an internal statement, which
 * {@code getStatement()} would otherwise hand out. Its other methods pass straight to the real array in the
 * generated {@code ArrayPassThrough}.
 *
 * <p>Threads: the application's thread.
 */
@PassThrough(Array.class)
final class GuardedArray extends ArrayPassThrough {
    private final GuardedConnection connection;

    GuardedArray(GuardedConnection connection, Array raw) {
        super(raw);
        this.connection = connection;
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return connection.wrapResultSet(raw.getResultSet(), null);
    }

    @Override
    public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
        return connection.wrapResultSet(raw.getResultSet(map), null);
    }

    @Override
    public ResultSet getResultSet(long index, int count) throws SQLException {
        return connection.wrapResultSet(raw.getResultSet(index, count), null);
    }

    @Override
    public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
        return connection.wrapResultSet(raw.getResultSet(index, count, map), null);
    }

    /** toString is the array literal pgjdbc sends for setArray: keep it identical. */
    @Override
    public String toString() {
        return raw.toString();
    }
}
