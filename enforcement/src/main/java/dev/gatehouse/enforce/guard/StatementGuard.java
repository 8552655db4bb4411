package dev.gatehouse.enforce.guard;

import dev.gatehouse.enforce.checkpoint.Outcome;

/**
 * The one seam between a front end and the policy: the front end describes what is about to run, the guard
 * answers allow, deny, review or failed. Everything else (turning an answer into protocol messages or a
 * {@code SQLException}, holding a statement in the {@code HoldLoop}, cancel, leaving the transaction as the
 * database would after an error) is the front end's job.
 *
 * <p>Threads: called on the thread that executes the statement (a proxy session's reader, an application's
 * thread), never concurrently for one session. One guard may be shared by many sessions: implementations are
 * thread-safe.
 *
 * <p>Fail closed: a guard that cannot decide answers {@link Outcome.Failed} or throws; the front end then
 * refuses the statement (SQLSTATE ZG003) and it never reaches the database.
 */
public interface StatementGuard {

    /**
     * Early classification when a statement is prepared (a Parse, {@code prepareStatement}, {@code prepareCall},
     * {@code nativeSQL}); no values are bound. Only {@link Outcome.Deny} and {@link Outcome.Failed} act here;
     * the decision that counts is made by {@link #check} with the bound values. Must not open requests.
     */
    Outcome prepare(Execution execution);

    /**
     * Decides one execution. A {@link Outcome.Review} carries the pending request; the front end waits on it or
     * refuses at once according to its mode.
     */
    Outcome check(Execution execution);
}
