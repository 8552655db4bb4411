package dev.gatehouse.jdbc.guard;

import dev.gatehouse.sql.Dialect;

/**
 * A connection's session as the policy needs it. Immutable: the driver replaces the instance when a
 * statement that can change the session has run, so the hot path passes the same object again and again.
 * Safe to share between threads.
 *
 * @param dialect       how to read the SQL
 * @param principal     who is running the statement (the {@code gatehouse.principal} setting, else the database user)
 * @param actingFor     the human an agent acts for, or null
 * @param databaseUser  the user the database authenticated
 * @param database      PostgreSQL: the current database; MySQL: the current database ({@code USE}), or null
 * @param searchPath    PostgreSQL: the search_path setting as the server reports it; MySQL: null
 * @param role          PostgreSQL: {@code current_user} (changed by SET ROLE); MySQL: {@code CURRENT_ROLE()}
 * @param inTransaction true when an explicit transaction is open (auto-commit off or a BEGIN that passed)
 */
public record SessionState(Dialect dialect, String principal, String actingFor, String databaseUser,
                           String database, String searchPath, String role, boolean inTransaction) {

    /**
     * The analyzer's {@code defaultSchema}: the search path for PostgreSQL, the current database for MySQL.
     */
    public String defaultSchema() {
        return switch (dialect) {
            case POSTGRES -> searchPath;
            case MYSQL -> database;
        };
    }

    public SessionState withTransaction(boolean open) {
        return open == inTransaction ? this
                : new SessionState(dialect, principal, actingFor, databaseUser, database, searchPath, role, open);
    }
}
