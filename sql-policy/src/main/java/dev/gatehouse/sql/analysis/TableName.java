package dev.gatehouse.sql.analysis;

import java.util.Objects;

/** A schema-qualified table (or view) name, already case-folded by the dialect's rules. */
public record TableName(String schema, String name) implements Comparable<TableName> {
    public TableName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
    }

    /** The name standing for every table of a schema (a statement on the schema itself). */
    public static final String EVERY_TABLE = "*";

    /** Every table of the schema: {@code DROP SCHEMA s CASCADE} reaches them all. */
    public static TableName everyTableOf(String schema) {
        return new TableName(schema, EVERY_TABLE);
    }

    public boolean schemaWide() {
        return name.equals(EVERY_TABLE);
    }

    /** {@code schema.name}, the form policies match against. */
    public String qualified() {
        return schema + "." + name;
    }

    @Override
    public int compareTo(TableName o) {
        int c = schema.compareTo(o.schema);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return qualified();
    }
}
