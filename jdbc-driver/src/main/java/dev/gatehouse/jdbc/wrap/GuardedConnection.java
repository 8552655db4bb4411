package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.enforce.guard.Origin;
import dev.gatehouse.enforce.guard.StatementGuard;
import dev.gatehouse.jdbc.rows.ConnectionRows;
import dev.gatehouse.jdbc.session.SessionTracker;
import dev.gatehouse.jdbc.session.StatementEffects;
import dev.gatehouse.jdbc.session.Vendor;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.sql.Dialect;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.sql.Wrapper;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * The connection an application gets from {@code jdbc:gatehouse:}. Every statement it creates is a guarded
 * wrapper; nothing it hands out (statements, metadata, result sets, arrays) leads back to the real driver's
 * objects, and {@code unwrap} to them is refused unless {@code gatehouse.allow-unwrap=true}.
 *
 * <p>Threads: the application's, one at a time as JDBC requires; {@code Statement#cancel()} and {@link #abort}
 * may come from other threads.
 */
public final class GuardedConnection implements Connection {
    private final Connection raw;
    private final Admission admission;
    private final SessionTracker session;
    private final Dialect dialect;
    private final Vendor vendor;
    private final boolean allowUnwrap;

    /** @param rows the connection's row counting, the one the guard's checkpoint was given ({@code GuardContext}) */
    public GuardedConnection(Connection raw, StatementGuard guard, Vendor vendor, SessionTracker session, Dialect dialect,
                             Duration maxWait, HoldMode holdMode, boolean allowUnwrap, ConnectionRows rows) {
        this.raw = raw;
        this.session = session;
        this.dialect = dialect;
        this.vendor = vendor;
        this.allowUnwrap = allowUnwrap;
        this.admission = new Admission(guard, vendor, raw, session, maxWait, holdMode, rows);
    }

    /**
     * Decides the settings the connection made when it connected (see {@link Admission#admitConnect}); throws
     * when they are refused, and the caller then closes the real connection.
     */
    public void admitConnectSettings(String settingsSql) throws SQLException {
        admission.admitConnect(settingsSql);
    }

    Admission admission() {
        return admission;
    }

    Dialect dialect() {
        return dialect;
    }

    /** Hot path: records what a statement that ran may have changed (never throws: it runs in finally blocks). */
    void ran(int effects) {
        session.ran(effects);
    }

    // ---- wrapping what the real driver hands out

    ResultSet wrapResultSet(ResultSet rs, GuardedStatement owner) {
        return rs == null ? null : new GuardedResultSet(this, rs, owner);
    }

    Array wrapArray(Array array) {
        return array == null ? null : new GuardedArray(this, array);
    }

    /** Hot path for getObject: a refcursor comes back as a ResultSet, an array as an Array; both get wrapped. */
    Object wrapObject(Object value) {
        if (value instanceof ResultSet rs) {
            return wrapResultSet(rs, null);
        }
        if (value instanceof Array array) {
            return wrapArray(array);
        }
        return value;
    }

    /** getObject(.., Class): asking for a vendor class where a wrapper stands is an unwrap. */
    <T> T wrapObject(T value, Class<T> type) throws SQLException {
        Object wrapped = wrapObject(value);
        if (wrapped == value || type.isInstance(wrapped)) {
            return type.cast(wrapped);
        }
        if (allowUnwrap) {
            return value;
        }
        throw Refusals.rawAccessRefused("getObject as " + type.getName());
    }

    /** A real driver's statement reached through a result set (metadata queries): guarded like any other. */
    Statement adopt(Statement statement) {
        return statement == null ? null : new GuardedStatement(this, statement);
    }

    <T> T unwrap(Object wrapper, Wrapper wrapped, Class<T> iface) throws SQLException {
        if (iface.isInstance(wrapper)) {
            return iface.cast(wrapper);
        }
        if (!allowUnwrap) {
            throw Refusals.rawAccessRefused("unwrap to " + iface.getName());
        }
        return wrapped.unwrap(iface);
    }

    boolean isWrapperFor(Object wrapper, Wrapper wrapped, Class<?> iface) throws SQLException {
        // Answers the truth as seen through Gatehouse: without allow-unwrap, the vendor object is out of reach.
        return iface.isInstance(wrapper) || allowUnwrap && wrapped.isWrapperFor(iface);
    }

    private void refuseUpdatable(int concurrency) throws SQLException {
        // An updatable result set writes rows with SQL the real driver generates, out of the guard's sight.
        if (concurrency == ResultSet.CONCUR_UPDATABLE && !allowUnwrap) {
            throw Refusals.rawAccessRefused("an updatable result set");
        }
    }

    // ---- statements

    @Override
    public Statement createStatement() throws SQLException {
        return new GuardedStatement(this, raw.createStatement());
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        refuseUpdatable(resultSetConcurrency);
        return new GuardedStatement(this, raw.createStatement(resultSetType, resultSetConcurrency));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        refuseUpdatable(resultSetConcurrency);
        return new GuardedStatement(this, raw.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        admission.prepare(sql, Origin.PREPARE_STATEMENT);
        return new GuardedPreparedStatement(this, raw.prepareStatement(sql), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        refuseUpdatable(resultSetConcurrency);
        admission.prepare(sql, Origin.PREPARE_STATEMENT);
        return new GuardedPreparedStatement(this, raw.prepareStatement(sql, resultSetType, resultSetConcurrency), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
                                              int resultSetHoldability) throws SQLException {
        refuseUpdatable(resultSetConcurrency);
        admission.prepare(sql, Origin.PREPARE_STATEMENT);
        return new GuardedPreparedStatement(this,
                raw.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        admission.prepare(sql, Origin.PREPARE_STATEMENT);
        return new GuardedPreparedStatement(this, raw.prepareStatement(sql, autoGeneratedKeys), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        admission.prepare(sql, Origin.PREPARE_STATEMENT);
        return new GuardedPreparedStatement(this, raw.prepareStatement(sql, columnIndexes), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        admission.prepare(sql, Origin.PREPARE_STATEMENT);
        return new GuardedPreparedStatement(this, raw.prepareStatement(sql, columnNames), sql);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        admission.prepare(sql, Origin.PREPARE_CALL);
        return new GuardedCallableStatement(this, raw.prepareCall(sql), sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        refuseUpdatable(resultSetConcurrency);
        admission.prepare(sql, Origin.PREPARE_CALL);
        return new GuardedCallableStatement(this, raw.prepareCall(sql, resultSetType, resultSetConcurrency), sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
                                         int resultSetHoldability) throws SQLException {
        refuseUpdatable(resultSetConcurrency);
        admission.prepare(sql, Origin.PREPARE_CALL);
        return new GuardedCallableStatement(this,
                raw.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        admission.prepare(sql, Origin.NATIVE_SQL);
        return raw.nativeSQL(sql);
    }

    // ---- transactions and session: the tracker must hear of every change

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        raw.setAutoCommit(autoCommit);
        if (autoCommit) {
            session.transactionEnded();
        }
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return raw.getAutoCommit();
    }

    @Override
    public void commit() throws SQLException {
        try {
            raw.commit();
        } finally {
            session.transactionEnded();
        }
    }

    @Override
    public void rollback() throws SQLException {
        try {
            raw.rollback();
        } finally {
            session.transactionEnded();
        }
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        try {
            raw.rollback(savepoint);
        } finally {
            // What ran after the savepoint is undone: re-read what it may have changed.
            session.transactionEnded();
        }
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return raw.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return raw.setSavepoint(name);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        raw.releaseSavepoint(savepoint);
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        try {
            raw.setCatalog(catalog);
        } finally {
            session.sessionChanged();
        }
    }

    @Override
    public String getCatalog() throws SQLException {
        return raw.getCatalog();
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        try {
            raw.setSchema(schema);
        } finally {
            session.sessionChanged();
        }
    }

    @Override
    public String getSchema() throws SQLException {
        return raw.getSchema();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return new GuardedMetaData(this, raw.getMetaData());
    }

    // ---- plain delegation: no SQL of the application's, no JDBC object handed out

    /** A statement still held for approval is withdrawn: its client is gone. */
    @Override
    public void close() throws SQLException {
        admission.withdrawWaiting();
        raw.close();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return raw.isClosed();
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        raw.setReadOnly(readOnly);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return raw.isReadOnly();
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        raw.setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return raw.getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return raw.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        raw.clearWarnings();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return raw.getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        raw.setTypeMap(map);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        raw.setHoldability(holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        return raw.getHoldability();
    }

    private void refuseServerSideLob(String what) throws SQLException {
        // pgjdbc makes these large objects on the server and writes them through the LO API: no SQL to guard.
        if (vendor.serverSideLobs() && !allowUnwrap) {
            throw Refusals.rawAccessRefused(what + " (a server-side large object)");
        }
    }

    @Override
    public Clob createClob() throws SQLException {
        refuseServerSideLob("createClob");
        return raw.createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        refuseServerSideLob("createBlob");
        return raw.createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        refuseServerSideLob("createNClob");
        return raw.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return raw.createSQLXML();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return raw.isValid(timeout);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        raw.setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        raw.setClientInfo(properties);
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return raw.getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return raw.getClientInfo();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return wrapArray(raw.createArrayOf(typeName, elements));
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return raw.createStruct(typeName, attributes);
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        admission.withdrawWaiting();
        raw.abort(executor);
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        raw.setNetworkTimeout(executor, milliseconds);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return raw.getNetworkTimeout();
    }

    @Override
    public void beginRequest() throws SQLException {
        raw.beginRequest();
    }

    @Override
    public void endRequest() throws SQLException {
        raw.endRequest();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return unwrap(this, raw, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return isWrapperFor(this, raw, iface);
    }

    /** Effects of {@code sql} once run, for plain statements (prepared ones compute this once). */
    int effectsOf(String sql) {
        return StatementEffects.of(sql, dialect);
    }
}
