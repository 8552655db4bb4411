package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.enforce.guard.Origin;
import dev.gatehouse.enforce.guard.StatementGuard;
import dev.gatehouse.enforce.session.SqlScan;
import dev.gatehouse.jdbc.rows.ConnectionRows;
import dev.gatehouse.jdbc.session.SessionTracker;
import dev.gatehouse.jdbc.session.Vendor;
import dev.gatehouse.passthrough.PassThrough;
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
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Wrapper;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The connection an application gets from {@code jdbc:gatehouse:}. Every statement it creates is a guarded
 * wrapper; nothing it hands out (statements, metadata, result sets, arrays) leads back to the real driver's
 * objects, and {@code unwrap} to them is refused unless {@code gatehouse.allow-unwrap=true}. Only the methods
 * that add behaviour are here; the others pass straight to the real connection in the generated
 * {@code ConnectionPassThrough}.
 *
 * <p>Threads: the application's, one at a time as JDBC requires; {@code Statement#cancel()} and {@link #abort}
 * may come from other threads.
 */
@PassThrough(Connection.class)
public final class GuardedConnection extends ConnectionPassThrough {
    private final Admission admission;
    private final SessionTracker session;
    private final Dialect dialect;
    private final Vendor vendor;
    private final boolean allowUnwrap;

    /** @param rows the connection's row counting, the one the guard's checkpoint was given ({@code GuardContext}) */
    public GuardedConnection(Connection raw, StatementGuard guard, Vendor vendor, SessionTracker session, Dialect dialect,
                             Duration maxWait, HoldMode holdMode, boolean allowUnwrap, ConnectionRows rows) {
        super(raw);
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
            session.rolledBackToSavepoint();
        }
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
    public void setSchema(String schema) throws SQLException {
        try {
            raw.setSchema(schema);
        } finally {
            session.sessionChanged();
        }
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return new GuardedMetaData(this, raw.getMetaData());
    }

    // ---- closing: a statement still held for approval is withdrawn, since its client is gone

    @Override
    public void close() throws SQLException {
        admission.withdrawWaiting();
        raw.close();
    }

    // ---- large objects, arrays, wrappers

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
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return wrapArray(raw.createArrayOf(typeName, elements));
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        admission.withdrawWaiting();
        raw.abort(executor);
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
        return effectsOf(sql, false);
    }

    /**
     * Hot path: the {@link SqlScan} flags of the text the server runs for {@code sql} (escapes translated, and for a
     * statement that binds parameters its placeholders as the real driver sends them). Never throws: a text the real
     * driver cannot translate is read as written.
     */
    int effectsOf(String sql, boolean bindsParameters) {
        String run;
        try {
            run = vendor.asRun(raw, sql, bindsParameters);
        } catch (SQLException e) {
            run = sql;
        }
        return SqlScan.of(run, dialect).flags();
    }
}
