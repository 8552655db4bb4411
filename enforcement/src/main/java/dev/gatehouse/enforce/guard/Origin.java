package dev.gatehouse.enforce.guard;

/**
 * What carried a statement to Gatehouse: the protocol message (proxy) or the JDBC method family (driver). For
 * audit records and for rules that care.
 *
 * <p>Threads: immutable; any thread.
 */
public enum Origin {
    /** Proxy: a simple-query 'Q' message: the whole string, possibly several statements, decided at once. */
    SIMPLE_QUERY,
    /** Proxy: an extended-query Execute of a portal, with the values bound to it (and its Parse, early). */
    EXTENDED_EXECUTE,
    /** Proxy: a FunctionCall 'F' message: a function called by OID with arguments, no SQL text of its own. */
    FUNCTION_CALL,
    /** Proxy: a setting the client gave at startup (options {@code -c name=value}), decided as its SET. */
    STARTUP,
    /** Driver: {@code Statement#execute}, {@code PreparedStatement#execute}, {@code CallableStatement#execute}. */
    EXECUTE,
    /** Driver: {@code executeQuery}. */
    EXECUTE_QUERY,
    /** Driver: {@code executeUpdate} and {@code executeLargeUpdate}, with or without generated keys. */
    EXECUTE_UPDATE,
    /** Driver: {@code executeBatch} and {@code executeLargeBatch}: one call per element. */
    EXECUTE_BATCH,
    /** Driver: {@code Connection#prepareStatement}: classification only. */
    PREPARE_STATEMENT,
    /** Driver: {@code Connection#prepareCall}: classification only. */
    PREPARE_CALL,
    /** Driver: {@code Connection#nativeSQL}: classification only. */
    NATIVE_SQL,
    /** Driver: a setting of the connection URL ({@code options=-c name=value}), decided as its SET. */
    CONNECT
}
