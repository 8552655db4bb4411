package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.enforce.checkpoint.RowGuard;
import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.enforce.guard.Origin;
import dev.gatehouse.passthrough.PassThrough;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * A prepared statement: classified by the guard when prepared, decided at every execute with the values
 * bound then. Every setter records its value as the real statement accepts it; each addBatch() keeps a copy
 * of the set, and the whole batch is decided before any of it runs.
 *
 * <p>Threads: the application's thread; {@link #cancel()} from any thread.
 */
@PassThrough(value = PreparedStatement.class, parent = GuardedStatement.class, field = "prepared")
public sealed class GuardedPreparedStatement extends PreparedStatementPassThrough permits CallableStatementPassThrough {
    final String sql;
    /** What running it may change besides data: computed once, here, not on every execute. */
    private final int effects;
    final Parameters parameters = new Parameters();
    /** Parameter sets added with addBatch(), in order. */
    private List<List<Object>> batchSets;

    GuardedPreparedStatement(GuardedConnection connection, PreparedStatement prepared, String sql) {
        super(connection, prepared);
        this.sql = sql;
        this.effects = connection.effectsOf(sql, true);
    }

    /** Hot path: decide this statement with its values; null to run it as it is, else the guard to count it under. */
    final RowGuard admit(Origin origin) throws SQLException {
        Admission admission = connection.admission();
        return admission.admit(Execution.of(sql, parameters.positional(), parameters.named(), origin,
                admission.sessionState(), false), holds, queryTimeout);
    }

    final void ran() {
        connection.ran(effects);
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        RowGuard rows = admit(Origin.EXECUTE_QUERY);
        try {
            return wrap(rows == null ? prepared.executeQuery() : counted(rows, prepared::executeQuery, RowRun::ofRows));
        } finally {
            ran();
        }
    }

    @Override
    public int executeUpdate() throws SQLException {
        RowGuard rows = admit(Origin.EXECUTE_UPDATE);
        try {
            return rows == null ? prepared.executeUpdate() : counted(rows, prepared::executeUpdate, RowRun::ofInt);
        } finally {
            ran();
        }
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        RowGuard rows = admit(Origin.EXECUTE_UPDATE);
        try {
            return rows == null ? prepared.executeLargeUpdate()
                    : counted(rows, prepared::executeLargeUpdate, RowRun::ofLong);
        } finally {
            ran();
        }
    }

    @Override
    public boolean execute() throws SQLException {
        RowGuard rows = admit(Origin.EXECUTE);
        try {
            return rows == null ? prepared.execute() : counted(rows, prepared::execute, RowRun::ofExecute);
        } finally {
            ran();
        }
    }

    @Override
    public void addBatch() throws SQLException {
        prepared.addBatch();
        if (batchSets == null) {
            batchSets = new ArrayList<>();
        }
        batchSets.add(parameters.positional());
    }

    @Override
    void clearBatchCopy() {
        super.clearBatchCopy();
        batchSets = null;
    }

    @Override
    List<Execution> batchExecutions() throws SQLException {
        List<Execution> all = super.batchExecutions();
        if (batchSets != null) {
            var state = connection.admission().sessionState();
            var named = parameters.named();
            for (List<Object> set : batchSets) {
                all.add(Execution.of(sql, set, named, Origin.EXECUTE_BATCH, state, true));
            }
        }
        return all;
    }

    @Override
    int batchEffects() {
        return super.batchEffects() | (batchSets == null ? 0 : effects);
    }

    @Override
    public void clearParameters() throws SQLException {
        prepared.clearParameters();
        parameters.clear();
    }

    // ---- parameter setters: the real statement first (it validates), then the record of the value

    @Override
    public void setArray(int index, Array value) throws SQLException {
        prepared.setArray(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setAsciiStream(int index, java.io.InputStream value, int arg2) throws SQLException {
        prepared.setAsciiStream(index, value, arg2);
        parameters.set(index, Parameters.unreadable("InputStream", arg2));
    }

    @Override
    public void setAsciiStream(int index, java.io.InputStream value, long arg2) throws SQLException {
        prepared.setAsciiStream(index, value, arg2);
        parameters.set(index, Parameters.unreadable("InputStream", arg2));
    }

    @Override
    public void setAsciiStream(int index, java.io.InputStream value) throws SQLException {
        prepared.setAsciiStream(index, value);
        parameters.set(index, Parameters.unreadable("InputStream", -1));
    }

    @Override
    public void setBigDecimal(int index, java.math.BigDecimal value) throws SQLException {
        prepared.setBigDecimal(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setBinaryStream(int index, java.io.InputStream value, int arg2) throws SQLException {
        prepared.setBinaryStream(index, value, arg2);
        parameters.set(index, Parameters.unreadable("InputStream", arg2));
    }

    @Override
    public void setBinaryStream(int index, java.io.InputStream value, long arg2) throws SQLException {
        prepared.setBinaryStream(index, value, arg2);
        parameters.set(index, Parameters.unreadable("InputStream", arg2));
    }

    @Override
    public void setBinaryStream(int index, java.io.InputStream value) throws SQLException {
        prepared.setBinaryStream(index, value);
        parameters.set(index, Parameters.unreadable("InputStream", -1));
    }

    @Override
    public void setBlob(int index, java.io.InputStream value, long arg2) throws SQLException {
        prepared.setBlob(index, value, arg2);
        parameters.set(index, Parameters.unreadable("InputStream", arg2));
    }

    @Override
    public void setBlob(int index, java.io.InputStream value) throws SQLException {
        prepared.setBlob(index, value);
        parameters.set(index, Parameters.unreadable("InputStream", -1));
    }

    @Override
    public void setBlob(int index, Blob value) throws SQLException {
        prepared.setBlob(index, value);
        parameters.set(index, Parameters.unreadable("Blob", -1));
    }

    @Override
    public void setBoolean(int index, boolean value) throws SQLException {
        prepared.setBoolean(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setByte(int index, byte value) throws SQLException {
        prepared.setByte(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setBytes(int index, byte[] value) throws SQLException {
        prepared.setBytes(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setCharacterStream(int index, java.io.Reader value, int arg2) throws SQLException {
        prepared.setCharacterStream(index, value, arg2);
        parameters.set(index, Parameters.unreadable("Reader", arg2));
    }

    @Override
    public void setCharacterStream(int index, java.io.Reader value, long arg2) throws SQLException {
        prepared.setCharacterStream(index, value, arg2);
        parameters.set(index, Parameters.unreadable("Reader", arg2));
    }

    @Override
    public void setCharacterStream(int index, java.io.Reader value) throws SQLException {
        prepared.setCharacterStream(index, value);
        parameters.set(index, Parameters.unreadable("Reader", -1));
    }

    @Override
    public void setClob(int index, java.io.Reader value, long arg2) throws SQLException {
        prepared.setClob(index, value, arg2);
        parameters.set(index, Parameters.unreadable("Reader", arg2));
    }

    @Override
    public void setClob(int index, java.io.Reader value) throws SQLException {
        prepared.setClob(index, value);
        parameters.set(index, Parameters.unreadable("Reader", -1));
    }

    @Override
    public void setClob(int index, Clob value) throws SQLException {
        prepared.setClob(index, value);
        parameters.set(index, Parameters.unreadable("Clob", -1));
    }

    @Override
    public void setDate(int index, Date value, java.util.Calendar calendar) throws SQLException {
        prepared.setDate(index, value, calendar);
        parameters.set(index, value);
    }

    @Override
    public void setDate(int index, Date value) throws SQLException {
        prepared.setDate(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setDouble(int index, double value) throws SQLException {
        prepared.setDouble(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setFloat(int index, float value) throws SQLException {
        prepared.setFloat(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setInt(int index, int value) throws SQLException {
        prepared.setInt(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setLong(int index, long value) throws SQLException {
        prepared.setLong(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setNCharacterStream(int index, java.io.Reader value, long arg2) throws SQLException {
        prepared.setNCharacterStream(index, value, arg2);
        parameters.set(index, Parameters.unreadable("Reader", arg2));
    }

    @Override
    public void setNCharacterStream(int index, java.io.Reader value) throws SQLException {
        prepared.setNCharacterStream(index, value);
        parameters.set(index, Parameters.unreadable("Reader", -1));
    }

    @Override
    public void setNClob(int index, java.io.Reader value, long arg2) throws SQLException {
        prepared.setNClob(index, value, arg2);
        parameters.set(index, Parameters.unreadable("Reader", arg2));
    }

    @Override
    public void setNClob(int index, java.io.Reader value) throws SQLException {
        prepared.setNClob(index, value);
        parameters.set(index, Parameters.unreadable("Reader", -1));
    }

    @Override
    public void setNClob(int index, NClob value) throws SQLException {
        prepared.setNClob(index, value);
        parameters.set(index, Parameters.unreadable("NClob", -1));
    }

    @Override
    public void setNString(int index, String value) throws SQLException {
        prepared.setNString(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setNull(int index, int value, String arg2) throws SQLException {
        prepared.setNull(index, value, arg2);
        parameters.set(index, null);
    }

    @Override
    public void setNull(int index, int value) throws SQLException {
        prepared.setNull(index, value);
        parameters.set(index, null);
    }

    @Override
    public void setObject(int index, Object value, int arg2, int arg3) throws SQLException {
        prepared.setObject(index, value, arg2, arg3);
        parameters.set(index, value);
    }

    @Override
    public void setObject(int index, Object value, int arg2) throws SQLException {
        prepared.setObject(index, value, arg2);
        parameters.set(index, value);
    }

    @Override
    public void setObject(int index, Object value, SQLType arg2, int arg3) throws SQLException {
        prepared.setObject(index, value, arg2, arg3);
        parameters.set(index, value);
    }

    @Override
    public void setObject(int index, Object value, SQLType arg2) throws SQLException {
        prepared.setObject(index, value, arg2);
        parameters.set(index, value);
    }

    @Override
    public void setObject(int index, Object value) throws SQLException {
        prepared.setObject(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setRef(int index, Ref value) throws SQLException {
        prepared.setRef(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setRowId(int index, RowId value) throws SQLException {
        prepared.setRowId(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setSQLXML(int index, SQLXML value) throws SQLException {
        prepared.setSQLXML(index, value);
        parameters.set(index, Parameters.unreadable("SQLXML", -1));
    }

    @Override
    public void setShort(int index, short value) throws SQLException {
        prepared.setShort(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setString(int index, String value) throws SQLException {
        prepared.setString(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setTime(int index, Time value, java.util.Calendar calendar) throws SQLException {
        prepared.setTime(index, value, calendar);
        parameters.set(index, value);
    }

    @Override
    public void setTime(int index, Time value) throws SQLException {
        prepared.setTime(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setTimestamp(int index, Timestamp value, java.util.Calendar calendar) throws SQLException {
        prepared.setTimestamp(index, value, calendar);
        parameters.set(index, value);
    }

    @Override
    public void setTimestamp(int index, Timestamp value) throws SQLException {
        prepared.setTimestamp(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setURL(int index, java.net.URL value) throws SQLException {
        prepared.setURL(index, value);
        parameters.set(index, value);
    }

    @Override
    public void setUnicodeStream(int index, java.io.InputStream value, int arg2) throws SQLException {
        prepared.setUnicodeStream(index, value, arg2);
        parameters.set(index, Parameters.unreadable("InputStream", arg2));
    }

}
