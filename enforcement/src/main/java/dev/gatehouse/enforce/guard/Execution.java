package dev.gatehouse.enforce.guard;

import dev.gatehouse.enforce.checkpoint.RowSight;

import java.util.List;

/**
 * What a front end knows about one statement (or simple-query string) it is about to send to the server.
 *
 * <p>Threads: immutable apart from the parameter list, which the front end does not change while deciding.
 *
 * @param sql            the SQL text exactly as the server will receive it (driver: after the real driver's own
 *                       rewriting; proxy FunctionCall: a description "FUNCTION CALL oid=N")
 * @param parameters     the bound values by position (index 0 is the first); null for a driver's plain statement,
 *                       empty for a simple query; rendered for approvers only when held, denied or audited
 * @param named          driver: values bound by name on a {@code CallableStatement}, in the order set; else empty
 * @param preparedBodies the SQL text of every SQL-level prepared statement this text runs with
 *                       {@code EXECUTE name}, in order, as the server holds it; null for a name this session
 *                       never prepared (the guard denies it); empty when the text executes none
 * @param executedNames  the names those {@code EXECUTE}s run, at the same positions as {@code preparedBodies}
 * @param origin         what carried it
 * @param functionOid    the called function's OID for {@link Origin#FUNCTION_CALL}, else 0
 * @param session        the session as it is when the statement runs
 * @param inBatch        driver: an element of a batch (the whole batch is decided before any of it runs)
 * @param rows           how this statement's session counts limited writes and estimates held statements (the
 *                       proxy: each session's own connection), or null for the guard's own
 */
public record Execution(String sql, List<?> parameters, List<NamedParameter> named, List<String> preparedBodies,
                        List<String> executedNames, Origin origin, int functionOid, SessionState session,
                        boolean inBatch, RowSight rows) {

    /** A statement with no EXECUTEd bodies, no function call, not in a batch: the usual case. */
    public static Execution of(String sql, List<?> parameters, Origin origin, SessionState session) {
        return new Execution(sql, parameters, List.of(), List.of(), List.of(), origin, 0, session, false, null);
    }

    /** A driver's execution: values by position and by name, possibly an element of a batch. */
    public static Execution of(String sql, List<?> parameters, List<NamedParameter> named, Origin origin,
                               SessionState session, boolean inBatch) {
        return new Execution(sql, parameters, named, List.of(), List.of(), origin, 0, session, inBatch, null);
    }

    /** The same execution for another text (the driver decides the text the real driver sends). */
    public Execution withSql(String text) {
        return new Execution(text, parameters, named, preparedBodies, executedNames, origin, functionOid, session,
                inBatch, rows);
    }

    /** A value bound by name on a {@code CallableStatement}. */
    public record NamedParameter(String name, Object value) {
    }

    /** Stands for a value the driver passes through without reading it (reading would consume it). */
    public record UnreadableParameter(String type, long length) {
    }
}
