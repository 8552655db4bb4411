package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.TableName;

import java.util.List;
import java.util.Set;

/**
 * One entry of a FROM clause (or an UPDATE/DELETE/MERGE target) as column references see it.
 *
 * @param alias   the name column references qualify with: the alias, else the table's own name
 * @param table   the table or view it names; null for CTEs, derived tables and functions
 * @param kind    how its columns map to base columns
 * @param columns TABLE: the catalog's columns; OPAQUE: the declared names, or null when any name resolves
 * @param shape   DERIVED only: output names and their lineage
 */
record Source(String alias, TableName table, Kind kind, List<String> columns, Shape shape) {

    /** Closed set of FROM-item shapes; every resolution switch covers all of them. */
    enum Kind {
        /** A base table the catalog knows: column {@code c} is {@code table.c}. */
        TABLE,
        /** A table the catalog does not know: any column name is taken as written, stars cannot expand. */
        UNKNOWN_TABLE,
        /** A CTE, view or subquery: columns map to base columns through its shape. */
        DERIVED,
        /** A set-returning function, VALUES or ON CONFLICT's {@code excluded}: no stored data behind it. */
        OPAQUE
    }

    static Source table(String alias, TableName table, List<String> columns) {
        return new Source(alias, table, Kind.TABLE, columns, null);
    }

    static Source unknownTable(String alias, TableName table) {
        return new Source(alias, table, Kind.UNKNOWN_TABLE, null, null);
    }

    static Source derived(String alias, TableName view, Shape shape) {
        return new Source(alias, view, Kind.DERIVED, shape.names(), shape);
    }

    static Source opaque(String alias, List<String> columns) {
        return new Source(alias, null, Kind.OPAQUE, columns, null);
    }

    /** Hot path: position of {@code column} among the known columns, -1 when absent or unknown. */
    int indexOf(String column) {
        List<String> c = columns;
        if (c == null) {
            return -1;
        }
        for (int i = 0, size = c.size(); i < size; i++) {
            if (c.get(i).equals(column)) {
                return i;
            }
        }
        return -1;
    }

    /** Adds the base columns behind column {@code index} (from {@link #indexOf}). */
    void addColumn(int index, Set<ColumnName> into) {
        switch (kind) {
            case TABLE -> into.add(new ColumnName(table, columns.get(index)));
            case DERIVED -> into.addAll(shape.lineage().get(index));
            case UNKNOWN_TABLE, OPAQUE -> {
                // no stored columns to name
            }
        }
    }

    /** Whether every column of this source is known (a star over it expands completely). */
    boolean shapeKnown() {
        return switch (kind) {
            case TABLE, OPAQUE -> true;
            case DERIVED -> shape.complete();
            case UNKNOWN_TABLE -> false;
        };
    }
}
