package dev.gatehouse.sql.analysis;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.lex.Span;
import dev.gatehouse.sql.lex.TokenType;
import dev.gatehouse.sql.lex.Tokens;

/**
 * The statement whose lineage a PostgreSQL {@code COPY} has, for the parser, which does not read COPY:
 * {@code COPY t [(cols)] FROM ...} writes what {@code INSERT INTO t [(cols)] SELECT NULL} writes,
 * {@code COPY t [(cols)] TO ...} reads what {@code SELECT cols|* FROM t} reads, and {@code COPY (query) TO ...}
 * touches what its query does. Only the lineage comes from this text: kinds (export, server file, program)
 * stay the classifier's reading of the real statement. Anything else gives null and the statement keeps
 * incomplete lineage (fail closed). Stateless; any thread.
 */
final class CopyEquivalent {
    private CopyEquivalent() {
    }

    /** @return the equivalent statement's text, or null when the span is not a COPY this reads */
    static String of(Tokens t, Span span) {
        int i = span.from();
        int to = span.to();
        if (t.dialect() != Dialect.POSTGRES || !t.isWord(i, "copy")) {
            return null;
        }
        i++;
        if (t.is(i, TokenType.LPAREN)) {
            int close = close(t, i, to);
            return close > i + 1 && t.isWord(close + 1, "to") ? t.text(i + 1, close) : null;
        }
        int tableFrom = i;
        if (!name(t, i)) {
            return null;
        }
        i++;
        while (t.is(i, TokenType.DOT) && name(t, i + 1)) {
            i += 2;
        }
        String table = t.text(tableFrom, i);
        String columns = null;
        if (t.is(i, TokenType.LPAREN)) {
            int close = close(t, i, to);
            if (close < 0) {
                return null;
            }
            columns = t.text(i + 1, close);
            i = close + 1;
        }
        if (t.isWord(i, "from")) {
            return "INSERT INTO " + table + (columns == null ? "" : " (" + columns + ")") + " SELECT NULL";
        }
        if (t.isWord(i, "to")) {
            return "SELECT " + (columns == null ? "*" : columns) + " FROM " + table;
        }
        return null;
    }

    private static boolean name(Tokens t, int i) {
        return t.is(i, TokenType.WORD) || t.is(i, TokenType.QUOTED_IDENT);
    }

    /** The index of the parenthesis closing the one at {@code open}, or -1 before {@code to}. */
    private static int close(Tokens t, int open, int to) {
        int depth = 0;
        for (int k = open; k < to; k++) {
            if (t.is(k, TokenType.LPAREN)) {
                depth++;
            } else if (t.is(k, TokenType.RPAREN) && --depth == 0) {
                return k;
            }
        }
        return -1;
    }
}
