package dev.gatehouse.sql.pg;

/**
 * One result of {@link PgQuery#parse} or {@link PgQuery#parsePlpgsql}: either libpg_query's JSON tree ({@code json},
 * with {@code error} null) or why there is none ({@code error}, with {@code json} null). Locations inside the JSON
 * are UTF-8 byte offsets into the text; {@link PgQuery#charIndex} or {@link PgOffsets} turn them into Java char
 * indexes.
 *
 * @param json           the parse tree as JSON, or null on error
 * @param error          the error message (PostgreSQL's, or Gatehouse's when the text was refused or the library is
 *                       unavailable), or null
 * @param errorCharIndex the Java char index the error points at, or -1 when it points nowhere
 */
public record PgParse(String json, String error, int errorCharIndex) {
    public PgParse {
        if ((json == null) == (error == null)) throw new IllegalArgumentException("exactly one of json and error");
        if (json != null) errorCharIndex = -1;
    }

    /** True when {@link #json()} holds the tree. */
    public boolean ok() {
        return json != null;
    }

    static PgParse failed(String error, int errorCharIndex) {
        return new PgParse(null, error, errorCharIndex);
    }
}
