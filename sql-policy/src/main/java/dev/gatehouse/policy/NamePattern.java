package dev.gatehouse.policy;

import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.TableName;

import java.util.List;

/**
 * A dotted glob for tables ({@code schema.table}) or columns ({@code schema.table.column}), split into its
 * parts once at load time. A pattern with fewer parts matches the trailing parts of a name: {@code users}
 * matches a table of that name in any schema, {@code users.ssn} that column of a {@code users} table in any
 * schema. Each part is a {@link Glob}, so {@code *} never crosses a dot. Names are compared ignoring case:
 * the analyzer reports them already folded by the dialect, and a policy should not depend on that folding.
 *
 * @param text  the pattern as written in the policy, for explanations
 * @param parts the dot-separated parts, 1 to 3
 */
public record NamePattern(String text, List<String> parts) {
    public NamePattern {
        parts = List.copyOf(parts);
    }

    /** Splits at dots. Callers validate the number of parts for their use. */
    public static NamePattern parse(String text) {
        java.util.ArrayList<String> parts = new java.util.ArrayList<>(3);
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '.') {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return new NamePattern(text, parts);
    }

    public boolean matches(TableName table) {
        if (table.schemaWide()) {
            // DROP SCHEMA s CASCADE, ALTER SCHEMA s RENAME: every table of s, whichever a rule names
            return parts.size() == 1 || (parts.size() == 2 && part(0, table.schema()));
        }
        return switch (parts.size()) {
            case 1 -> part(0, table.name());
            case 2 -> part(0, table.schema()) && part(1, table.name());
            default -> false;
        };
    }

    public boolean matches(ColumnName column) {
        if (column.everyColumn()) {
            // every column of a table whose columns are not known: any column of it may be the one named
            return switch (parts.size()) {
                case 1 -> true;
                case 2 -> matchesTable(1, column.table());
                case 3 -> matchesTable(2, column.table());
                default -> false;
            };
        }
        return switch (parts.size()) {
            case 1 -> part(0, column.column());
            case 2 -> part(0, column.table().name()) && part(1, column.column());
            case 3 -> part(0, column.table().schema()) && part(1, column.table().name()) && part(2, column.column());
            default -> false;
        };
    }

    /** The table parts of a column pattern with {@code size} parts, the table being schema-wide or not. */
    private boolean matchesTable(int size, TableName table) {
        boolean name = table.schemaWide() || part(size - 1, table.name());
        return size == 1 ? name : name && part(0, table.schema());
    }

    private boolean part(int index, String name) {
        return Glob.matches(parts.get(index), name, true);
    }

    @Override
    public String toString() {
        return text;
    }
}
