package dev.gatehouse.jdbc.session;

import dev.gatehouse.approvals.Source;
import dev.gatehouse.enforce.catalog.LiveCatalog;
import dev.gatehouse.enforce.guard.SessionState;
import dev.gatehouse.enforce.session.SqlScan;
import dev.gatehouse.sql.Dialect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One connection's session as the guard sees it. Re-read from the server only after something that can change
 * it has run (a SET, USE, setSchema, setCatalog, DO/CALL, a transaction end undoing a SET), so the hot path
 * hands the guard the same {@link SessionState} instance again. Also refreshes the live catalog when DDL runs,
 * and again when the transaction it ran in ends (a rollback undoes it).
 *
 * <p>Threads: the connection's thread (JDBC connections are used by one thread at a time).
 */
public final class SessionTracker {
    private final Vendor vendor;
    private final Connection raw;
    private final Dialect dialect;
    private final String principalSetting;
    private final String actingFor;
    private final String application;
    private final LiveCatalog catalog;
    private SessionState state;
    private boolean stale;
    /** Effects ({@link SqlScan#flags}) of statements run in the open transaction: applied again when it ends. */
    private int pendingInTransaction;

    public SessionTracker(Vendor vendor, Connection raw, Dialect dialect, String principalSetting, String actingFor,
                          String application, LiveCatalog catalog) throws SQLException {
        this.vendor = vendor;
        this.raw = raw;
        this.dialect = dialect;
        this.principalSetting = principalSetting;
        this.actingFor = actingFor;
        this.application = application;
        this.catalog = catalog;
        this.state = read(vendor.inTransaction(raw));
    }

    /** Hot path: the session for the next statement; one round trip only when it went stale. */
    public SessionState current() throws SQLException {
        boolean inTransaction = vendor.inTransaction(raw);
        if (stale) {
            try {
                state = read(inTransaction);
                stale = false;
            } catch (SQLException e) {
                // In an aborted transaction nothing but ROLLBACK can run, so the last known session is safe to
                // decide that with; anywhere else an unknown session must stop the statement (fail closed).
                if (!vendor.transactionFailed(raw)) {
                    throw e;
                }
            }
        }
        state = state.withTransaction(inTransaction);
        return state;
    }

    /**
     * Hot path: records what a statement that ran (or was attempted) may have changed ({@link SqlScan#flags}).
     * Never throws: it runs in finally blocks, where it must not hide the statement's own exception.
     */
    public void ran(int effects) {
        if (effects == 0) {
            return;
        }
        apply(effects);
        if ((effects & SqlScan.TRANSACTION_END) != 0) {
            transactionEnded();
        } else if ((effects & SqlScan.SAVEPOINT_ROLLBACK) != 0) {
            rolledBackToSavepoint();
        } else if (inTransactionOrUnknown()) {
            pendingInTransaction |= effects;
        }
    }

    private boolean inTransactionOrUnknown() {
        try {
            return vendor.inTransaction(raw);
        } catch (SQLException e) {
            return true;
        }
    }

    /** {@code setSchema}, {@code setCatalog} and the like went through the JDBC API. */
    public void sessionChanged() {
        stale = true;
    }

    /** commit, rollback or auto-commit switched on through the JDBC API, or COMMIT/ROLLBACK as SQL. */
    public void transactionEnded() {
        apply(pendingInTransaction);
        pendingInTransaction = 0;
    }

    /**
     * A rollback to a savepoint (JDBC API or SQL): what ran since may be undone, so it is re-read now; the
     * transaction goes on, and its end may still undo what ran before the savepoint.
     */
    public void rolledBackToSavepoint() {
        apply(pendingInTransaction);
    }

    private void apply(int effects) {
        if ((effects & SqlScan.SESSION) != 0) {
            stale = true;
        }
        if ((effects & SqlScan.SCHEMA) != 0) {
            catalog.refresh();
        }
    }

    private SessionState read(boolean inTransaction) throws SQLException {
        Vendor.SessionSnapshot s = vendor.readSession(raw);
        String principal = principalSetting != null ? principalSetting : s.user();
        return new SessionState(dialect, Source.Channel.DRIVER, principal, actingFor, s.user(), s.database(),
                application, null, s.searchPath(), s.role(), inTransaction);
    }
}
