package dev.gatehouse.jdbc.wrap;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;

/**
 * A result set whose {@link #getStatement()} is the Gatehouse statement that produced it (or a guarded
 * wrapper of the real driver's internal one, for metadata results), and whose arrays and refcursors come back
 * wrapped. Updatable result sets are refused when the statement is created, so the update methods here only
 * delegate to a read-only result set, which rejects them itself.
 *
 * <p>Threads: the application's thread.
 */
public final class GuardedResultSet implements ResultSet {
    private final GuardedConnection connection;
    private final ResultSet raw;
    private final GuardedStatement owner;
    private Statement adopted;

    GuardedResultSet(GuardedConnection connection, ResultSet raw, GuardedStatement owner) {
        this.connection = connection;
        this.raw = raw;
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
    public boolean absolute(int index) throws SQLException {
        return raw.absolute(index);
    }

    @Override
    public void afterLast() throws SQLException {
        raw.afterLast();
    }

    @Override
    public void beforeFirst() throws SQLException {
        raw.beforeFirst();
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        raw.cancelRowUpdates();
    }

    @Override
    public void clearWarnings() throws SQLException {
        raw.clearWarnings();
    }

    @Override
    public void close() throws SQLException {
        raw.close();
    }

    @Override
    public void deleteRow() throws SQLException {
        raw.deleteRow();
    }

    @Override
    public int findColumn(String name) throws SQLException {
        return raw.findColumn(name);
    }

    @Override
    public boolean first() throws SQLException {
        return raw.first();
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
    public java.io.InputStream getAsciiStream(String name) throws SQLException {
        return raw.getAsciiStream(name);
    }

    @Override
    public java.io.InputStream getAsciiStream(int index) throws SQLException {
        return raw.getAsciiStream(index);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(String name, int value) throws SQLException {
        return raw.getBigDecimal(name, value);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(String name) throws SQLException {
        return raw.getBigDecimal(name);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(int index, int value) throws SQLException {
        return raw.getBigDecimal(index, value);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(int index) throws SQLException {
        return raw.getBigDecimal(index);
    }

    @Override
    public java.io.InputStream getBinaryStream(String name) throws SQLException {
        return raw.getBinaryStream(name);
    }

    @Override
    public java.io.InputStream getBinaryStream(int index) throws SQLException {
        return raw.getBinaryStream(index);
    }

    @Override
    public Blob getBlob(String name) throws SQLException {
        return raw.getBlob(name);
    }

    @Override
    public Blob getBlob(int index) throws SQLException {
        return raw.getBlob(index);
    }

    @Override
    public boolean getBoolean(String name) throws SQLException {
        return raw.getBoolean(name);
    }

    @Override
    public boolean getBoolean(int index) throws SQLException {
        return raw.getBoolean(index);
    }

    @Override
    public byte getByte(String name) throws SQLException {
        return raw.getByte(name);
    }

    @Override
    public byte getByte(int index) throws SQLException {
        return raw.getByte(index);
    }

    @Override
    public byte[] getBytes(String name) throws SQLException {
        return raw.getBytes(name);
    }

    @Override
    public byte[] getBytes(int index) throws SQLException {
        return raw.getBytes(index);
    }

    @Override
    public java.io.Reader getCharacterStream(String name) throws SQLException {
        return raw.getCharacterStream(name);
    }

    @Override
    public java.io.Reader getCharacterStream(int index) throws SQLException {
        return raw.getCharacterStream(index);
    }

    @Override
    public Clob getClob(String name) throws SQLException {
        return raw.getClob(name);
    }

    @Override
    public Clob getClob(int index) throws SQLException {
        return raw.getClob(index);
    }

    @Override
    public int getConcurrency() throws SQLException {
        return raw.getConcurrency();
    }

    @Override
    public String getCursorName() throws SQLException {
        return raw.getCursorName();
    }

    @Override
    public Date getDate(String name, java.util.Calendar calendar) throws SQLException {
        return raw.getDate(name, calendar);
    }

    @Override
    public Date getDate(String name) throws SQLException {
        return raw.getDate(name);
    }

    @Override
    public Date getDate(int index, java.util.Calendar calendar) throws SQLException {
        return raw.getDate(index, calendar);
    }

    @Override
    public Date getDate(int index) throws SQLException {
        return raw.getDate(index);
    }

    @Override
    public double getDouble(String name) throws SQLException {
        return raw.getDouble(name);
    }

    @Override
    public double getDouble(int index) throws SQLException {
        return raw.getDouble(index);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return raw.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return raw.getFetchSize();
    }

    @Override
    public float getFloat(String name) throws SQLException {
        return raw.getFloat(name);
    }

    @Override
    public float getFloat(int index) throws SQLException {
        return raw.getFloat(index);
    }

    @Override
    public int getHoldability() throws SQLException {
        return raw.getHoldability();
    }

    @Override
    public int getInt(String name) throws SQLException {
        return raw.getInt(name);
    }

    @Override
    public int getInt(int index) throws SQLException {
        return raw.getInt(index);
    }

    @Override
    public long getLong(String name) throws SQLException {
        return raw.getLong(name);
    }

    @Override
    public long getLong(int index) throws SQLException {
        return raw.getLong(index);
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return raw.getMetaData();
    }

    @Override
    public java.io.Reader getNCharacterStream(String name) throws SQLException {
        return raw.getNCharacterStream(name);
    }

    @Override
    public java.io.Reader getNCharacterStream(int index) throws SQLException {
        return raw.getNCharacterStream(index);
    }

    @Override
    public NClob getNClob(String name) throws SQLException {
        return raw.getNClob(name);
    }

    @Override
    public NClob getNClob(int index) throws SQLException {
        return raw.getNClob(index);
    }

    @Override
    public String getNString(String name) throws SQLException {
        return raw.getNString(name);
    }

    @Override
    public String getNString(int index) throws SQLException {
        return raw.getNString(index);
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

    @Override
    public Ref getRef(String name) throws SQLException {
        return raw.getRef(name);
    }

    @Override
    public Ref getRef(int index) throws SQLException {
        return raw.getRef(index);
    }

    @Override
    public int getRow() throws SQLException {
        return raw.getRow();
    }

    @Override
    public RowId getRowId(String name) throws SQLException {
        return raw.getRowId(name);
    }

    @Override
    public RowId getRowId(int index) throws SQLException {
        return raw.getRowId(index);
    }

    @Override
    public SQLXML getSQLXML(String name) throws SQLException {
        return raw.getSQLXML(name);
    }

    @Override
    public SQLXML getSQLXML(int index) throws SQLException {
        return raw.getSQLXML(index);
    }

    @Override
    public short getShort(String name) throws SQLException {
        return raw.getShort(name);
    }

    @Override
    public short getShort(int index) throws SQLException {
        return raw.getShort(index);
    }

    @Override
    public String getString(String name) throws SQLException {
        return raw.getString(name);
    }

    @Override
    public String getString(int index) throws SQLException {
        return raw.getString(index);
    }

    @Override
    public Time getTime(String name, java.util.Calendar calendar) throws SQLException {
        return raw.getTime(name, calendar);
    }

    @Override
    public Time getTime(String name) throws SQLException {
        return raw.getTime(name);
    }

    @Override
    public Time getTime(int index, java.util.Calendar calendar) throws SQLException {
        return raw.getTime(index, calendar);
    }

    @Override
    public Time getTime(int index) throws SQLException {
        return raw.getTime(index);
    }

    @Override
    public Timestamp getTimestamp(String name, java.util.Calendar calendar) throws SQLException {
        return raw.getTimestamp(name, calendar);
    }

    @Override
    public Timestamp getTimestamp(String name) throws SQLException {
        return raw.getTimestamp(name);
    }

    @Override
    public Timestamp getTimestamp(int index, java.util.Calendar calendar) throws SQLException {
        return raw.getTimestamp(index, calendar);
    }

    @Override
    public Timestamp getTimestamp(int index) throws SQLException {
        return raw.getTimestamp(index);
    }

    @Override
    public int getType() throws SQLException {
        return raw.getType();
    }

    @Override
    public java.net.URL getURL(String name) throws SQLException {
        return raw.getURL(name);
    }

    @Override
    public java.net.URL getURL(int index) throws SQLException {
        return raw.getURL(index);
    }

    @Override
    public java.io.InputStream getUnicodeStream(String name) throws SQLException {
        return raw.getUnicodeStream(name);
    }

    @Override
    public java.io.InputStream getUnicodeStream(int index) throws SQLException {
        return raw.getUnicodeStream(index);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return raw.getWarnings();
    }

    @Override
    public void insertRow() throws SQLException {
        raw.insertRow();
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        return raw.isAfterLast();
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        return raw.isBeforeFirst();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return raw.isClosed();
    }

    @Override
    public boolean isFirst() throws SQLException {
        return raw.isFirst();
    }

    @Override
    public boolean isLast() throws SQLException {
        return raw.isLast();
    }

    @Override
    public boolean last() throws SQLException {
        return raw.last();
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        raw.moveToCurrentRow();
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        raw.moveToInsertRow();
    }

    @Override
    public boolean next() throws SQLException {
        return raw.next();
    }

    @Override
    public boolean previous() throws SQLException {
        return raw.previous();
    }

    @Override
    public void refreshRow() throws SQLException {
        raw.refreshRow();
    }

    @Override
    public boolean relative(int index) throws SQLException {
        return raw.relative(index);
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        return raw.rowDeleted();
    }

    @Override
    public boolean rowInserted() throws SQLException {
        return raw.rowInserted();
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        return raw.rowUpdated();
    }

    @Override
    public void setFetchDirection(int index) throws SQLException {
        raw.setFetchDirection(index);
    }

    @Override
    public void setFetchSize(int index) throws SQLException {
        raw.setFetchSize(index);
    }

    @Override
    public void updateArray(String name, Array value) throws SQLException {
        raw.updateArray(name, value);
    }

    @Override
    public void updateArray(int index, Array value) throws SQLException {
        raw.updateArray(index, value);
    }

    @Override
    public void updateAsciiStream(String name, java.io.InputStream value, int arg2) throws SQLException {
        raw.updateAsciiStream(name, value, arg2);
    }

    @Override
    public void updateAsciiStream(String name, java.io.InputStream value, long arg2) throws SQLException {
        raw.updateAsciiStream(name, value, arg2);
    }

    @Override
    public void updateAsciiStream(String name, java.io.InputStream value) throws SQLException {
        raw.updateAsciiStream(name, value);
    }

    @Override
    public void updateAsciiStream(int index, java.io.InputStream value, int arg2) throws SQLException {
        raw.updateAsciiStream(index, value, arg2);
    }

    @Override
    public void updateAsciiStream(int index, java.io.InputStream value, long arg2) throws SQLException {
        raw.updateAsciiStream(index, value, arg2);
    }

    @Override
    public void updateAsciiStream(int index, java.io.InputStream value) throws SQLException {
        raw.updateAsciiStream(index, value);
    }

    @Override
    public void updateBigDecimal(String name, java.math.BigDecimal value) throws SQLException {
        raw.updateBigDecimal(name, value);
    }

    @Override
    public void updateBigDecimal(int index, java.math.BigDecimal value) throws SQLException {
        raw.updateBigDecimal(index, value);
    }

    @Override
    public void updateBinaryStream(String name, java.io.InputStream value, int arg2) throws SQLException {
        raw.updateBinaryStream(name, value, arg2);
    }

    @Override
    public void updateBinaryStream(String name, java.io.InputStream value, long arg2) throws SQLException {
        raw.updateBinaryStream(name, value, arg2);
    }

    @Override
    public void updateBinaryStream(String name, java.io.InputStream value) throws SQLException {
        raw.updateBinaryStream(name, value);
    }

    @Override
    public void updateBinaryStream(int index, java.io.InputStream value, int arg2) throws SQLException {
        raw.updateBinaryStream(index, value, arg2);
    }

    @Override
    public void updateBinaryStream(int index, java.io.InputStream value, long arg2) throws SQLException {
        raw.updateBinaryStream(index, value, arg2);
    }

    @Override
    public void updateBinaryStream(int index, java.io.InputStream value) throws SQLException {
        raw.updateBinaryStream(index, value);
    }

    @Override
    public void updateBlob(String name, java.io.InputStream value, long arg2) throws SQLException {
        raw.updateBlob(name, value, arg2);
    }

    @Override
    public void updateBlob(String name, java.io.InputStream value) throws SQLException {
        raw.updateBlob(name, value);
    }

    @Override
    public void updateBlob(String name, Blob value) throws SQLException {
        raw.updateBlob(name, value);
    }

    @Override
    public void updateBlob(int index, java.io.InputStream value, long arg2) throws SQLException {
        raw.updateBlob(index, value, arg2);
    }

    @Override
    public void updateBlob(int index, java.io.InputStream value) throws SQLException {
        raw.updateBlob(index, value);
    }

    @Override
    public void updateBlob(int index, Blob value) throws SQLException {
        raw.updateBlob(index, value);
    }

    @Override
    public void updateBoolean(String name, boolean value) throws SQLException {
        raw.updateBoolean(name, value);
    }

    @Override
    public void updateBoolean(int index, boolean value) throws SQLException {
        raw.updateBoolean(index, value);
    }

    @Override
    public void updateByte(String name, byte value) throws SQLException {
        raw.updateByte(name, value);
    }

    @Override
    public void updateByte(int index, byte value) throws SQLException {
        raw.updateByte(index, value);
    }

    @Override
    public void updateBytes(String name, byte[] value) throws SQLException {
        raw.updateBytes(name, value);
    }

    @Override
    public void updateBytes(int index, byte[] value) throws SQLException {
        raw.updateBytes(index, value);
    }

    @Override
    public void updateCharacterStream(String name, java.io.Reader value, int arg2) throws SQLException {
        raw.updateCharacterStream(name, value, arg2);
    }

    @Override
    public void updateCharacterStream(String name, java.io.Reader value, long arg2) throws SQLException {
        raw.updateCharacterStream(name, value, arg2);
    }

    @Override
    public void updateCharacterStream(String name, java.io.Reader value) throws SQLException {
        raw.updateCharacterStream(name, value);
    }

    @Override
    public void updateCharacterStream(int index, java.io.Reader value, int arg2) throws SQLException {
        raw.updateCharacterStream(index, value, arg2);
    }

    @Override
    public void updateCharacterStream(int index, java.io.Reader value, long arg2) throws SQLException {
        raw.updateCharacterStream(index, value, arg2);
    }

    @Override
    public void updateCharacterStream(int index, java.io.Reader value) throws SQLException {
        raw.updateCharacterStream(index, value);
    }

    @Override
    public void updateClob(String name, java.io.Reader value, long arg2) throws SQLException {
        raw.updateClob(name, value, arg2);
    }

    @Override
    public void updateClob(String name, java.io.Reader value) throws SQLException {
        raw.updateClob(name, value);
    }

    @Override
    public void updateClob(String name, Clob value) throws SQLException {
        raw.updateClob(name, value);
    }

    @Override
    public void updateClob(int index, java.io.Reader value, long arg2) throws SQLException {
        raw.updateClob(index, value, arg2);
    }

    @Override
    public void updateClob(int index, java.io.Reader value) throws SQLException {
        raw.updateClob(index, value);
    }

    @Override
    public void updateClob(int index, Clob value) throws SQLException {
        raw.updateClob(index, value);
    }

    @Override
    public void updateDate(String name, Date value) throws SQLException {
        raw.updateDate(name, value);
    }

    @Override
    public void updateDate(int index, Date value) throws SQLException {
        raw.updateDate(index, value);
    }

    @Override
    public void updateDouble(String name, double value) throws SQLException {
        raw.updateDouble(name, value);
    }

    @Override
    public void updateDouble(int index, double value) throws SQLException {
        raw.updateDouble(index, value);
    }

    @Override
    public void updateFloat(String name, float value) throws SQLException {
        raw.updateFloat(name, value);
    }

    @Override
    public void updateFloat(int index, float value) throws SQLException {
        raw.updateFloat(index, value);
    }

    @Override
    public void updateInt(String name, int value) throws SQLException {
        raw.updateInt(name, value);
    }

    @Override
    public void updateInt(int index, int value) throws SQLException {
        raw.updateInt(index, value);
    }

    @Override
    public void updateLong(String name, long value) throws SQLException {
        raw.updateLong(name, value);
    }

    @Override
    public void updateLong(int index, long value) throws SQLException {
        raw.updateLong(index, value);
    }

    @Override
    public void updateNCharacterStream(String name, java.io.Reader value, long arg2) throws SQLException {
        raw.updateNCharacterStream(name, value, arg2);
    }

    @Override
    public void updateNCharacterStream(String name, java.io.Reader value) throws SQLException {
        raw.updateNCharacterStream(name, value);
    }

    @Override
    public void updateNCharacterStream(int index, java.io.Reader value, long arg2) throws SQLException {
        raw.updateNCharacterStream(index, value, arg2);
    }

    @Override
    public void updateNCharacterStream(int index, java.io.Reader value) throws SQLException {
        raw.updateNCharacterStream(index, value);
    }

    @Override
    public void updateNClob(String name, java.io.Reader value, long arg2) throws SQLException {
        raw.updateNClob(name, value, arg2);
    }

    @Override
    public void updateNClob(String name, java.io.Reader value) throws SQLException {
        raw.updateNClob(name, value);
    }

    @Override
    public void updateNClob(String name, NClob value) throws SQLException {
        raw.updateNClob(name, value);
    }

    @Override
    public void updateNClob(int index, java.io.Reader value, long arg2) throws SQLException {
        raw.updateNClob(index, value, arg2);
    }

    @Override
    public void updateNClob(int index, java.io.Reader value) throws SQLException {
        raw.updateNClob(index, value);
    }

    @Override
    public void updateNClob(int index, NClob value) throws SQLException {
        raw.updateNClob(index, value);
    }

    @Override
    public void updateNString(String name, String value) throws SQLException {
        raw.updateNString(name, value);
    }

    @Override
    public void updateNString(int index, String value) throws SQLException {
        raw.updateNString(index, value);
    }

    @Override
    public void updateNull(String name) throws SQLException {
        raw.updateNull(name);
    }

    @Override
    public void updateNull(int index) throws SQLException {
        raw.updateNull(index);
    }

    @Override
    public void updateObject(String name, Object value, int arg2) throws SQLException {
        raw.updateObject(name, value, arg2);
    }

    @Override
    public void updateObject(String name, Object value, SQLType arg2, int arg3) throws SQLException {
        raw.updateObject(name, value, arg2, arg3);
    }

    @Override
    public void updateObject(String name, Object value, SQLType arg2) throws SQLException {
        raw.updateObject(name, value, arg2);
    }

    @Override
    public void updateObject(String name, Object value) throws SQLException {
        raw.updateObject(name, value);
    }

    @Override
    public void updateObject(int index, Object value, int arg2) throws SQLException {
        raw.updateObject(index, value, arg2);
    }

    @Override
    public void updateObject(int index, Object value, SQLType arg2, int arg3) throws SQLException {
        raw.updateObject(index, value, arg2, arg3);
    }

    @Override
    public void updateObject(int index, Object value, SQLType arg2) throws SQLException {
        raw.updateObject(index, value, arg2);
    }

    @Override
    public void updateObject(int index, Object value) throws SQLException {
        raw.updateObject(index, value);
    }

    @Override
    public void updateRef(String name, Ref value) throws SQLException {
        raw.updateRef(name, value);
    }

    @Override
    public void updateRef(int index, Ref value) throws SQLException {
        raw.updateRef(index, value);
    }

    @Override
    public void updateRow() throws SQLException {
        raw.updateRow();
    }

    @Override
    public void updateRowId(String name, RowId value) throws SQLException {
        raw.updateRowId(name, value);
    }

    @Override
    public void updateRowId(int index, RowId value) throws SQLException {
        raw.updateRowId(index, value);
    }

    @Override
    public void updateSQLXML(String name, SQLXML value) throws SQLException {
        raw.updateSQLXML(name, value);
    }

    @Override
    public void updateSQLXML(int index, SQLXML value) throws SQLException {
        raw.updateSQLXML(index, value);
    }

    @Override
    public void updateShort(String name, short value) throws SQLException {
        raw.updateShort(name, value);
    }

    @Override
    public void updateShort(int index, short value) throws SQLException {
        raw.updateShort(index, value);
    }

    @Override
    public void updateString(String name, String value) throws SQLException {
        raw.updateString(name, value);
    }

    @Override
    public void updateString(int index, String value) throws SQLException {
        raw.updateString(index, value);
    }

    @Override
    public void updateTime(String name, Time value) throws SQLException {
        raw.updateTime(name, value);
    }

    @Override
    public void updateTime(int index, Time value) throws SQLException {
        raw.updateTime(index, value);
    }

    @Override
    public void updateTimestamp(String name, Timestamp value) throws SQLException {
        raw.updateTimestamp(name, value);
    }

    @Override
    public void updateTimestamp(int index, Timestamp value) throws SQLException {
        raw.updateTimestamp(index, value);
    }

    @Override
    public boolean wasNull() throws SQLException {
        return raw.wasNull();
    }

}
