package dev.gatehouse.jdbc.guard;

import dev.gatehouse.enforce.guard.StatementGuard;

import java.sql.SQLException;

/**
 * Creates the guard for a new connection. Found through {@link java.util.ServiceLoader}; the production
 * implementation (policy engine plus approvals) registers one named {@code policy}. The
 * {@code gatehouse.guard} setting picks one by name when several are present.
 *
 * <p>Threads: called on the thread that opens the connection.
 */
public interface StatementGuardFactory {

    /** The name the {@code gatehouse.guard} setting selects. */
    String name();

    /** Throws when the guard cannot be built (bad policy file, approvals store down): no connection then. */
    StatementGuard create(GuardContext context) throws SQLException;
}
