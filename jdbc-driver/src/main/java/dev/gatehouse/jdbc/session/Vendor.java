package dev.gatehouse.jdbc.session;

import dev.gatehouse.enforce.catalog.RelationSource;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What differs between the databases behind the driver: how a session is read, how a transaction reacts to
 * a refused statement, which SQLSTATE a cancelled statement gets. A closed set.
 *
 * <p>Threads: stateless; runs on whichever thread uses the connection.
 */
public sealed interface Vendor permits PostgresVendor, MysqlVendor {

    /**
     * Hot path: the text the server runs for {@code sql}, as the real driver rewrites it: JDBC escapes
     * ({@code {call p(?)}}, {@code {fn ...}}) translated, and for a statement that binds parameters its
     * placeholders as the driver sends them. What is decided (and shown to approvers) is what runs.
     */
    String asRun(Connection raw, String sql, boolean bindsParameters) throws SQLException;

    /**
     * The settings the connection's URL and properties make when it connects, as {@code SET} statement text
     * for the policy, or null for none: read through the real driver's own reading of them
     * ({@code getPropertyInfo}), so Gatehouse decides what that driver sends. Empty when there are none.
     *
     * @throws SQLException (ZG003) for a setting Gatehouse cannot read: the connection is refused
     */
    String connectSettings(java.sql.Driver real, String url, java.util.Properties info) throws SQLException;

    /** Reads the session from the server (one round trip). */
    SessionSnapshot readSession(Connection raw) throws SQLException;

    /**
     * Hot path: whether an explicit transaction is open, from the real driver's own bookkeeping (no round trip).
     */
    boolean inTransaction(Connection raw) throws SQLException;

    /** Whether the open transaction is already aborted (only ROLLBACK can run in it). */
    boolean transactionFailed(Connection raw) throws SQLException;

    /** Leaves the transaction as this database leaves it after a failed statement. */
    void afterRefusal(Connection raw) throws SQLException;

    /** SQLSTATE for a statement cancelled or timed out while held. */
    String cancelledState();

    /**
     * Whether {@code Connection#createBlob} and friends create objects on the server (PostgreSQL large
     * objects, written without any SQL of the application's), rather than client-side buffers.
     */
    boolean serverSideLobs();

    /** The catalog queries for this database, over {@code raw}. */
    RelationSource relations(Connection raw);

    /** What the server reports of a session. */
    record SessionSnapshot(String user, String database, String searchPath, String role) {
    }
}
