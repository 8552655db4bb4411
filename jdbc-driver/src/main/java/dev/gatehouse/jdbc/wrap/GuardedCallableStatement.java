package dev.gatehouse.jdbc.wrap;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
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
public final class GuardedCallableStatement extends GuardedPreparedStatement implements CallableStatement {
    private final CallableStatement callable;

    GuardedCallableStatement(GuardedConnection connection, CallableStatement callable, String sql) {
        super(connection, callable, sql);
        this.callable = callable;
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
    public java.math.BigDecimal getBigDecimal(String name) throws SQLException {
        return callable.getBigDecimal(name);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(int index, int value) throws SQLException {
        return callable.getBigDecimal(index, value);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(int index) throws SQLException {
        return callable.getBigDecimal(index);
    }

    @Override
    public Blob getBlob(String name) throws SQLException {
        return callable.getBlob(name);
    }

    @Override
    public Blob getBlob(int index) throws SQLException {
        return callable.getBlob(index);
    }

    @Override
    public boolean getBoolean(String name) throws SQLException {
        return callable.getBoolean(name);
    }

    @Override
    public boolean getBoolean(int index) throws SQLException {
        return callable.getBoolean(index);
    }

    @Override
    public byte getByte(String name) throws SQLException {
        return callable.getByte(name);
    }

    @Override
    public byte getByte(int index) throws SQLException {
        return callable.getByte(index);
    }

    @Override
    public byte[] getBytes(String name) throws SQLException {
        return callable.getBytes(name);
    }

    @Override
    public byte[] getBytes(int index) throws SQLException {
        return callable.getBytes(index);
    }

    @Override
    public java.io.Reader getCharacterStream(String name) throws SQLException {
        return callable.getCharacterStream(name);
    }

    @Override
    public java.io.Reader getCharacterStream(int index) throws SQLException {
        return callable.getCharacterStream(index);
    }

    @Override
    public Clob getClob(String name) throws SQLException {
        return callable.getClob(name);
    }

    @Override
    public Clob getClob(int index) throws SQLException {
        return callable.getClob(index);
    }

    @Override
    public Date getDate(String name, java.util.Calendar calendar) throws SQLException {
        return callable.getDate(name, calendar);
    }

    @Override
    public Date getDate(String name) throws SQLException {
        return callable.getDate(name);
    }

    @Override
    public Date getDate(int index, java.util.Calendar calendar) throws SQLException {
        return callable.getDate(index, calendar);
    }

    @Override
    public Date getDate(int index) throws SQLException {
        return callable.getDate(index);
    }

    @Override
    public double getDouble(String name) throws SQLException {
        return callable.getDouble(name);
    }

    @Override
    public double getDouble(int index) throws SQLException {
        return callable.getDouble(index);
    }

    @Override
    public float getFloat(String name) throws SQLException {
        return callable.getFloat(name);
    }

    @Override
    public float getFloat(int index) throws SQLException {
        return callable.getFloat(index);
    }

    @Override
    public int getInt(String name) throws SQLException {
        return callable.getInt(name);
    }

    @Override
    public int getInt(int index) throws SQLException {
        return callable.getInt(index);
    }

    @Override
    public long getLong(String name) throws SQLException {
        return callable.getLong(name);
    }

    @Override
    public long getLong(int index) throws SQLException {
        return callable.getLong(index);
    }

    @Override
    public java.io.Reader getNCharacterStream(String name) throws SQLException {
        return callable.getNCharacterStream(name);
    }

    @Override
    public java.io.Reader getNCharacterStream(int index) throws SQLException {
        return callable.getNCharacterStream(index);
    }

    @Override
    public NClob getNClob(String name) throws SQLException {
        return callable.getNClob(name);
    }

    @Override
    public NClob getNClob(int index) throws SQLException {
        return callable.getNClob(index);
    }

    @Override
    public String getNString(String name) throws SQLException {
        return callable.getNString(name);
    }

    @Override
    public String getNString(int index) throws SQLException {
        return callable.getNString(index);
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
    public Ref getRef(String name) throws SQLException {
        return callable.getRef(name);
    }

    @Override
    public Ref getRef(int index) throws SQLException {
        return callable.getRef(index);
    }

    @Override
    public RowId getRowId(String name) throws SQLException {
        return callable.getRowId(name);
    }

    @Override
    public RowId getRowId(int index) throws SQLException {
        return callable.getRowId(index);
    }

    @Override
    public SQLXML getSQLXML(String name) throws SQLException {
        return callable.getSQLXML(name);
    }

    @Override
    public SQLXML getSQLXML(int index) throws SQLException {
        return callable.getSQLXML(index);
    }

    @Override
    public short getShort(String name) throws SQLException {
        return callable.getShort(name);
    }

    @Override
    public short getShort(int index) throws SQLException {
        return callable.getShort(index);
    }

    @Override
    public String getString(String name) throws SQLException {
        return callable.getString(name);
    }

    @Override
    public String getString(int index) throws SQLException {
        return callable.getString(index);
    }

    @Override
    public Time getTime(String name, java.util.Calendar calendar) throws SQLException {
        return callable.getTime(name, calendar);
    }

    @Override
    public Time getTime(String name) throws SQLException {
        return callable.getTime(name);
    }

    @Override
    public Time getTime(int index, java.util.Calendar calendar) throws SQLException {
        return callable.getTime(index, calendar);
    }

    @Override
    public Time getTime(int index) throws SQLException {
        return callable.getTime(index);
    }

    @Override
    public Timestamp getTimestamp(String name, java.util.Calendar calendar) throws SQLException {
        return callable.getTimestamp(name, calendar);
    }

    @Override
    public Timestamp getTimestamp(String name) throws SQLException {
        return callable.getTimestamp(name);
    }

    @Override
    public Timestamp getTimestamp(int index, java.util.Calendar calendar) throws SQLException {
        return callable.getTimestamp(index, calendar);
    }

    @Override
    public Timestamp getTimestamp(int index) throws SQLException {
        return callable.getTimestamp(index);
    }

    @Override
    public java.net.URL getURL(String name) throws SQLException {
        return callable.getURL(name);
    }

    @Override
    public java.net.URL getURL(int index) throws SQLException {
        return callable.getURL(index);
    }

    @Override
    public void registerOutParameter(String name, int value, String arg2) throws SQLException {
        callable.registerOutParameter(name, value, arg2);
    }

    @Override
    public void registerOutParameter(String name, int value, int arg2) throws SQLException {
        callable.registerOutParameter(name, value, arg2);
    }

    @Override
    public void registerOutParameter(String name, int value) throws SQLException {
        callable.registerOutParameter(name, value);
    }

    @Override
    public void registerOutParameter(String name, SQLType value, String arg2) throws SQLException {
        callable.registerOutParameter(name, value, arg2);
    }

    @Override
    public void registerOutParameter(String name, SQLType value, int arg2) throws SQLException {
        callable.registerOutParameter(name, value, arg2);
    }

    @Override
    public void registerOutParameter(String name, SQLType value) throws SQLException {
        callable.registerOutParameter(name, value);
    }

    @Override
    public void registerOutParameter(int index, int value, String arg2) throws SQLException {
        callable.registerOutParameter(index, value, arg2);
    }

    @Override
    public void registerOutParameter(int index, int value, int arg2) throws SQLException {
        callable.registerOutParameter(index, value, arg2);
    }

    @Override
    public void registerOutParameter(int index, int value) throws SQLException {
        callable.registerOutParameter(index, value);
    }

    @Override
    public void registerOutParameter(int index, SQLType value, String arg2) throws SQLException {
        callable.registerOutParameter(index, value, arg2);
    }

    @Override
    public void registerOutParameter(int index, SQLType value, int arg2) throws SQLException {
        callable.registerOutParameter(index, value, arg2);
    }

    @Override
    public void registerOutParameter(int index, SQLType value) throws SQLException {
        callable.registerOutParameter(index, value);
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

    @Override
    public boolean wasNull() throws SQLException {
        return callable.wasNull();
    }

}
