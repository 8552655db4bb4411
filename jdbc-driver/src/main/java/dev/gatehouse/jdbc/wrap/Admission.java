package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.enforce.hold.HoldEnd;
import dev.gatehouse.enforce.hold.HoldLoop;
import dev.gatehouse.enforce.hold.HoldSite;
import dev.gatehouse.enforce.refusal.Refusal;
import dev.gatehouse.enforce.guard.Origin;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.checkpoint.RowGuard;
import dev.gatehouse.jdbc.rows.ConnectionRows;
import dev.gatehouse.enforce.guard.SessionState;
import dev.gatehouse.enforce.guard.StatementGuard;
import dev.gatehouse.jdbc.session.SessionTracker;
import dev.gatehouse.jdbc.session.Vendor;
import dev.gatehouse.policy.ReviewSpec.HoldMode;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, for one connection, whether an execution may reach the database: asks the guard, and turns its
 * answer into either a return (run it) or a {@code SQLException} (it never runs). Holds a statement under
 * review, bounded by {@code gatehouse.max-wait} and the statement's query timeout, and cancellable. After any
 * refusal the transaction is left as the database leaves it after a failed statement.
 *
 * <p>Threads: the thread executing the statement; {@link HoldSite#cancel} reaches a hold from other threads.
 */
final class Admission {
    /**
     * A JDBC call has no channel for "still waiting" notices, and its caller is there while its thread waits:
     * {@code Statement#cancel()} and {@code Connection#close()} reach the hold through its {@link HoldSite}.
     */
    private static final HoldLoop.Waiter PRESENT = new HoldLoop.Waiter() {
        @Override
        public boolean present() {
            return true;
        }

        @Override
        public boolean stillWaiting(Outcome.Review review) {
            return true;
        }
    };
    private static final Duration NO_NOTICES = Duration.ofDays(365);

    private final StatementGuard guard;
    private final Vendor vendor;
    private final Connection raw;
    private final SessionTracker session;
    /** What this connection tells the core of the rows its statements touch; runs the undo of a counted write. */
    private final ConnectionRows rows;
    private final long maxWaitNanos;
    /** Where this connection's statements wait now: closing the connection withdraws them. */
    private final Set<HoldSite> waiting = ConcurrentHashMap.newKeySet();
    /** The connection's {@code gatehouse.review} setting: overrides each rule's hold mode when given. */
    private final HoldMode connectionMode;

    Admission(StatementGuard guard, Vendor vendor, Connection raw, SessionTracker session, Duration maxWait,
              HoldMode connectionMode, ConnectionRows rows) {
        this.guard = guard;
        this.vendor = vendor;
        this.raw = raw;
        this.session = session;
        this.rows = rows;
        this.maxWaitNanos = maxWait.toNanos();
        this.connectionMode = connectionMode;
    }

    SessionTracker session() {
        return session;
    }

    /**
     * The connection is closing or aborted (on any thread): every statement still waiting for approval is
     * withdrawn and its waiter woken, so no request outlives its client.
     */
    void withdrawWaiting() {
        for (HoldSite site : waiting) {
            site.cancel();
        }
    }

    /**
     * Hot path: one guard call; an allowed statement allocates nothing here.
     *
     * @return null: run it as it is; otherwise run it counted under this guard ({@link RowRun})
     */
    RowGuard admit(Execution execution, HoldSite site, int queryTimeoutSeconds) throws SQLException {
        Outcome outcome = check(execution);
        if (outcome == Outcome.ALLOW) {
            return null;
        }
        return settle(outcome, site, deadline(queryTimeoutSeconds));
    }

    /**
     * A whole batch: every element decided, and every hold released, before anything of it runs.
     *
     * @return null: run it as it is; otherwise run it counted, as a whole, under this guard
     */
    RowGuard admitBatch(List<Execution> executions, HoldSite site, int queryTimeoutSeconds) throws SQLException {
        int n = executions.size();
        Outcome[] outcomes = new Outcome[n];
        for (int i = 0; i < n; i++) {
            try {
                outcomes[i] = check(executions.get(i));
            } catch (SQLException e) {
                withdraw(outcomes, 0, i, true);
                throw Refusals.forBatch(e);
            }
        }
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Failed failed) {
                withdraw(outcomes, 0, n, true);
                throw Refusals.forBatch(refuse(Refusals.undecided(failed)));
            }
            if (o instanceof Outcome.Deny deny) {
                withdraw(outcomes, 0, n, true);
                throw Refusals.forBatch(refuse(Refusals.denied(deny)));
            }
        }
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Review review && mode(review) == HoldMode.FAIL) {
                // The FAIL requests stay open for the retry; nobody will wait on the WAIT ones now.
                withdraw(outcomes, 0, n, false);
                throw Refusals.forBatch(refuse(Refusals.pending(review)));
            }
        }
        long deadline = deadline(queryTimeoutSeconds);
        List<RowGuard> guards = null;
        for (int i = 0; i < n; i++) {
            RowGuard counted = null;
            if (outcomes[i] instanceof Outcome.Review review) {
                try {
                    hold(review, site, deadline);
                } catch (SQLException e) {
                    withdraw(outcomes, i + 1, n, true);
                    throw Refusals.forBatch(e);
                }
                counted = review.rerun();
            } else if (outcomes[i] instanceof Outcome.Allow allow) {
                counted = allow.rows();
            }
            if (counted != null) {
                guards = guards == null ? new ArrayList<>() : guards;
                guards.add(counted);
            }
        }
        // A batch counts as a whole: one undo point, one count, one request when it goes over.
        return guards == null ? null : RowGuard.ofBatch(guards);
    }

    /**
     * The settings the connection made when it connected (URL {@code options}, {@code currentSchema},
     * {@code sessionVariables}), decided and audited as the {@code SET} statements they are. A held one is
     * refused at once (ZG001) whatever the hold mode, since nothing should block inside a pool's connect;
     * connecting again once it is approved runs it once.
     */
    void admitConnect(String settingsSql) throws SQLException {
        Outcome outcome = check(Execution.of(settingsSql, null, Origin.CONNECT, session.current()));
        if (outcome instanceof Outcome.Review review) {
            throw refuse(Refusals.pending(review));
        }
        settle(outcome, null, 0);
    }

    /** Classification when a statement is prepared: only a denial acts, the decision comes at execute. */
    void prepare(String sql, Origin origin) throws SQLException {
        Outcome outcome;
        try {
            outcome = guard.prepare(Execution.of(vendor.asRun(raw, sql, true), null, List.of(), origin, session.current(), false));
        } catch (RuntimeException e) {
            throw Refusals.guardFailed(e);
        }
        // No transaction abort here: like a client-side error, nothing reached the server.
        if (outcome instanceof Outcome.Deny deny) {
            throw Refusals.denied(deny);
        }
        if (outcome instanceof Outcome.Failed failed) {
            throw Refusals.undecided(failed);
        }
        if (outcome == null) {
            throw Refusals.guardFailed(new IllegalStateException("the guard gave no outcome"));
        }
    }

    /** Hot path: the session the guard sees for the next statement. */
    SessionState sessionState() throws SQLException {
        return session.current();
    }

    private Outcome check(Execution execution) throws SQLException {
        Outcome outcome;
        // What an estimate explains, as the application wrote it: now, or when its guarded run cannot be counted.
        rows.deciding(execution);
        try {
            String sql = execution.sql();
            String run = vendor.asRun(raw, sql, execution.parameters() != null);
            outcome = guard.check(run == sql ? execution : execution.withSql(run));
        } catch (RuntimeException e) {
            throw refuse(Refusals.guardFailed(e));
        }
        if (outcome == null) {
            throw refuse(Refusals.guardFailed(new IllegalStateException("the guard gave no outcome")));
        }
        return outcome;
    }

    /**
     * Acts on an outcome that is not the plain allow: returns when the statement may run (with the guard it runs
     * counted under, or null), throws its refusal otherwise; a review in WAIT mode is held until decided.
     */
    RowGuard settle(Outcome outcome, HoldSite site, long deadline) throws SQLException {
        return switch (outcome) {
            case Outcome.Allow allow -> allow.rows();
            case Outcome.Deny deny -> throw refuse(Refusals.denied(deny));
            case Outcome.Failed failed -> throw refuse(Refusals.undecided(failed));
            case Outcome.Review review -> switch (mode(review)) {
                case FAIL -> throw refuse(Refusals.pending(review));
                case WAIT -> {
                    hold(review, site, deadline);
                    yield review.rerun();
                }
            };
        };
    }

    /** The connection's row counting: the undo of its writes and what it cannot undo. */
    ConnectionRows rows() {
        return rows;
    }

    Vendor vendor() {
        return vendor;
    }

    Connection raw() {
        return raw;
    }

    /** Blocks until approved (returns), or refuses: denied, expired, timed out, cancelled, interrupted. */
    private void hold(Outcome.Review review, HoldSite site, long deadline) throws SQLException {
        HoldEnd end;
        waiting.add(site);
        try {
            end = HoldLoop.await(review, site, deadline, NO_NOTICES, PRESENT);
        } finally {
            waiting.remove(site);
        }
        switch (end) {
            case HoldEnd.Run run -> { }
            case HoldEnd.ClientGone gone -> throw refuse(Refusals.of(new Refusal.Cancelled(review.requestId()),
                    vendor.cancelledState(), null));
            case HoldEnd.Refused refused -> {
                SQLException refusal = refuse(Refusals.of(refused.refusal(), vendor.cancelledState(), refused.cause()));
                if (refused.interrupted()) {
                    // The application interrupted its own thread: give the interrupt back, but only after refuse()
                    // has talked to the server (an interrupted virtual thread's socket I/O closes the socket).
                    Thread.currentThread().interrupt();
                }
                throw refusal;
            }
        }
    }

    private HoldMode mode(Outcome.Review review) {
        return connectionMode != null ? connectionMode : review.mode();
    }

    long deadline(int queryTimeoutSeconds) {
        long wait = maxWaitNanos;
        if (queryTimeoutSeconds > 0) {
            wait = Math.min(wait, queryTimeoutSeconds * 1_000_000_000L);
        }
        return System.nanoTime() + wait;
    }

    private void withdraw(Outcome[] outcomes, int from, int to, boolean failModeToo) {
        for (int i = from; i < to; i++) {
            if (outcomes[i] instanceof Outcome.Review review && (failModeToo || mode(review) == HoldMode.WAIT)) {
                review.hold().withdraw();
            }
        }
    }

    /** Leaves the transaction as the database would after an error, then hands back the exception to throw. */
    private SQLException refuse(SQLException refusal) {
        try {
            vendor.afterRefusal(raw);
        } catch (SQLException e) {
            refusal.addSuppressed(e);
        }
        return refusal;
    }
}
