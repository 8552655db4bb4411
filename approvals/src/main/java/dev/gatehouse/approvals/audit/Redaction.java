package dev.gatehouse.approvals.audit;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.lex.Fingerprint;
import dev.gatehouse.sql.pg.PgFingerprint;

/**
 * Hides SQL literals where the policy asks for redaction, keeping the statement's shape (keywords, names,
 * operators, with {@code ?} for each literal) so an auditor still sees what ran. Fails closed: text that
 * cannot be fingerprinted is replaced entirely. Stateless; any thread.
 */
public final class Redaction {
    private Redaction() {
    }

    /**
     * The shape of {@code sql} read as {@code dialect} (PostgreSQL's own scanner, the MySQL lexer), or a placeholder
     * when it cannot be read.
     */
    public static String literals(String sql, Dialect dialect) {
        String shape = shape(sql, dialect);
        return shape != null ? shape : replaced(sql);
    }

    private static String shape(String sql, Dialect dialect) {
        return dialect == Dialect.POSTGRES ? PgFingerprint.redacted(sql) : Fingerprint.of(sql, dialect);
    }

    /**
     * For text whose dialect is not known (a stored request does not record it). What is a literal differs
     * between the dialects ({@code "x"} is a string in MySQL and a name in PostgreSQL; backslashes end MySQL
     * strings early), so the shape is kept only when both dialects agree on it: then every literal of either
     * reading is gone. Otherwise the text is replaced entirely.
     */
    public static String literalsInAnyDialect(String sql) {
        String postgres = shape(sql, Dialect.POSTGRES);
        return postgres != null && postgres.equals(shape(sql, Dialect.MYSQL)) ? postgres : replaced(sql);
    }

    private static String replaced(String sql) {
        return "[redacted: " + sql.length() + " characters]";
    }
}
