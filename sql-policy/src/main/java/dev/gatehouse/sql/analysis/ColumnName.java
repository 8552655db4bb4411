package dev.gatehouse.sql.analysis;

import java.util.Objects;

/** A column of a table, reported as {@code schema.table.column}. */
public record ColumnName(TableName table, String column) implements Comparable<ColumnName> {
    public ColumnName {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
    }

    public String qualified() {
        return table.qualified() + "." + column;
    }

    @Override
    public int compareTo(ColumnName o) {
        int c = table.compareTo(o.table);
        return c != 0 ? c : column.compareTo(o.column);
    }

    @Override
    public String toString() {
        return qualified();
    }
}
