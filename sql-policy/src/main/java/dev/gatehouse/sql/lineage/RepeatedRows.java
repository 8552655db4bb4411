package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.lex.TokenType;
import dev.gatehouse.sql.lex.Tokens;

/**
 * Finds the rows of a {@code VALUES (...), (...)} list that the parser need not see: a row that differs from the
 * list's first row only in literal values (numbers, strings, bind parameters), or holds nothing but literals,
 * names the same columns, functions and subqueries as rows already read, so its lineage adds nothing. A
 * many-megabyte INSERT then parses in the time of its first row: JSqlParser 5.3 needs about 3 ms per KiB of
 * flat text, 10 s per MiB of rows. One instance per token walk, fed every token in order; single-threaded.
 */
final class RepeatedRows {
    /** MySQL with ANSI_QUOTES: {@code "x"} is a name, not a literal. */
    private final boolean doubleQuotedAreNames;
    private int depth;
    private int valuesDepth = -1;
    private int firstRow = -1;

    RepeatedRows() {
        this(false);
    }

    RepeatedRows(boolean doubleQuotedAreNames) {
        this.doubleQuotedAreNames = doubleQuotedAreNames;
    }

    /**
     * Called before token {@code i} is used: the index after {@code , (row)} when that comma and row can be left
     * out, else {@code i}.
     */
    int skip(Tokens t, int i, int n) {
        if (valuesDepth != depth || !t.is(i, TokenType.COMMA) || !t.is(i + 1, TokenType.LPAREN)) {
            return i;
        }
        int end = rowEnd(t, i + 1, n);
        if (end > 0 && (sameShape(t, firstRow, i + 1, end) || literalsOnly(t, i + 1, end))) {
            return end;
        }
        return i;
    }

    /** Called for every token that is used. */
    void used(Tokens t, int i) {
        TokenType type = t.type(i);
        if (type == TokenType.LPAREN) {
            depth++;
        } else if (type == TokenType.RPAREN) {
            depth--;
            if (depth < valuesDepth) {
                valuesDepth = -1;
            }
        } else if (type == TokenType.WORD) {
            if ((t.isWord(i, "values") || t.isWord(i, "value")) && t.is(i + 1, TokenType.LPAREN)) {
                valuesDepth = depth;
                firstRow = i + 1;
            } else if (valuesDepth == depth) {
                valuesDepth = -1; // past the row list (AS alias, ON DUPLICATE KEY UPDATE, RETURNING, ...)
            }
        }
    }

    /** End (exclusive) of the parenthesised row opening at {@code open}, or -1 when it does not close. */
    private static int rowEnd(Tokens t, int open, int n) {
        int level = 0;
        for (int k = open; k < n; k++) {
            if (t.is(k, TokenType.LPAREN)) {
                level++;
            } else if (t.is(k, TokenType.RPAREN) && --level == 0) {
                return k + 1;
            }
        }
        return -1;
    }

    private boolean isLiteral(Tokens t, int k) {
        return t.is(k, TokenType.NUMBER) || t.is(k, TokenType.PARAM)
                || (t.is(k, TokenType.STRING) && !(doubleQuotedAreNames && t.firstChar(k) == '"'));
    }

    /** Whether row {@code open..end} is the row at {@code first} with other literal values. */
    private boolean sameShape(Tokens t, int first, int open, int end) {
        int length = end - open;
        if (first < 0 || first + length > t.size() || !t.is(first + length - 1, TokenType.RPAREN)) {
            return false;
        }
        String src = t.source();
        for (int k = 0; k < length; k++) {
            int a = first + k;
            int b = open + k;
            if (isLiteral(t, a) && isLiteral(t, b)) {
                continue;
            }
            int la = t.end(a) - t.start(a);
            if (t.type(a) != t.type(b) || la != t.end(b) - t.start(b)
                    || !src.regionMatches(true, t.start(a), src, t.start(b), la)) {
                return false;
            }
        }
        return true;
    }

    /** Whether row {@code open..end} holds only literals, NULL, TRUE, FALSE, DEFAULT and signs. */
    private boolean literalsOnly(Tokens t, int open, int end) {
        for (int k = open + 1; k < end - 1; k++) {
            boolean literal = switch (t.type(k)) {
                case NUMBER, PARAM, COMMA -> true;
                case STRING -> isLiteral(t, k);
                case OPERATOR -> t.isOperator(k, "-") || t.isOperator(k, "+");
                case WORD -> t.isWord(k, "null") || t.isWord(k, "true") || t.isWord(k, "false") || t.isWord(k, "default");
                default -> false;
            };
            if (!literal) {
                return false;
            }
        }
        return true;
    }
}
