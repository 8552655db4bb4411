package dev.gatehouse.proxy.guard;

/**
 * A client session as the policy needs it. Immutable: the proxy replaces the instance when a statement that
 * changes the session has been sent (SET search_path, SET ROLE, RESET, DISCARD), so the hot path passes the
 * same object again and again.
 *
 * @param principal       who runs the statement (the startup user unless the proxy is configured otherwise)
 * @param databaseUser    the startup user the database authenticated
 * @param database        the startup database
 * @param applicationName the application_name the client gave, as the server last reported it (may be empty)
 * @param clientAddress   the client's address as the proxy saw it ("host:port")
 * @param searchPath      the search_path as set through this session, or null while it is the server default
 * @param role            the role chosen by SET ROLE, or null while it is the session user
 * @param inTransaction   true when the server last reported an open (or failed) transaction block
 */
public record SessionState(String principal, String databaseUser, String database, String applicationName,
                           String clientAddress, String searchPath, String role, boolean inTransaction) {

    public SessionState withSearchPath(String path) {
        return new SessionState(principal, databaseUser, database, applicationName, clientAddress, path, role,
                inTransaction);
    }

    public SessionState withRole(String newRole) {
        return new SessionState(principal, databaseUser, database, applicationName, clientAddress, searchPath,
                newRole, inTransaction);
    }

    public SessionState withApplicationName(String name) {
        return new SessionState(principal, databaseUser, database, name, clientAddress, searchPath, role,
                inTransaction);
    }

    public SessionState withTransaction(boolean open) {
        return open == inTransaction ? this
                : new SessionState(principal, databaseUser, database, applicationName, clientAddress, searchPath,
                role, open);
    }
}
