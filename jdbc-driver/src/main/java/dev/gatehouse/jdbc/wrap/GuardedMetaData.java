package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.passthrough.PassThrough;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Database metadata whose {@link #getConnection()} is the Gatehouse connection and whose result sets are
 * wrapped (their {@code getStatement()} would otherwise hand out the real driver's statement). The queries
 * the real driver runs for metadata are its own, not the application's, and are not sent to the guard. Every
 * other method passes straight to the real metadata in the generated {@code DatabaseMetaDataPassThrough}.
 *
 * <p>Threads: the application's thread.
 */
@PassThrough(DatabaseMetaData.class)
public final class GuardedMetaData extends DatabaseMetaDataPassThrough {
    private final GuardedConnection connection;

    GuardedMetaData(GuardedConnection connection, DatabaseMetaData raw) {
        super(raw);
        this.connection = connection;
    }

    @Override
    public Connection getConnection() {
        return connection;
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
    public ResultSet getAttributes(String name, String value, String arg2, String arg3) throws SQLException {
        return connection.wrapResultSet(raw.getAttributes(name, value, arg2, arg3), null);
    }

    @Override
    public ResultSet getBestRowIdentifier(String name, String value, String arg2, int arg3, boolean arg4) throws SQLException {
        return connection.wrapResultSet(raw.getBestRowIdentifier(name, value, arg2, arg3, arg4), null);
    }

    @Override
    public ResultSet getCatalogs() throws SQLException {
        return connection.wrapResultSet(raw.getCatalogs(), null);
    }

    @Override
    public ResultSet getClientInfoProperties() throws SQLException {
        return connection.wrapResultSet(raw.getClientInfoProperties(), null);
    }

    @Override
    public ResultSet getColumnPrivileges(String name, String value, String arg2, String arg3) throws SQLException {
        return connection.wrapResultSet(raw.getColumnPrivileges(name, value, arg2, arg3), null);
    }

    @Override
    public ResultSet getColumns(String name, String value, String arg2, String arg3) throws SQLException {
        return connection.wrapResultSet(raw.getColumns(name, value, arg2, arg3), null);
    }

    @Override
    public ResultSet getCrossReference(String name, String value, String arg2, String arg3, String arg4, String arg5) throws SQLException {
        return connection.wrapResultSet(raw.getCrossReference(name, value, arg2, arg3, arg4, arg5), null);
    }

    @Override
    public ResultSet getExportedKeys(String name, String value, String arg2) throws SQLException {
        return connection.wrapResultSet(raw.getExportedKeys(name, value, arg2), null);
    }

    @Override
    public ResultSet getFunctionColumns(String name, String value, String arg2, String arg3) throws SQLException {
        return connection.wrapResultSet(raw.getFunctionColumns(name, value, arg2, arg3), null);
    }

    @Override
    public ResultSet getFunctions(String name, String value, String arg2) throws SQLException {
        return connection.wrapResultSet(raw.getFunctions(name, value, arg2), null);
    }

    @Override
    public ResultSet getImportedKeys(String name, String value, String arg2) throws SQLException {
        return connection.wrapResultSet(raw.getImportedKeys(name, value, arg2), null);
    }

    @Override
    public ResultSet getIndexInfo(String name, String value, String arg2, boolean arg3, boolean arg4) throws SQLException {
        return connection.wrapResultSet(raw.getIndexInfo(name, value, arg2, arg3, arg4), null);
    }

    @Override
    public ResultSet getPrimaryKeys(String name, String value, String arg2) throws SQLException {
        return connection.wrapResultSet(raw.getPrimaryKeys(name, value, arg2), null);
    }

    @Override
    public ResultSet getProcedureColumns(String name, String value, String arg2, String arg3) throws SQLException {
        return connection.wrapResultSet(raw.getProcedureColumns(name, value, arg2, arg3), null);
    }

    @Override
    public ResultSet getProcedures(String name, String value, String arg2) throws SQLException {
        return connection.wrapResultSet(raw.getProcedures(name, value, arg2), null);
    }

    @Override
    public ResultSet getPseudoColumns(String name, String value, String arg2, String arg3) throws SQLException {
        return connection.wrapResultSet(raw.getPseudoColumns(name, value, arg2, arg3), null);
    }

    @Override
    public ResultSet getSchemas() throws SQLException {
        return connection.wrapResultSet(raw.getSchemas(), null);
    }

    @Override
    public ResultSet getSchemas(String name, String value) throws SQLException {
        return connection.wrapResultSet(raw.getSchemas(name, value), null);
    }

    @Override
    public ResultSet getSuperTables(String name, String value, String arg2) throws SQLException {
        return connection.wrapResultSet(raw.getSuperTables(name, value, arg2), null);
    }

    @Override
    public ResultSet getSuperTypes(String name, String value, String arg2) throws SQLException {
        return connection.wrapResultSet(raw.getSuperTypes(name, value, arg2), null);
    }

    @Override
    public ResultSet getTablePrivileges(String name, String value, String arg2) throws SQLException {
        return connection.wrapResultSet(raw.getTablePrivileges(name, value, arg2), null);
    }

    @Override
    public ResultSet getTableTypes() throws SQLException {
        return connection.wrapResultSet(raw.getTableTypes(), null);
    }

    @Override
    public ResultSet getTables(String name, String value, String arg2, String[] arg3) throws SQLException {
        return connection.wrapResultSet(raw.getTables(name, value, arg2, arg3), null);
    }

    @Override
    public ResultSet getTypeInfo() throws SQLException {
        return connection.wrapResultSet(raw.getTypeInfo(), null);
    }

    @Override
    public ResultSet getUDTs(String name, String value, String arg2, int[] arg3) throws SQLException {
        return connection.wrapResultSet(raw.getUDTs(name, value, arg2, arg3), null);
    }

    @Override
    public ResultSet getVersionColumns(String name, String value, String arg2) throws SQLException {
        return connection.wrapResultSet(raw.getVersionColumns(name, value, arg2), null);
    }

}
