package dev.gatehouse.sql.lex;

import dev.gatehouse.sql.Dialect;

/**
 * The shape of a submission with its literals replaced: text that differs only in literal values (and in
 * white space and comments) has the same fingerprint. Used as a cache key where the analysis says literals
 * did not matter. Keywords and unquoted identifiers are case-folded; quoted identifiers keep their quotes,
 * so {@code "Users"} and {@code users} stay different. MySQL executable comments count as the code they hold.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    /**
     * Hot path (every cache lookup computes it): one lex, one StringBuilder, no regex.
     *
     * @return the fingerprint, or null when the text cannot be lexed or when a literal's content can change
     *         how the text splits (a backslash in a string whose reading depends on a session setting): callers
     *         then key by the exact text
     */
    public static String of(String sql, Dialect dialect) {
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
        // Each token is written at most as long as its source text plus one separator: one exact-size buffer.
        char[] out = new char[sql.length() + n];
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out[w++] = ' ';
            }
            TokenType type = t.type(i);
            int start = t.start(i);
            int end = t.end(i);
            if (type.isLiteral() && !t.isWord(i - 1, "uescape")) {
                // UESCAPE's character decides how U& identifiers (function and setting names) decode: kept.
                out[w++] = '?';
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
}
