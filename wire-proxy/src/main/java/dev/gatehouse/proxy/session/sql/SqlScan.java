package dev.gatehouse.proxy.session.sql;

import java.util.List;

/**
 * What the proxy reads from a SQL string besides passing it to the guard: the SQL-level prepared statements
 * it executes and the session changes it makes.
 *
 * @param executed names of {@code EXECUTE name} statements, in order (empty for nearly all statements)
 * @param effects  session changes, in order
 * @param touchesSession true when the text may change search_path, the current role or client_encoding (SET,
 *                       RESET, DISCARD ALL, or a call of set_config): the proxy then asks the server for the
 *                       truth (and awaits its client_encoding report before reading text that is not ASCII)
 */
public record SqlScan(List<String> executed, List<SessionEffect> effects, boolean touchesSession) {

    public static final SqlScan NONE = new SqlScan(List.of(), List.of(), false);

    /**
     * Hot path: one lexer pass that looks only at the first word of each statement; a full read only for the
     * few statements that matter. Allocates nothing for ordinary statements.
     */
    public static SqlScan of(String sql) {
        SqlLexer lx = new SqlLexer(sql);
        java.util.ArrayList<String> executed = null;
        java.util.ArrayList<SessionEffect> effects = null;
        boolean touches = false;
        while (lx.next() != SqlLexer.EOF) {
            if (lx.kind() == SqlLexer.SEMICOLON) {
                continue;
            }
            SessionEffect effect = null;
            boolean setOrReset = lx.is("SET") || lx.is("RESET");
            if (lx.is("PREPARE")) {
                effect = prepare(lx);
            } else if (lx.is("DEALLOCATE")) {
                effect = deallocate(lx);
            } else if (lx.is("DISCARD")) {
                lx.next();
                effect = lx.is("ALL") ? new SessionEffect.DiscardAll() : null;
            } else if (lx.is("SET")) {
                effect = set(lx);
            } else if (lx.is("RESET")) {
                lx.next();
                if (lx.is("ALL")) {
                    effect = new SessionEffect.ResetAll();
                } else if (lx.is("ROLE")) {
                    effect = new SessionEffect.SetRole(null);
                } else if (lx.is("SEARCH_PATH")) {
                    effect = new SessionEffect.SetSearchPath(null);
                }
            }
            if (effect != null) {
                if (effects == null) {
                    effects = new java.util.ArrayList<>(2);
                }
                effects.add(effect);
                touches |= !(effect instanceof SessionEffect.Prepare) && !(effect instanceof SessionEffect.Deallocate);
            }
            // The rest of the statement: EXECUTE name runs a prepared statement wherever it stands (also in
            // EXPLAIN ANALYZE EXECUTE and CREATE TABLE AS EXECUTE); set_config changes settings without SET.
            while (lx.kind() != SqlLexer.SEMICOLON && lx.kind() != SqlLexer.EOF) {
                touches |= lx.is("SET_CONFIG") || setOrReset && (lx.is("CLIENT_ENCODING") || lx.is("NAMES"));
                if (lx.is("EXECUTE")) {
                    lx.next();
                    if (isPreparedName(lx)) {
                        if (executed == null) {
                            executed = new java.util.ArrayList<>(2);
                        }
                        executed.add(lx.name());
                    }
                    continue;
                }
                lx.next();
            }
        }
        if (executed == null && effects == null && !touches) {
            return NONE;
        }
        return new SqlScan(executed == null ? List.of() : List.copyOf(executed),
                effects == null ? List.of() : List.copyOf(effects), touches);
    }

    /** After EXECUTE: a statement name, not GRANT EXECUTE ON or a trigger's EXECUTE FUNCTION/PROCEDURE. */
    private static boolean isPreparedName(SqlLexer lx) {
        return lx.kind() == SqlLexer.QUOTED_IDENT
                || (lx.kind() == SqlLexer.WORD && !lx.is("ON") && !lx.is("FUNCTION") && !lx.is("PROCEDURE"));
    }

    /** {@code PREPARE name [ ( types ) ] AS body}: the body is the rest of the statement after AS. */
    private static SessionEffect prepare(SqlLexer lx) {
        lx.next();
        if (lx.kind() != SqlLexer.WORD && lx.kind() != SqlLexer.QUOTED_IDENT) {
            return null;
        }
        String name = lx.name();
        int depth = 0;
        while (lx.next() != SqlLexer.EOF && lx.kind() != SqlLexer.SEMICOLON) {
            if (lx.isChar('(')) {
                depth++;
            } else if (lx.isChar(')')) {
                depth--;
            } else if (depth == 0 && lx.is("AS")) {
                int bodyStart = lx.end();
                int bodyEnd = lx.skipStatementFromNext();
                return new SessionEffect.Prepare(name, lx.text(bodyStart, bodyEnd).strip());
            }
        }
        return null;
    }

    private static SessionEffect deallocate(SqlLexer lx) {
        lx.next();
        if (lx.is("PREPARE")) {
            lx.next();
        }
        if (lx.is("ALL")) {
            return new SessionEffect.Deallocate(null);
        }
        return lx.kind() == SqlLexer.WORD || lx.kind() == SqlLexer.QUOTED_IDENT
                ? new SessionEffect.Deallocate(lx.name()) : null;
    }

    /** {@code SET [SESSION|LOCAL] search_path {TO|=} ...} and {@code SET [SESSION|LOCAL] ROLE name}. */
    private static SessionEffect set(SqlLexer lx) {
        lx.next();
        if (lx.is("SESSION") || lx.is("LOCAL")) {
            lx.next();
        }
        if (lx.is("ROLE")) {
            lx.next();
            if (lx.kind() == SqlLexer.WORD || lx.kind() == SqlLexer.QUOTED_IDENT || lx.kind() == SqlLexer.STRING) {
                String role = lx.kind() == SqlLexer.STRING ? lx.text(lx.start() + 1, lx.end() - 1) : lx.name();
                return new SessionEffect.SetRole(lx.kind() == SqlLexer.WORD && "none".equals(role) ? null : role);
            }
            return null;
        }
        if (lx.is("SEARCH_PATH")) {
            lx.next();
            if (lx.is("TO") || lx.isChar('=')) {
                int valueStart = lx.end();
                int valueEnd = lx.skipStatementFromNext();
                String value = lx.text(valueStart, valueEnd).strip();
                return new SessionEffect.SetSearchPath(value.equalsIgnoreCase("DEFAULT") ? null : value);
            }
        }
        return null;
    }
}
