package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.lex.TokenType;
import dev.gatehouse.sql.lex.Tokens;

import java.util.Locale;

/**
 * The tokens of one statement ({@code from} inclusive to {@code to} exclusive) with the look-ups the rules
 * need; every look-up stays inside the statement. Confined to the calling thread.
 */
final class StatementTokens {
    final Tokens t;
    final int from;
    final int to;

    StatementTokens(Tokens t, int from, int to) {
        this.t = t;
        this.from = from;
        this.to = to;
    }

    boolean in(int i) {
        return i >= from && i < to;
    }

    boolean word(int i, String lower) {
        return in(i) && t.isWord(i, lower);
    }

    boolean is(int i, TokenType type) {
        return in(i) && t.is(i, type);
    }

    /** The upper-case text of word {@code i}, for operation names. */
    String upper(int i) {
        return t.raw(i).toUpperCase(Locale.ROOT);
    }

    /** Index of the {@code )} closing the {@code (} at {@code open}, or {@code to} when it is not closed. */
    int close(int open) {
        int depth = 0;
        for (int i = open; i < to; i++) {
            TokenType type = t.type(i);
            if (type == TokenType.LPAREN) {
                depth++;
            } else if (type == TokenType.RPAREN && --depth == 0) {
                return i;
            }
        }
        return to;
    }

    /** First word {@code lower} at the parenthesis depth of {@code start} (nested groups skipped), or -1. */
    int find(int start, String lower) {
        int depth = 0;
        for (int i = start; i < to; i++) {
            TokenType type = t.type(i);
            if (type == TokenType.LPAREN) {
                depth++;
            } else if (type == TokenType.RPAREN) {
                if (--depth < 0) {
                    return -1;
                }
            } else if (depth == 0 && t.isWord(i, lower)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the words appear consecutively at the depth of {@code start}. */
    boolean hasSequence(int start, String first, String... rest) {
        int i = find(start, first);
        while (i >= 0) {
            boolean all = true;
            for (int k = 0; k < rest.length && all; k++) {
                all = word(i + 1 + k, rest[k]);
            }
            if (all) {
                return true;
            }
            i = find(i + 1, first);
        }
        return false;
    }

    /** Whether any {@code (} in the statement is directly followed by one of the words (a nested statement). */
    boolean parenFollowedBy(String... words) {
        for (int i = from; i + 1 < to; i++) {
            if (t.is(i, TokenType.LPAREN)) {
                for (String w : words) {
                    if (t.isWord(i + 1, w)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A setting or object name at {@code i} as the server compares it, lower-cased (GUC names ignore case). */
    String lowerName(int i) {
        return in(i) && (t.is(i, TokenType.WORD) || t.is(i, TokenType.QUOTED_IDENT))
                ? t.name(i).toLowerCase(Locale.ROOT) : "";
    }
}
