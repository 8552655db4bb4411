package dev.gatehouse.sql.catalog;

import dev.gatehouse.sql.analysis.TableName;

import java.util.List;

/**
 * A table or view known to a {@link Catalog}.
 *
 * @param name       schema-qualified, case-folded
 * @param columns    in declaration order, case-folded
 * @param definition for a view, its SELECT text (lineage reads through it); null for a table
 */
public record Relation(TableName name, List<String> columns, String definition) {
    public Relation {
        columns = List.copyOf(columns);
    }

    public boolean isView() {
        return definition != null;
    }
}
