package dev.gatehouse.policy;

import dev.gatehouse.sql.analysis.StatementInfo;

import java.util.Objects;

/**
 * One statement of a submission with its own verdict.
 *
 * @param verdict   the verdict while it touches no more rows than its limits allow (without limits: the verdict)
 * @param rowLimits the limits on the rows it writes ({@link RowLimits#NONE} for most statements)
 */
public record StatementDecision(StatementInfo statement, Verdict verdict, RowLimits rowLimits) {
    public StatementDecision(StatementInfo statement, Verdict verdict) {
        this(statement, verdict, RowLimits.NONE);
    }

    public StatementDecision {
        Objects.requireNonNull(rowLimits, "rowLimits");
    }

    /** This statement once the write touched {@code rows}. */
    StatementDecision atRows(long rows) {
        return rowLimits.isEmpty() ? this : new StatementDecision(statement, rowLimits.at(verdict, rows), rowLimits);
    }

    /** This statement when its rows could not be counted: every limit applies. */
    StatementDecision uncounted(String why) {
        return rowLimits.isEmpty() ? this : new StatementDecision(statement, rowLimits.uncounted(verdict, why), rowLimits);
    }
}
