package dev.gatehouse.policy;

import dev.gatehouse.sql.analysis.Kind;

import java.util.List;
import java.util.Set;

/**
 * The criteria of a rule's {@code match} or {@code except}. Every list is any-of; every given field must
 * hold. An empty list means the field was not given (the loader rejects empty lists in the file).
 *
 * @param unbounded null when not given; otherwise the statement's {@code unbounded} must equal it
 */
public record Match(Set<Kind> kinds, List<String> operations, List<NamePattern> tables, List<NamePattern> columns,
                    List<String> functions, List<String> principals, Boolean unbounded) {
    public Match {
        kinds = Set.copyOf(kinds);
        operations = List.copyOf(operations);
        tables = List.copyOf(tables);
        columns = List.copyOf(columns);
        functions = List.copyOf(functions);
        principals = List.copyOf(principals);
    }

    /** Whether deciding this match needs the statement's tables or columns (so incomplete lineage matters). */
    public boolean needsLineage() {
        return !tables.isEmpty() || !columns.isEmpty();
    }

    public boolean isEmpty() {
        return kinds.isEmpty() && operations.isEmpty() && tables.isEmpty() && columns.isEmpty()
                && functions.isEmpty() && principals.isEmpty() && unbounded == null;
    }
}
