package dev.gatehouse.enforce.catalog;

import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Relation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * MySQL/MariaDB tables and views from information_schema; view text from {@code VIEWS.VIEW_DEFINITION}.
 * Runs on the thread that asks the catalog.
 */
public final class MysqlRelations implements RelationSource {
    private static final String RELATION = """
            SELECT t.TABLE_TYPE, c.COLUMN_NAME, v.VIEW_DEFINITION
            FROM information_schema.TABLES t
            LEFT JOIN information_schema.COLUMNS c
              ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME
            LEFT JOIN information_schema.VIEWS v
              ON v.TABLE_SCHEMA = t.TABLE_SCHEMA AND v.TABLE_NAME = t.TABLE_NAME
            WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME = ?
            ORDER BY c.ORDINAL_POSITION""";

    private final Connection connection;

    public MysqlRelations(Connection connection) {
        this.connection = connection;
    }

    @Override
    public Optional<Relation> load(TableName name) throws SQLException {
        return MetadataQueries.relation(connection, RELATION, name, true, null);
    }

    @Override
    public boolean schemaExists(String schema) throws SQLException {
        return MetadataQueries.exists(connection, "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", schema);
    }
}
