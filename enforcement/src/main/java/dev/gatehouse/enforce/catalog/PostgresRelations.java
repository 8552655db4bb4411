package dev.gatehouse.enforce.catalog;

import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Relation;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * PostgreSQL tables, views, materialized views and foreign tables from pg_catalog; view text from
 * {@code pg_get_viewdef}; a foreign table (relkind {@code f}), and a partitioned or inherited parent with one
 * below it, is marked {@link Relation#foreign()}, as a rollback may not undo its writes. Names are matched exactly: the caller has already case-folded them.
 * Runs on the thread that asks the catalog.
 */
public final class PostgresRelations implements RelationSource {
    /**
     * The first column is 'f' for a foreign table and for a parent (partitioned or inherited) with a foreign table
     * among its partitions or children at any depth: a write to the parent reaches it.
     */
    private static final String RELATION = """
            SELECT CASE WHEN c.relkind = 'f' OR c.relhassubclass AND EXISTS (
                     WITH RECURSIVE below(oid) AS (
                       SELECT i.inhrelid FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid
                       UNION SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN below b ON i.inhparent = b.oid)
                     SELECT 1 FROM below b JOIN pg_catalog.pg_class k ON k.oid = b.oid WHERE k.relkind = 'f')
                   THEN 'f' ELSE c.relkind END,
                   a.attname, CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END
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
