package dev.gatehouse.sql.lex;

/** The lexical classes the classifier and the fingerprint need; finer distinctions are read from the text. */
public enum TokenType {
    /** An unquoted identifier or keyword; compared case-insensitively. */
    WORD,
    /** A quoted identifier: {@code "x"}, {@code U&"x"} (PostgreSQL) or {@code `x`} (MySQL). */
    QUOTED_IDENT,
    /** Any string literal: standard, E'', U&'', B'', X'', N'', dollar-quoted, MySQL double-quoted. */
    STRING,
    /** A numeric literal. */
    NUMBER,
    /** A bind parameter: {@code $1} (PostgreSQL) or {@code ?} (MySQL). */
    PARAM,
    /** A MySQL user or system variable: {@code @x}, {@code @@global}. */
    VARIABLE,
    /** An operator, including {@code ::}, {@code :=} and {@code =>}. */
    OPERATOR,
    LPAREN,
    RPAREN,
    COMMA,
    SEMICOLON,
    DOT,
    /** Anything else ({@code [}, {@code ]}, {@code :}, a lone {@code $}, ...). */
    OTHER;

    /** Whether a fingerprint replaces this token by {@code ?}. */
    public boolean isLiteral() {
        return this == STRING || this == NUMBER;
    }
}
