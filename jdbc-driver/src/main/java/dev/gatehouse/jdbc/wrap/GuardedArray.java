package dev.gatehouse.jdbc.wrap;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * An SQL array whose result-set views are wrapped: pgjdbc builds them on an internal statement, which
 * {@code getStatement()} would otherwise hand out.
 *
 * <p>Threads: the application's thread.
 */
final class GuardedArray implements Array {
    private final GuardedConnection connection;
    private final Array raw;

    GuardedArray(GuardedConnection connection, Array raw) {
        this.connection = connection;
        this.raw = raw;
    }

    @Override
    public String getBaseTypeName() throws SQLException {
        return raw.getBaseTypeName();
    }

    @Override
    public int getBaseType() throws SQLException {
        return raw.getBaseType();
    }

    @Override
    public Object getArray() throws SQLException {
        return raw.getArray();
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) throws SQLException {
        return raw.getArray(map);
    }

    @Override
    public Object getArray(long index, int count) throws SQLException {
        return raw.getArray(index, count);
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
        return raw.getArray(index, count, map);
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

    @Override
    public void free() throws SQLException {
        raw.free();
    }

    /** toString is the array literal pgjdbc sends for setArray: keep it identical. */
    @Override
    public String toString() {
        return raw.toString();
    }
}
