package dev.gatehouse.enforce.checkpoint;

import java.util.List;

/**
 * What a front end can do about the rows a statement touches: whether it counts a limited write's rows
 * ({@link RowGuard}), and how it asks the planner for an estimate of a held statement. The I/O is the front
 * end's; what to run and how to read the answer is the core's ({@link Explain}).
 *
 * <p>Threads: called by the checkpoint on the thread that decides the statement, while the front end waits for
 * the answer, so the front end may use the session's connection.
 */
public interface RowSight {

    /**
     * Whether this front end runs a write the policy limits by its rows inside a savepoint and reports the count
     * ({@link Outcome.Allow#rows()}). When false, a limited write gets its limits' actions at once (fail closed).
     */
    boolean counts();

    /**
     * Runs {@code explainPrefix} followed by the statement being decided (the front end's own text of it, with
     * the same parameters bound) on the session's connection and returns the plan, as the first column's text of
     * the answer. Must leave the session as it found it (a failed EXPLAIN must not abort the client's transaction)
     * and never run the statement itself.
     *
     * @param explainPrefix for example {@code EXPLAIN (FORMAT JSON) }
     * @param parameters    the values bound to the statement, by position (null for none)
     * @return the plan, or null when this front end does not estimate (then the impact is not known)
     * @throws Exception when the EXPLAIN failed (the impact is then not known, with the reason)
     */
    String plan(String explainPrefix, List<?> parameters) throws Exception;

    /** Counts nothing, estimates nothing: limited writes get their actions at once. */
    RowSight NONE = new RowSight() {
        @Override
        public boolean counts() {
            return false;
        }

        @Override
        public String plan(String explainPrefix, List<?> parameters) {
            return null;
        }
    };
}
