package dev.gatehouse.proxy.guard;

import java.util.List;

/**
 * What the proxy knows about one statement (or simple-query string) it is about to send to the server.
 *
 * @param sql            the SQL text exactly as the client sent it (for {@link Origin#FUNCTION_CALL}, a
 *                       description "FUNCTION CALL oid=N" since the message carries no SQL)
 * @param parameters     the bound values by position (index 0 is $1); empty for a simple query
 * @param preparedBodies the SQL text of every SQL-level prepared statement this text runs with
 *                       {@code EXECUTE name}, in order, as remembered from its {@code PREPARE}; a name this
 *                       session never prepared appears as null (the engine should fail closed on it)
 * @param executedNames  the names those {@code EXECUTE}s run, at the same positions as {@code preparedBodies}
 * @param origin         the message that carried it
 * @param functionOid    the called function's OID for {@link Origin#FUNCTION_CALL}, else 0
 * @param session        the session as it is when the statement runs
 */
public record Execution(String sql, List<BoundValue> parameters, List<String> preparedBodies,
                        List<String> executedNames, Origin origin,
                        int functionOid, SessionState session) {
}
