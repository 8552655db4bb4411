package dev.gatehouse.sql.pg;

/**
 * One result of {@link PgQuery#scan}: PostgreSQL's own tokens of the text, or why there are none.
 *
 * <p>{@code tokens} holds 4 ints per token: start and end (exclusive) as Java char indexes into the text, the token
 * number ({@link PgToken}) and the keyword kind ({@link PgToken#NO_KEYWORD} ... {@link PgToken#RESERVED_KEYWORD}).
 * Comments are tokens too ({@link PgToken#SQL_COMMENT}, {@link PgToken#C_COMMENT}); whitespace is not. The array
 * belongs to this result: read it, do not change it.
 *
 * @param tokens         4 ints per token, or null on error
 * @param error          the error message, or null
 * @param errorCharIndex the Java char index the error points at, or -1
 */
public record PgScan(int[] tokens, String error, int errorCharIndex) {
    public PgScan {
        if ((tokens == null) == (error == null)) throw new IllegalArgumentException("exactly one of tokens and error");
        if (tokens != null && tokens.length % 4 != 0) throw new IllegalArgumentException("4 ints per token");
        if (tokens != null) errorCharIndex = -1;
    }

    public boolean ok() {
        return tokens != null;
    }

    /** The number of tokens (0 on error). */
    public int count() {
        return tokens == null ? 0 : tokens.length / 4;
    }

    public int start(int i) {
        return tokens[4 * i];
    }

    public int end(int i) {
        return tokens[4 * i + 1];
    }

    public int token(int i) {
        return tokens[4 * i + 2];
    }

    public int keywordKind(int i) {
        return tokens[4 * i + 3];
    }

    static PgScan failed(String error, int errorCharIndex) {
        return new PgScan(null, error, errorCharIndex);
    }
}
