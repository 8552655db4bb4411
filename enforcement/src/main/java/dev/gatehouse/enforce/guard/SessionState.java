package dev.gatehouse.enforce.guard;

import dev.gatehouse.approvals.Source;
import dev.gatehouse.sql.Dialect;

/**
 * A session (a proxy client's, a driver connection's) as the policy needs it. Immutable: the front end
 * replaces the instance when something that changes the session has run, so the hot path passes the same
 * object again and again (the guard caches what it derives from it by identity).
 *
 * <p>Threads: immutable; any thread.
 *
 * @param dialect         how to read the SQL
 * @param channel         which front end (the audit's and the request's source)
 * @param principal       who runs the statements (a configured principal, else the database user)
 * @param actingFor       the human an agent acts for, or null
 * @param databaseUser    the user the database authenticated (the session user)
 * @param database        PostgreSQL: the connection's database; MySQL: the current database ({@code USE}), or null
 * @param applicationName the application's name (PostgreSQL's application_name, a driver setting), or null
 * @param clientAddress   the client's address ("host:port") where known, else null
 * @param searchPath      PostgreSQL: the search_path as the server reports it, or null for the server default
 * @param role            PostgreSQL: the role chosen by SET ROLE (null while it is the session user); MySQL: the
 *                        current role
 * @param inTransaction   true while an explicit transaction block is open (or failed)
 */
public record SessionState(Dialect dialect, Source.Channel channel, String principal, String actingFor,
                           String databaseUser, String database, String applicationName, String clientAddress,
                           String searchPath, String role, boolean inTransaction) {

    /** The analyzer's {@code defaultSchema}: the search path for PostgreSQL, the current database for MySQL. */
    public String defaultSchema() {
        return switch (dialect) {
            case POSTGRES -> searchPath;
            case MYSQL -> database;
        };
    }

    public SessionState withSearchPath(String path) {
        return new SessionState(dialect, channel, principal, actingFor, databaseUser, database, applicationName,
                clientAddress, path, role, inTransaction);
    }

    public SessionState withRole(String newRole) {
        return new SessionState(dialect, channel, principal, actingFor, databaseUser, database, applicationName,
                clientAddress, searchPath, newRole, inTransaction);
    }

    public SessionState withApplicationName(String name) {
        return new SessionState(dialect, channel, principal, actingFor, databaseUser, database, name,
                clientAddress, searchPath, role, inTransaction);
    }

    /** Hot path: the same instance when unchanged. */
    public SessionState withTransaction(boolean open) {
        return open == inTransaction ? this : new SessionState(dialect, channel, principal, actingFor, databaseUser,
                database, applicationName, clientAddress, searchPath, role, open);
    }
}
