package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.passthrough.PassThrough;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A result set whose {@link #getStatement()} is the Gatehouse statement that produced it (or a guarded
 * wrapper of the real driver's internal one, for metadata results), and whose arrays and refcursors come back
 * wrapped. Every other method passes straight to the real result set in the generated
 * {@code ResultSetPassThrough}: updatable result sets are refused when the statement is created, so the update
 * methods reach a read-only result set, which rejects them itself.
 *
 * <p>Threads: the application's thread.
 */
@PassThrough(ResultSet.class)
public final class GuardedResultSet extends ResultSetPassThrough {
    private final GuardedConnection connection;
    private final GuardedStatement owner;
    private Statement adopted;

    GuardedResultSet(GuardedConnection connection, ResultSet raw, GuardedStatement owner) {
        super(raw);
        this.connection = connection;
        this.owner = owner;
    }

    boolean isWrapping(ResultSet rs) {
        return raw == rs;
    }

    @Override
    public Statement getStatement() throws SQLException {
        if (owner != null) {
            return owner;
        }
        if (adopted == null) {
            adopted = connection.adopt(raw.getStatement());
        }
        return adopted;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return connection.unwrap(this, raw, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return connection.isWrapperFor(this, raw, iface);
    }

    @Override
    public Array getArray(String name) throws SQLException {
        return connection.wrapArray(raw.getArray(name));
    }

    @Override
    public Array getArray(int index) throws SQLException {
        return connection.wrapArray(raw.getArray(index));
    }

    @Override
    public <T> T getObject(String name, Class<T> type) throws SQLException {
        return connection.wrapObject(raw.getObject(name, type), type);
    }

    @Override
    public Object getObject(String name, java.util.Map<String, Class<?>> typeMap) throws SQLException {
        return connection.wrapObject(raw.getObject(name, typeMap));
    }

    @Override
    public Object getObject(String name) throws SQLException {
        return connection.wrapObject(raw.getObject(name));
    }

    @Override
    public <T> T getObject(int index, Class<T> type) throws SQLException {
        return connection.wrapObject(raw.getObject(index, type), type);
    }

    @Override
    public Object getObject(int index, java.util.Map<String, Class<?>> typeMap) throws SQLException {
        return connection.wrapObject(raw.getObject(index, typeMap));
    }

    @Override
    public Object getObject(int index) throws SQLException {
        return connection.wrapObject(raw.getObject(index));
    }

}
