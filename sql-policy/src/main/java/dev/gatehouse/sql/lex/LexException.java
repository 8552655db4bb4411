package dev.gatehouse.sql.lex;

/**
 * The text cannot be lexed completely (an unterminated string, comment or quoted identifier). Callers must
 * fail closed: a statement whose boundaries are unknown is never classified as harmless.
 */
public final class LexException extends Exception {
    private final int offset;

    public LexException(String message, int offset) {
        super(message + " at offset " + offset);
        this.offset = offset;
    }

    /** Character offset in the submitted text where the unterminated construct starts. */
    public int offset() {
        return offset;
    }
}
