package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.analysis.RowCount;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * What MySQL's and MariaDB's affected-rows count tells of a write, by its form in the parser's tree: UPDATE and
 * DELETE (multi-table ones too) count every row they change in every table, REPLACE counts the rows it
 * removes as well as the ones it adds, and INSERT ... ON DUPLICATE KEY UPDATE counts updated rows twice: the
 * count is never below the rows touched.
 *
 * <p>Threads: stateless; runs on the analysing thread.
 */
final class MysqlRowCount {
    private MysqlRowCount() {
    }

    /** @return null for statements of no writing form (their classification decides, failing closed) */
    static RowCount of(Statement statement) {
        if (statement instanceof Update || statement instanceof Delete || statement instanceof Merge
                || statement instanceof Upsert) {
            return RowCount.COUNTED;
        }
        if (statement instanceof Insert insert) {
            boolean conflict = (insert.getDuplicateUpdateSets() != null && !insert.getDuplicateUpdateSets().isEmpty())
                    || insert.getConflictAction() != null;
            if (conflict) {
                return RowCount.COUNTED;
            }
            Select source = insert.getSelect();
            return source == null || source instanceof Values ? RowCount.LISTED : RowCount.COUNTED;
        }
        return null;
    }
}
