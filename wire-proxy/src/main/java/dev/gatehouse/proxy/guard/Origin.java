package dev.gatehouse.proxy.guard;

/**
 * The protocol message that carried a statement to the proxy: for audit records and for rules that care.
 * A COPY statement arrives through {@link #SIMPLE_QUERY} or {@link #EXTENDED_EXECUTE} like any other
 * statement; its CopyData then passes through once that statement is allowed.
 */
public enum Origin {
    /** A simple-query 'Q' message: the whole string, possibly several statements, decided at once. */
    SIMPLE_QUERY,
    /** An extended-query 'E' (Execute) of a portal, with the values bound to it. */
    EXTENDED_EXECUTE,
    /** A 'F' FunctionCall message: a function called by OID with arguments, no SQL text of its own. */
    FUNCTION_CALL
}
