package dev.gatehouse.sql.lex;

import dev.gatehouse.sql.Dialect;

/**
 * The shape of a submission with its literals replaced: text that differs only in literal values (and in
 * white space and comments) has the same fingerprint. {@link #of} writes every literal as {@code ?} (the shape
 * shown to people, e.g. redacted audit text); {@link #withLiteralForms} keeps each literal's form and is the
 * decision cache's key where the analysis says literals did not matter. Keywords and unquoted identifiers are case-folded; quoted identifiers keep their quotes,
 * so {@code "Users"} and {@code users} stay different. MySQL executable comments count as the code they hold.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    /**
     * Every literal as {@code ?}.
     *
     * @return the fingerprint, or null when the text cannot be lexed or when a literal's content can change
     *         how the text splits (a backslash in a string whose reading depends on a session setting): callers
     *         then key by the exact text
     */
    public static String of(String sql, Dialect dialect) {
        return of(sql, dialect, false);
    }

    /**
     * Every literal as its form with {@code ?} for its value: {@code ?} for a number and a plain {@code '...'}
     * string, {@code e'?'}, {@code u&'?'}, {@code b'?'}, {@code x'?'}, {@code n'?'}, MySQL {@code "?"}, and
     * {@code $?$} for a dollar-quoted string whatever its tag. The analysis can depend on a literal's form (the
     * SQL parser reads a dollar-quoted string as a column, which leaves lineage incomplete), so texts whose
     * literals differ in form must not share a cached decision: found by {@code GateFuzzTest}.
     * Hot path (every decision cache miss computes it): one lex, one char buffer, no regex.
     *
     * @return as {@link #of}
     */
    public static String withLiteralForms(String sql, Dialect dialect) {
        return of(sql, dialect, true);
    }

    /**
     * Whether literal {@code i} touches a word, name or other literal with nothing between ({@code 1.r}, {@code 0r},
     * {@code 'a'b}): the SQL parser splits such text by its own rules, which can depend on the literal's digits, so
     * with forms kept the literal stays as written. Found by {@code GateFuzzTest}.
     */
    private static boolean glued(Tokens t, int i) {
        return (i > 0 && t.end(i - 1) == t.start(i) && gluable(t.type(i - 1)))
                || (i + 1 < t.size() && t.start(i + 1) == t.end(i) && gluable(t.type(i + 1)));
    }

    private static boolean gluable(TokenType type) {
        return type == TokenType.WORD || type == TokenType.QUOTED_IDENT || type.isLiteral();
    }

    private static String of(String sql, Dialect dialect, boolean forms) {
        Tokens t;
        try {
            t = Lexer.lex(sql, dialect);
        } catch (LexException e) {
            return null;
        }
        if (t.dependsOnEscapeSetting()) {
            return null;
        }
        String src = t.source();
        int n = t.size();
        // A token is written at most one character longer than its source text (an empty '' as '?' at worst,
        // with forms kept), plus one separator: one buffer of that bound.
        char[] out = new char[sql.length() + 2 * n];
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out[w++] = ' ';
            }
            TokenType type = t.type(i);
            int start = t.start(i);
            int end = t.end(i);
            if (type.isLiteral() && !t.isWord(i - 1, "uescape") && !(forms && glued(t, i))) {
                // UESCAPE's character decides how U& identifiers (function and setting names) decode: kept.
                w = forms && type == TokenType.STRING ? stringForm(src, start, end, dialect, out, w) : put(out, w, '?');
            } else if (type == TokenType.WORD || type == TokenType.VARIABLE) {
                for (int k = start; k < end; k++) {
                    out[w++] = Tokens.asciiLower(src.charAt(k));
                }
            } else {
                src.getChars(start, end, out, w);
                w += end - start;
            }
        }
        return new String(out, 0, w);
    }

    private static int put(char[] out, int w, char c) {
        out[w] = c;
        return w + 1;
    }

    /**
     * A string literal's form: {@code ?} for a plain {@code '...'} string (as for a number), else the prefix and
     * opening quote lower-cased, {@code ?}, the closing quote; a dollar-quoted string as {@code $?$}. A PostgreSQL
     * string continued on the next line ({@code 'a'} newline {@code 'b'}) gets a {@code +}: the SQL parser does
     * not read that form at all.
     */
    private static int stringForm(String src, int start, int end, Dialect dialect, char[] out, int w) {
        char first = src.charAt(start);
        if (first == '$') {
            out[w] = '$';
            out[w + 1] = '?';
            out[w + 2] = '$';
            return w + 3;
        }
        int k = start;
        char c = first;
        while (c != '\'' && c != '"') {
            out[w++] = Tokens.asciiLower(c);
            c = src.charAt(++k);
        }
        if (first == '\'') {
            w = put(out, w, '?');
        } else {
            out[w] = c;
            out[w + 1] = '?';
            out[w + 2] = c;
            w += 3;
        }
        boolean backslashEscapes = k > start && Tokens.asciiLower(first) == 'e';
        if (dialect == Dialect.POSTGRES && c == '\'' && continued(src, k, end, backslashEscapes)) {
            w = put(out, w, '+');
        }
        return w;
    }

    /** Whether the string opened at {@code quote} closes before the token ends: PostgreSQL continued it on the next line. */
    private static boolean continued(String src, int quote, int end, boolean backslashEscapes) {
        int i = quote + 1;
        while (i < end) {
            char c = src.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < end && src.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1 < end;
                }
            } else {
                i++;
            }
        }
        return false;
    }
}
