package dev.gatehouse.jdbc.catalog;

import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Relation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL tables, views, materialized views and foreign tables from pg_catalog; view text from
 * {@code pg_get_viewdef}. Names are matched exactly: the caller has already case-folded them.
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
        try (PreparedStatement ps = connection.prepareStatement(RELATION)) {
            ps.setString(1, name.schema());
            ps.setString(2, name.name());
            try (ResultSet rs = ps.executeQuery()) {
                List<String> columns = new ArrayList<>();
                String definition = null;
                boolean found = false;
                while (rs.next()) {
                    found = true;
                    if (rs.getString(2) != null) {
                        columns.add(rs.getString(2));
                    }
                    definition = ViewText.trim(rs.getString(3));
                }
                return found ? Optional.of(new Relation(name, columns, definition)) : Optional.empty();
            }
        }
    }

    @Override
    public boolean schemaExists(String schema) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
