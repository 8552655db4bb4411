package dev.gatehouse.proxy.catalog;

import dev.gatehouse.enforce.catalog.SchemaChanges;
import dev.gatehouse.enforce.guard.SessionState;
import dev.gatehouse.proxy.session.sql.SessionEffect;

/**
 * One session's schema changes, passed on to the live catalog of its database when other connections can see
 * them: the catalog is read over the proxy's own connection, which sees only what is committed. DDL the server
 * confirmed outside a transaction block is committed: the catalog is read again at once. DDL confirmed inside a
 * block is read again now (harmless) and once more when the session's next {@code COMMIT} is confirmed. Inside
 * the block itself, statements are decided against the catalog as committed (a column the block added is not
 * yet seen there).
 *
 * <p>Threads: the session's client-reader thread (where the server's confirmations are taken in).
 */
public final class SchemaWatch {
    private final SchemaChanges changes;
    /** DDL was confirmed inside a transaction block that has not been seen to commit. */
    private boolean uncommitted;

    public SchemaWatch(SchemaChanges changes) {
        this.changes = changes;
    }

    /** A confirmed statement's catalog effect, with the session as it is now. */
    public void confirmed(SessionEffect.SchemaEffect effect, SessionState session) {
        switch (effect) {
            case SessionEffect.SchemaChange change -> {
                changes.changed(session.database());
                uncommitted |= session.inTransaction();
            }
            case SessionEffect.Commit commit -> {
                if (uncommitted) {
                    uncommitted = false;
                    changes.changed(session.database());
                }
            }
        }
    }
}
