package dev.gatehouse.jdbc.guard;

/**
 * The JDBC method family through which SQL arrived: for audit records and for rules that care.
 *
 * <p>Threads: Immutable; any thread.
 */
public enum Origin {
    /** {@code Statement#execute}, {@code PreparedStatement#execute}, {@code CallableStatement#execute}. */
    EXECUTE,
    /** {@code executeQuery}. */
    EXECUTE_QUERY,
    /** {@code executeUpdate} and {@code executeLargeUpdate}, with or without generated keys. */
    EXECUTE_UPDATE,
    /** {@code executeBatch} and {@code executeLargeBatch}: one call per element. */
    EXECUTE_BATCH,
    /** {@code Connection#prepareStatement}: classification only. */
    PREPARE_STATEMENT,
    /** {@code Connection#prepareCall}: classification only. */
    PREPARE_CALL,
    /** {@code Connection#nativeSQL}: classification only. */
    NATIVE_SQL
}
