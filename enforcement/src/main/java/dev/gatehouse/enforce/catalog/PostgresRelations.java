package dev.gatehouse.enforce.catalog;

import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Relation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * PostgreSQL tables, views, materialized views and foreign tables from pg_catalog; view text from
 * {@code pg_get_viewdef}; a foreign table (relkind {@code f}) is marked {@link Relation#foreign()}, as a rollback
 * may not undo its writes. Names are matched exactly: the caller has already case-folded them.
 * Runs on the thread that asks the catalog.
 */
public final class PostgresRelations implements RelationSource {
    private static final String RELATION = """
            SELECT c.relkind, a.attname, CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            ORDER BY a.attnum""";

    private final Connection connection;

    public PostgresRelations(Connection connection) {
        this.connection = connection;
    }

    @Override
    public Optional<Relation> load(TableName name) throws SQLException {
        return MetadataQueries.relation(connection, RELATION, name, false, "f");
    }

    @Override
    public boolean schemaExists(String schema) throws SQLException {
        return MetadataQueries.exists(connection, "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?", schema);
    }
}
