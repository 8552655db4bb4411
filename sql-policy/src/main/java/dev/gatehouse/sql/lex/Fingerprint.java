package dev.gatehouse.sql.lex;

import dev.gatehouse.sql.Dialect;

/**
 * The shape of a submission with its literals replaced: text that differs only in literal values (and in
 * white space and comments) has the same fingerprint. Used as a cache key where the analysis says literals
 * did not matter.
 */
public final class Fingerprint {
    private Fingerprint() {
    }

    /**
     * @return the fingerprint, or null when the text cannot be lexed (callers then key by the exact text)
     */
    public static String of(String sql, Dialect dialect) {
        return null;
    }
}
