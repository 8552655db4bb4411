package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.checkpoint.SessionRowSight;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;
import dev.gatehouse.proxy.protocol.frontend.Bind;
import dev.gatehouse.proxy.protocol.frontend.Parse;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * One proxy session's part in counting rows: it counts the writes the policy limits ({@link CountedRun}), and asks
 * the planner, on the session's own connection, for the estimate of a statement being held.
 *
 * <p>The EXPLAIN goes as groups of the proxy's own, before anything of the client's current group reaches the
 * server, so that its failure cannot touch the client's: inside the client's block under a savepoint rolled back
 * after it (so neither a failure nor a lock it took outlives it), outside one in a block of its own rolled back;
 * with a statement_timeout, since a lock could otherwise hold it, and the session, for as long as the lock lasts.
 * Inside a pipeline already under way (something of the group went out) it does not estimate: its own Sync would
 * end the client's group.
 *
 * <p>Threads: the session's client reader, which the checkpoint calls back while it decides.
 */
final class SessionRows extends SessionRowSight {
    static final String SAVEPOINT = "gatehouse_explain";
    /** How long the planner may take (lock waits included) before the estimate is given up. */
    static final int EXPLAIN_TIMEOUT_MILLIS = 5_000;

    private final Upstream upstream;
    private final SessionSettings settings;
    private String sql;
    private Portals.Portal portal;

    SessionRows(Upstream upstream, SessionSettings settings) {
        this.upstream = upstream;
        this.settings = settings;
    }

    /** The statement decided next: a simple Query's text ({@code portal} null) or an Execute's portal. */
    void deciding(String sql, Portals.Portal portal) {
        this.sql = sql;
        this.portal = portal;
    }

    @Override
    public boolean counts() {
        return true;
    }

    @Override
    public String plan(String explainPrefix, List<?> parameters) throws Exception {
        if (sql == null) {
            return null;
        }
        if (!upstream.out.groupUnsent()) {
            throw new IllegalStateException("not estimated inside a pipeline already under way");
        }
        upstream.awaitEveryAnswer();
        byte status = settings.transactionStatus();
        if (status == 'E') {
            throw new IllegalStateException("the transaction is aborted");
        }
        boolean block = status == 'T';
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(OwnStatements.encode(block ? "SAVEPOINT " + SAVEPOINT : "BEGIN",
                "SET LOCAL statement_timeout = " + EXPLAIN_TIMEOUT_MILLIS));
        String explain = explainPrefix + sql;
        int[] types = portal == null || portal.statement == null || portal.statement.parameterTypes == null
                ? new int[0] : portal.statement.parameterTypes;
        OwnStatements.write(out, Parse.encode(OwnStatements.NAME, explain, types, settings.charset()),
                Bind.encode(OwnStatements.NAME, OwnStatements.NAME, portal == null ? null : portal.bind.parameters()));
        Intercept plan = upstream.ownGroup(out.toByteArray());
        // Undone whatever happened (a failed EXPLAIN left its block aborted): the lock and the setting go with it.
        if (block) {
            upstream.ownGroup("ROLLBACK TO SAVEPOINT " + SAVEPOINT, "RELEASE SAVEPOINT " + SAVEPOINT);
        } else {
            upstream.ownGroup("ROLLBACK");
        }
        upstream.await(plan);
        if (plan.error() != null) {
            throw new IllegalStateException(ErrorResponse.messageField(plan.error()));
        }
        return plan.column(0, settings.charset());
    }
}
