package dev.gatehouse.sql.catalog;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Lexer;
import dev.gatehouse.sql.lex.TokenType;
import dev.gatehouse.sql.lex.Tokens;

import java.util.Locale;

/**
 * The first words of one statement of a schema file, read by the dialect's lexer (comments, quotes and escapes as
 * the server reads them): enough to tell a relation definition from everything else a schema file holds, and to
 * read {@code SET search_path}, {@code USE db} and {@code CREATE DATABASE}, which JSqlParser does not. The words
 * are the tokens before the first {@code (} or {@code ;} that are words, names, strings or numbers. Not a
 * splitter: it reads one statement the caller already separated. Immutable; any thread.
 */
final class LeadingWords {
    /** Enough to get past {@code CREATE OR REPLACE ALGORITHM=... DEFINER=... SQL SECURITY ... VIEW}. */
    static final int MAX_WORDS = 24;

    private final Tokens tokens;
    /** The token index of each word. */
    private final int[] at;
    private final int size;

    private LeadingWords(Tokens tokens, int[] at, int size) {
        this.tokens = tokens;
        this.at = at;
        this.size = size;
    }

    /** @throws LexException when the statement cannot be lexed (a quote or comment left open) */
    static LeadingWords read(String sql, Dialect dialect) throws LexException {
        Tokens t = Lexer.lex(sql, dialect);
        int[] at = new int[MAX_WORDS];
        int n = 0;
        for (int i = 0; i < t.size() && n < MAX_WORDS; i++) {
            TokenType type = t.type(i);
            if (type == TokenType.LPAREN || type == TokenType.SEMICOLON) {
                break;
            }
            if (type == TokenType.WORD || type == TokenType.QUOTED_IDENT || type == TokenType.STRING
                    || type == TokenType.NUMBER) {
                at[n++] = i;
            }
        }
        return new LeadingWords(t, at, n);
    }

    int size() {
        return size;
    }

    /** Whether word {@code index} is the unquoted keyword {@code keyword} (given in upper case), any case. */
    boolean is(int index, String keyword) {
        return index < size && tokens.isWord(at[index], keyword.toLowerCase(Locale.ROOT));
    }

    /** Word {@code index} as written, upper-cased: a statement's verb. */
    String upper(int index) {
        return tokens.raw(at[index]).toUpperCase(Locale.ROOT);
    }

    /** Word {@code index} as a name: an identifier folded as the dialect compares names, a string's value. */
    String name(int index) {
        int i = at[index];
        return tokens.is(i, TokenType.STRING) ? tokens.stringValue(i) : tokens.name(i);
    }

    /** The first {@code n} words as written, for messages. */
    String first(int n) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < Math.min(n, size); k++) {
            b.append(k == 0 ? "" : " ").append(tokens.raw(at[k]));
        }
        return b.toString();
    }

    /** The char offset of the first word that is the keyword {@code keyword}, or -1. */
    int offsetOf(String keyword) {
        for (int k = 0; k < size; k++) {
            if (is(k, keyword)) {
                return tokens.start(at[k]);
            }
        }
        return -1;
    }

    /** {@code CREATE [OR REPLACE] [TEMP|UNLOGGED|MATERIALIZED|ALGORITHM=...|...] TABLE|VIEW}. */
    boolean definesRelation() {
        if (!is(0, "CREATE")) {
            return false;
        }
        for (int i = 1; i < size; i++) {
            if (is(i, "TABLE") || is(i, "VIEW")) {
                return true;
            }
            if (is(i, "AS") || is(i, "ON") || is(i, "INDEX") || is(i, "FUNCTION") || is(i, "PROCEDURE")
                    || is(i, "TRIGGER") || is(i, "TYPE") || is(i, "SEQUENCE")) {
                return false;
            }
        }
        return false;
    }
}
