package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.checkpoint.RowGuard;
import dev.gatehouse.enforce.hold.HoldSite;
import dev.gatehouse.jdbc.rows.Undo;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs a write the policy limits by its rows, following {@link RowGuard}'s protocol: inside an {@link Undo}, the
 * count from JDBC's update counts, then kept, or undone before the application sees anything and answered as the
 * count decided (denied, held, or held and run again after the approval, within the approved count).
 *
 * <p>What the driver cannot count it does not guess: a text of several statements, a write whose result is rows
 * (RETURNING through {@code executeQuery}, or {@code execute} that answers with a result set), a batch element
 * without its count. Those are undone and get their limits' actions ({@link RowGuard#uncounted}); so is a write
 * to a table a rollback cannot undo, which is not run at all.
 *
 * <p>Threads: the thread executing the statement; a hold in it is cancellable through the statement's
 * {@link HoldSite}.
 */
final class RowRun {
    private RowRun() {
    }

    /** The application's own call on the real statement (the same call again after an approval). */
    @FunctionalInterface
    interface Run<T> {
        T run() throws SQLException;
    }

    /** The rows a result reports, or -1 when they cannot be read from it without consuming it. */
    @FunctionalInterface
    interface Count<T> {
        long of(T result, Statement raw) throws SQLException;
    }

    /**
     * @param batch the run is {@code executeBatch}: a refusal is a {@code BatchUpdateException}, none of it ran
     */
    static <T> T counted(Admission admission, RowGuard first, Statement raw, HoldSite site, int queryTimeoutSeconds,
                         Run<T> run, Count<T> count, boolean batch) throws SQLException {
        long deadline = admission.deadline(queryTimeoutSeconds);
        RowGuard guard = first;
        while (true) {
            Outcome outcome;
            String cannot = guard.singleStatements() ? admission.rows().cannotUndo(guard.writtenTables())
                    : "a text of several statements is not counted by the JDBC driver";
            if (cannot != null) {
                outcome = guard.uncounted(cannot);
                if (outcome == Outcome.ALLOW) {
                    return run.run(); // approved without a count: it runs, once, as approved
                }
            } else {
                Undo undo = Undo.open(admission.vendor(), admission.raw());
                T result;
                long rows;
                try {
                    result = run.run();
                    rows = count.of(result, raw);
                } catch (SQLException | RuntimeException e) {
                    SQLException failure = e instanceof SQLException s ? s : new SQLException(e);
                    undo.failed(failure);
                    throw e;
                }
                outcome = rows >= 0 ? guard.counted(rows)
                        : guard.uncounted("a write whose result is rows (RETURNING) is not counted by the JDBC driver");
                if (outcome == Outcome.ALLOW) {
                    undo.keep();
                    return result;
                }
                undo.back();
                if (result instanceof ResultSet rs) {
                    rs.close();
                }
            }
            try {
                guard = admission.settle(outcome, site, deadline);
            } catch (SQLException refused) {
                throw batch ? Refusals.forBatch(refused) : refused;
            }
            if (guard == null) {
                return run.run(); // approved, and its approved run is not limited
            }
        }
    }

    static long ofInt(Integer n, Statement raw) {
        return n;
    }

    static long ofLong(Long n, Statement raw) {
        return n;
    }

    /** {@code execute}: an update count when its first result is one, nothing to count when it is rows. */
    static long ofExecute(Boolean rowsFirst, Statement raw) throws SQLException {
        return rowsFirst ? -1 : raw.getLargeUpdateCount();
    }

    static long ofRows(ResultSet rs, Statement raw) {
        return -1;
    }

    static long ofBatch(int[] counts, Statement raw) {
        long sum = 0;
        for (int n : counts) {
            if (n < 0) {
                return -1; // SUCCESS_NO_INFO: the driver rewrote the batch and does not know
            }
            sum += n;
        }
        return sum;
    }

    static long ofLargeBatch(long[] counts, Statement raw) {
        long sum = 0;
        for (long n : counts) {
            if (n < 0) {
                return -1;
            }
            sum += n;
        }
        return sum;
    }
}
