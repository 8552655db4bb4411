package dev.gatehouse.jdbc.guard;

import dev.gatehouse.enforce.checkpoint.Outcome;

/**
 * The one seam between the driver and the policy: the driver describes what is about to run, the guard
 * answers allow, deny or review. Everything else (turning an answer into a {@code SQLException}, holding a
 * statement bounded by the maximum wait, {@code setQueryTimeout} and {@code cancel()}, leaving a transaction
 * as the database would after an error) is the driver's job, so an implementation over the policy engine
 * and the approvals library stays small.
 *
 * <p>Threads: called on the thread that executes the statement (any thread the application uses, virtual
 * threads included), never concurrently for one connection unless the application shares a connection
 * across threads. Implementations must be thread-safe if they are shared between connections.
 *
 * <p>Fail closed: a guard that cannot decide throws; the driver then refuses the statement (SQLSTATE
 * {@code ZG003}) and it never reaches the database.
 */
public interface StatementGuard {

    /**
     * Early classification when a statement is prepared ({@code prepareStatement}, {@code prepareCall}) or
     * translated ({@code nativeSQL}); {@code execution.parameters()} is null. Only {@link Outcome.Deny} is
     * acted upon here (the statement is refused before it is created); the decision that counts is made by
     * {@link #check} at execute time with the bound parameter values. Must not open approval requests.
     */
    Outcome prepare(Execution execution);

    /**
     * Decides one execution. For a batch the driver calls this once per batch element, all before anything
     * of the batch runs. A {@link Outcome.Review} carries the pending request; the driver waits on it or
     * fails at once according to its mode.
     */
    Outcome check(Execution execution);
}
