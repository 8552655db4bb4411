package dev.gatehouse.jdbc.guard;

import java.util.List;

/**
 * What the driver knows about one statement it is about to run.
 *
 * <p>Threads: Immutable (the parameter lists are unmodifiable); the guard may keep it, e.g. in an approval request.
 *
 * @param sql        the SQL text as it will run: as the application gave it, with JDBC escapes ({@code {call ...}},
 *                   {@code {fn ...}}) translated by the real driver's {@code nativeSQL}
 * @param parameters the bound values by position (index 0 is parameter 1) for prepared and callable
 *                   statements, null for plain statements; a value the driver could not read without
 *                   consuming it (a stream, a reader, a LOB) appears as {@link UnreadableParameter}
 * @param named      values bound by name on a {@code CallableStatement} (in the order set), empty otherwise
 * @param origin     the JDBC method family that carried the SQL
 * @param session    the connection's session as it is when the statement runs
 * @param inBatch    true for an element of a batch (the whole batch is decided before any of it runs)
 */
public record Execution(String sql, List<Object> parameters, List<NamedParameter> named, Origin origin,
                        SessionState session, boolean inBatch) {

    /** A value bound by name on a {@code CallableStatement}. */
    public record NamedParameter(String name, Object value) {
    }

    /** Stands for a value the driver passes through without reading it (reading would consume it). */
    public record UnreadableParameter(String type, long length) {
    }
}
