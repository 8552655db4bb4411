package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.passthrough.PassThrough;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;

/**
 * A callable statement ({@code prepareCall}): guarded as a prepared statement; values bound by name are
 * recorded too. Out values that are JDBC objects (a refcursor's result set, an array) come back wrapped.
 *
 * <p>Threads: the application's thread; {@link #cancel()} from any thread.
 */
@PassThrough(value = CallableStatement.class, parent = GuardedPreparedStatement.class, field = "callable")
public final class GuardedCallableStatement extends CallableStatementPassThrough {
    GuardedCallableStatement(GuardedConnection connection, CallableStatement callable, String sql) {
        super(connection, callable, sql);
    }

    @Override
    public Array getArray(String name) throws SQLException {
        return connection.wrapArray(callable.getArray(name));
    }

    @Override
    public Array getArray(int index) throws SQLException {
        return connection.wrapArray(callable.getArray(index));
    }

    @Override
    public <T> T getObject(String name, Class<T> type) throws SQLException {
        return connection.wrapObject(callable.getObject(name, type), type);
    }

    @Override
    public Object getObject(String name, java.util.Map<String, Class<?>> typeMap) throws SQLException {
        return connection.wrapObject(callable.getObject(name, typeMap));
    }

    @Override
    public Object getObject(String name) throws SQLException {
        return connection.wrapObject(callable.getObject(name));
    }

    @Override
    public <T> T getObject(int index, Class<T> type) throws SQLException {
        return connection.wrapObject(callable.getObject(index, type), type);
    }

    @Override
    public Object getObject(int index, java.util.Map<String, Class<?>> typeMap) throws SQLException {
        return connection.wrapObject(callable.getObject(index, typeMap));
    }

    @Override
    public Object getObject(int index) throws SQLException {
        return connection.wrapObject(callable.getObject(index));
    }

    @Override
    public void setAsciiStream(String name, java.io.InputStream value, int arg2) throws SQLException {
        callable.setAsciiStream(name, value, arg2);
        parameters.setNamed(name, Parameters.unreadable("InputStream", arg2));
    }

    @Override
    public void setAsciiStream(String name, java.io.InputStream value, long arg2) throws SQLException {
        callable.setAsciiStream(name, value, arg2);
        parameters.setNamed(name, Parameters.unreadable("InputStream", arg2));
    }

    @Override
    public void setAsciiStream(String name, java.io.InputStream value) throws SQLException {
        callable.setAsciiStream(name, value);
        parameters.setNamed(name, Parameters.unreadable("InputStream", -1));
    }

    @Override
    public void setBigDecimal(String name, java.math.BigDecimal value) throws SQLException {
        callable.setBigDecimal(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setBinaryStream(String name, java.io.InputStream value, int arg2) throws SQLException {
        callable.setBinaryStream(name, value, arg2);
        parameters.setNamed(name, Parameters.unreadable("InputStream", arg2));
    }

    @Override
    public void setBinaryStream(String name, java.io.InputStream value, long arg2) throws SQLException {
        callable.setBinaryStream(name, value, arg2);
        parameters.setNamed(name, Parameters.unreadable("InputStream", arg2));
    }

    @Override
    public void setBinaryStream(String name, java.io.InputStream value) throws SQLException {
        callable.setBinaryStream(name, value);
        parameters.setNamed(name, Parameters.unreadable("InputStream", -1));
    }

    @Override
    public void setBlob(String name, java.io.InputStream value, long arg2) throws SQLException {
        callable.setBlob(name, value, arg2);
        parameters.setNamed(name, Parameters.unreadable("InputStream", arg2));
    }

    @Override
    public void setBlob(String name, java.io.InputStream value) throws SQLException {
        callable.setBlob(name, value);
        parameters.setNamed(name, Parameters.unreadable("InputStream", -1));
    }

    @Override
    public void setBlob(String name, Blob value) throws SQLException {
        callable.setBlob(name, value);
        parameters.setNamed(name, Parameters.unreadable("Blob", -1));
    }

    @Override
    public void setBoolean(String name, boolean value) throws SQLException {
        callable.setBoolean(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setByte(String name, byte value) throws SQLException {
        callable.setByte(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setBytes(String name, byte[] value) throws SQLException {
        callable.setBytes(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setCharacterStream(String name, java.io.Reader value, int arg2) throws SQLException {
        callable.setCharacterStream(name, value, arg2);
        parameters.setNamed(name, Parameters.unreadable("Reader", arg2));
    }

    @Override
    public void setCharacterStream(String name, java.io.Reader value, long arg2) throws SQLException {
        callable.setCharacterStream(name, value, arg2);
        parameters.setNamed(name, Parameters.unreadable("Reader", arg2));
    }

    @Override
    public void setCharacterStream(String name, java.io.Reader value) throws SQLException {
        callable.setCharacterStream(name, value);
        parameters.setNamed(name, Parameters.unreadable("Reader", -1));
    }

    @Override
    public void setClob(String name, java.io.Reader value, long arg2) throws SQLException {
        callable.setClob(name, value, arg2);
        parameters.setNamed(name, Parameters.unreadable("Reader", arg2));
    }

    @Override
    public void setClob(String name, java.io.Reader value) throws SQLException {
        callable.setClob(name, value);
        parameters.setNamed(name, Parameters.unreadable("Reader", -1));
    }

    @Override
    public void setClob(String name, Clob value) throws SQLException {
        callable.setClob(name, value);
        parameters.setNamed(name, Parameters.unreadable("Clob", -1));
    }

    @Override
    public void setDate(String name, Date value, java.util.Calendar calendar) throws SQLException {
        callable.setDate(name, value, calendar);
        parameters.setNamed(name, value);
    }

    @Override
    public void setDate(String name, Date value) throws SQLException {
        callable.setDate(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setDouble(String name, double value) throws SQLException {
        callable.setDouble(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setFloat(String name, float value) throws SQLException {
        callable.setFloat(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setInt(String name, int value) throws SQLException {
        callable.setInt(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setLong(String name, long value) throws SQLException {
        callable.setLong(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setNCharacterStream(String name, java.io.Reader value, long arg2) throws SQLException {
        callable.setNCharacterStream(name, value, arg2);
        parameters.setNamed(name, Parameters.unreadable("Reader", arg2));
    }

    @Override
    public void setNCharacterStream(String name, java.io.Reader value) throws SQLException {
        callable.setNCharacterStream(name, value);
        parameters.setNamed(name, Parameters.unreadable("Reader", -1));
    }

    @Override
    public void setNClob(String name, java.io.Reader value, long arg2) throws SQLException {
        callable.setNClob(name, value, arg2);
        parameters.setNamed(name, Parameters.unreadable("Reader", arg2));
    }

    @Override
    public void setNClob(String name, java.io.Reader value) throws SQLException {
        callable.setNClob(name, value);
        parameters.setNamed(name, Parameters.unreadable("Reader", -1));
    }

    @Override
    public void setNClob(String name, NClob value) throws SQLException {
        callable.setNClob(name, value);
        parameters.setNamed(name, Parameters.unreadable("NClob", -1));
    }

    @Override
    public void setNString(String name, String value) throws SQLException {
        callable.setNString(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setNull(String name, int value, String arg2) throws SQLException {
        callable.setNull(name, value, arg2);
        parameters.setNamed(name, null);
    }

    @Override
    public void setNull(String name, int value) throws SQLException {
        callable.setNull(name, value);
        parameters.setNamed(name, null);
    }

    @Override
    public void setObject(String name, Object value, int arg2, int arg3) throws SQLException {
        callable.setObject(name, value, arg2, arg3);
        parameters.setNamed(name, value);
    }

    @Override
    public void setObject(String name, Object value, int arg2) throws SQLException {
        callable.setObject(name, value, arg2);
        parameters.setNamed(name, value);
    }

    @Override
    public void setObject(String name, Object value, SQLType arg2, int arg3) throws SQLException {
        callable.setObject(name, value, arg2, arg3);
        parameters.setNamed(name, value);
    }

    @Override
    public void setObject(String name, Object value, SQLType arg2) throws SQLException {
        callable.setObject(name, value, arg2);
        parameters.setNamed(name, value);
    }

    @Override
    public void setObject(String name, Object value) throws SQLException {
        callable.setObject(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setRowId(String name, RowId value) throws SQLException {
        callable.setRowId(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setSQLXML(String name, SQLXML value) throws SQLException {
        callable.setSQLXML(name, value);
        parameters.setNamed(name, Parameters.unreadable("SQLXML", -1));
    }

    @Override
    public void setShort(String name, short value) throws SQLException {
        callable.setShort(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setString(String name, String value) throws SQLException {
        callable.setString(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setTime(String name, Time value, java.util.Calendar calendar) throws SQLException {
        callable.setTime(name, value, calendar);
        parameters.setNamed(name, value);
    }

    @Override
    public void setTime(String name, Time value) throws SQLException {
        callable.setTime(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setTimestamp(String name, Timestamp value, java.util.Calendar calendar) throws SQLException {
        callable.setTimestamp(name, value, calendar);
        parameters.setNamed(name, value);
    }

    @Override
    public void setTimestamp(String name, Timestamp value) throws SQLException {
        callable.setTimestamp(name, value);
        parameters.setNamed(name, value);
    }

    @Override
    public void setURL(String name, java.net.URL value) throws SQLException {
        callable.setURL(name, value);
        parameters.setNamed(name, value);
    }

}
