package dev.gatehouse.sql.analysis;

import java.util.List;
import java.util.Set;

/**
 * Everything Gatehouse knows about one statement, independent of any policy.
 *
 * @param sql             the statement's text as submitted, without its terminating semicolon
 * @param kinds           never empty; {@code {UNKNOWN}} when the statement could not be read
 * @param operation       the leading verb in upper case ({@code SELECT}, {@code DROP}, {@code GRANT}, ...)
 * @param tables          every table touched, schema-qualified, with its uses
 * @param reads           columns whose values the statement can observe (select list, WHERE, JOIN, ORDER BY, RETURNING...)
 * @param writes          columns the statement changes
 * @param functions       functions called, lower-cased as the dialect folds them, qualified when written qualified
 * @param unbounded       an UPDATE/DELETE without a WHERE (or with a constant-true one), or a TRUNCATE
 * @param lineageComplete false when tables or columns could not all be resolved; column and table rules then
 *                        cannot prove a statement harmless, and the policy's {@code unparsed} default applies
 * @param literalsMatter  true when a literal's value influenced this analysis (a constant-true WHERE, the
 *                        setting named by set_config, a SET value...): such a statement must never share a cached
 *                        answer with text that differs only in literals
 * @param notes           short explanations: why a kind was given, what could not be read
 * @param rowCount        what the server's row count tells of the table rows it writes (a max_rows limit counts on it)
 */
public record StatementInfo(
        String sql,
        Set<Kind> kinds,
        String operation,
        List<TableAccess> tables,
        Set<ColumnName> reads,
        Set<ColumnName> writes,
        Set<String> functions,
        boolean unbounded,
        boolean lineageComplete,
        boolean literalsMatter,
        List<String> notes,
        RowCount rowCount) {

    /** A statement whose form the reader did not tell: its row count is {@link RowCount#failClosed}. */
    public StatementInfo(String sql, Set<Kind> kinds, String operation, List<TableAccess> tables, Set<ColumnName> reads,
                         Set<ColumnName> writes, Set<String> functions, boolean unbounded, boolean lineageComplete,
                         boolean literalsMatter, List<String> notes) {
        this(sql, kinds, operation, tables, reads, writes, functions, unbounded, lineageComplete, literalsMatter, notes,
                RowCount.failClosed(kinds, tables, lineageComplete));
    }

    public StatementInfo {
        java.util.Objects.requireNonNull(rowCount, "rowCount");
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a statement has at least one kind (UNKNOWN when unread)");
        }
        kinds = Set.copyOf(kinds);
        tables = List.copyOf(tables);
        reads = Set.copyOf(reads);
        writes = Set.copyOf(writes);
        functions = Set.copyOf(functions);
        notes = List.copyOf(notes);
    }

    public boolean isUnknown() {
        return kinds.contains(Kind.UNKNOWN);
    }
}
