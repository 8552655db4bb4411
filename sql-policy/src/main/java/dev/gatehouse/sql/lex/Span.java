package dev.gatehouse.sql.lex;

/** One statement of a submission: tokens {@code from} (inclusive) to {@code to} (exclusive), without the {@code ;}. */
public record Span(int from, int to) {
    public Span {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("empty or negative span " + from + ".." + to);
        }
    }
}
