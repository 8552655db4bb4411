package dev.gatehouse.sql.catalog;

import dev.gatehouse.sql.analysis.TableName;

import java.util.List;

/**
 * A table or view known to a {@link Catalog}.
 *
 * @param name       schema-qualified, case-folded
 * @param columns    in declaration order, case-folded
 * @param definition for a view, its SELECT text (lineage reads through it); null for a table
 * @param foreign    a PostgreSQL foreign table: its wrapper, not the server's transaction, keeps its writes, so a
 *                   rollback may not undo them (MySQL relations never are)
 */
public record Relation(TableName name, List<String> columns, String definition, boolean foreign) {
    public Relation {
        columns = List.copyOf(columns);
        if (foreign && definition != null) {
            throw new IllegalArgumentException(name + ": a foreign table has no view definition");
        }
    }

    /** A table or view of the server's own. */
    public Relation(TableName name, List<String> columns, String definition) {
        this(name, columns, definition, false);
    }

    public boolean isView() {
        return definition != null;
    }

    /** The same relation under another name (renamed, or moved to another schema). */
    public Relation named(TableName to) {
        return new Relation(to, columns, definition, foreign);
    }

    /** The same relation with other columns (ALTER TABLE). */
    public Relation withColumns(List<String> newColumns) {
        return new Relation(name, newColumns, definition, foreign);
    }
}
