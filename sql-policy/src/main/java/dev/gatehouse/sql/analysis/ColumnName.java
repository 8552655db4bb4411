package dev.gatehouse.sql.analysis;

import java.util.Objects;

/** A column of a table, reported as {@code schema.table.column}. */
public record ColumnName(TableName table, String column) implements Comparable<ColumnName> {
    public ColumnName {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
    }

    /** The name standing for every column of a table whose columns are not known ({@code SELECT * FROM t}). */
    public static final String EVERY_COLUMN = "*";

    /** Every column of {@code table}: a star, whole row, DELETE or COPY over a table the catalog does not describe. */
    public static ColumnName everyColumnOf(TableName table) {
        return new ColumnName(table, EVERY_COLUMN);
    }

    public boolean everyColumn() {
        return column.equals(EVERY_COLUMN);
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
