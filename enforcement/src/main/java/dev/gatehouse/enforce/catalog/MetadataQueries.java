package dev.gatehouse.enforce.catalog;

import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Relation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The two metadata reads every {@link RelationSource} makes, over a query of the database's own: a relation as
 * rows of (kind, column, view text) for (schema, name), and whether a row exists for a name.
 * Runs on the thread that asks the catalog.
 */
final class MetadataQueries {
    private MetadataQueries() {
    }

    /**
     * @param foldColumns lower-case column names (MySQL compares them case-insensitively; PostgreSQL's are exact)
     * @param foreignKind the kind a foreign table reports (PostgreSQL's relkind {@code f}), or null when the
     *                    database has none (MySQL)
     */
    static Optional<Relation> relation(Connection connection, String query, TableName name, boolean foldColumns,
                                       String foreignKind) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            ps.setString(1, name.schema());
            ps.setString(2, name.name());
            try (ResultSet rs = ps.executeQuery()) {
                List<String> columns = new ArrayList<>();
                String definition = null;
                boolean found = false;
                boolean foreign = false;
                while (rs.next()) {
                    found = true;
                    String column = rs.getString(2);
                    if (column != null) {
                        columns.add(foldColumns ? column.toLowerCase(Locale.ROOT) : column);
                    }
                    definition = ViewText.trim(rs.getString(3));
                    foreign = foreignKind != null && foreignKind.equals(rs.getString(1));
                }
                return found ? Optional.of(new Relation(name, columns, definition, foreign)) : Optional.empty();
            }
        }
    }

    static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(query)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
