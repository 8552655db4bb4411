package dev.gatehouse.sql.analysis;

import java.util.List;
import java.util.Set;

/**
 * What the server's row count (PostgreSQL's command tag, MySQL's affected rows, JDBC's update count) tells of
 * the table rows a statement writes: the fact a {@code max_rows} limit is enforced on. Declared from the count
 * that tells most to the one that tells nothing, so two readings of one text combine with {@link #either}.
 *
 * <p>Threads: immutable; any thread.
 */
public enum RowCount {
    /** Writes no rows of tables: reads, session statements, DDL that moves no rows, {@code nextval}. */
    NONE,
    /**
     * {@code INSERT ... VALUES} (or {@code DEFAULT VALUES}, MySQL {@code INSERT ... SET}) without
     * {@code ON CONFLICT} or {@code ON DUPLICATE KEY UPDATE}: adds the rows its text lists and touches no row that
     * was there.
     */
    LISTED,
    /**
     * The count is every row the statement itself inserts, updates or deletes: UPDATE, DELETE, MERGE, MySQL
     * REPLACE, and INSERT from a query or with ON CONFLICT / ON DUPLICATE KEY UPDATE, with no data-modifying
     * WITH inside (whose rows the count leaves out).
     */
    COUNTED,
    /**
     * Writes table rows the count does not report: a data-modifying WITH, COPY FROM, TRUNCATE, CREATE TABLE AS,
     * a DO block, EXPLAIN ANALYZE of a write, EXECUTE of a prepared write, or a write Gatehouse could not read.
     */
    UNCOUNTED;

    /** Two readings of one text: whichever count tells less. */
    public RowCount either(RowCount other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /**
     * For a statement read without knowing its form: a write of table rows (or a write whose tables are not all
     * known) is {@link #UNCOUNTED}, anything else {@link #NONE}. Fail closed: the count of a form not known
     * here is never trusted.
     */
    public static RowCount failClosed(Set<Kind> kinds, List<TableAccess> tables, boolean lineageComplete) {
        if (!kinds.contains(Kind.WRITE)) {
            return NONE;
        }
        if (!lineageComplete) {
            return UNCOUNTED;
        }
        for (TableAccess t : tables) {
            if (t.uses().contains(TableUse.WRITE)) {
                return UNCOUNTED;
            }
        }
        return NONE;
    }
}
