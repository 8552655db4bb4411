package dev.gatehouse.sql.catalog;

/**
 * A schema file statement that defines a relation but could not be read. Names the statement's position
 * (1-based, in the order given) so the user can find it.
 */
public final class SchemaFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int statementNumber;

    public SchemaFileException(int statementNumber, String message) {
        super("schema statement " + statementNumber + ": " + message);
        this.statementNumber = statementNumber;
    }

    public int statementNumber() {
        return statementNumber;
    }
}
