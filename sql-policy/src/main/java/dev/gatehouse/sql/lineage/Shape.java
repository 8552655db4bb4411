package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.analysis.ColumnName;

import java.util.List;
import java.util.Set;

/**
 * The output columns of a query (or a CTE, view, derived table) and, for each, the base-table columns its
 * values come from.
 *
 * @param names    output column names in order, case-folded
 * @param lineage  for each output column, the base columns that flow into it (same size as names)
 * @param complete false when a star over a relation of unknown shape was expanded: columns may be missing
 * Immutable once built; lineage sets are only read after the walk that made them.
 */
record Shape(List<String> names, List<Set<ColumnName>> lineage, boolean complete) {

    int indexOf(String column) {
        List<String> n = names;
        for (int i = 0, size = n.size(); i < size; i++) {
            if (n.get(i).equals(column)) {
                return i;
            }
        }
        return -1;
    }

    /** The same lineage under other names (a view's or alias's column list), position by position. */
    Shape renamed(List<String> newNames) {
        if (newNames == null || newNames.isEmpty()) {
            return this;
        }
        int size = names.size();
        String[] out = names.toArray(new String[0]);
        for (int i = 0; i < size && i < newNames.size(); i++) {
            out[i] = newNames.get(i);
        }
        return new Shape(List.of(out), lineage, complete);
    }
}
