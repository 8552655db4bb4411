package dev.gatehouse.proxy.guard;

import dev.gatehouse.enforce.checkpoint.Outcome;

/**
 * The one seam between the proxy and the policy: the proxy describes what is about to be sent, the guard
 * answers allow, deny or review. Everything else (turning an answer into protocol messages, holding a
 * statement bounded by the maximum wait, cancel, leaving the server's transaction as PostgreSQL would after
 * an error) is the proxy's job, so an adapter over the policy engine and the approvals library stays small.
 * Same shape as the JDBC driver's seam so that one adapter can serve both.
 *
 * <p>Threads: called on a session's client-reader thread, never concurrently for one session.
 * One guard is shared by all sessions of a proxy, so implementations must be thread-safe.
 *
 * <p>Fail closed: a guard that cannot decide answers {@link Outcome.Failed} or throws; the proxy then refuses
 * the statement (SQLSTATE {@code ZG003}) and it never reaches the database. The answer types are the
 * checkpoint's ({@code dev.gatehouse.enforce.checkpoint}), shared with the JDBC driver.
 */
public interface StatementGuard {

    /**
     * Early classification when a statement is parsed (extended-query Parse); parameters are empty. Only
     * {@link Outcome.Deny} (and {@link Outcome.Failed}) is acted upon here (the Parse fails as PostgreSQL would fail a bad statement);
     * the decision that counts is made by {@link #check} at Execute with the bound values. Must not open
     * approval requests.
     */
    Outcome prepare(Execution execution);

    /** Decides one execution. A {@link Outcome.Review} carries the pending request. */
    Outcome check(Execution execution);
}
