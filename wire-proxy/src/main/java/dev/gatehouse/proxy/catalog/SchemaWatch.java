package dev.gatehouse.proxy.catalog;

import dev.gatehouse.enforce.catalog.SchemaChanges;
import dev.gatehouse.proxy.protocol.backend.ReadyForQuery;

/**
 * One session's schema changes, as the server reports them, passed on to the live catalog of its database once
 * other connections can see them: the catalog is read over the proxy's own connection, which sees only what is
 * committed. A CommandComplete whose tag says the statement changed definitions ({@code CREATE ...},
 * {@code ALTER ...}, {@code DROP ...}, {@code IMPORT FOREIGN SCHEMA}, or a {@code DO} or {@code CALL} that may have
 * run any of them) marks the session; the next ReadyForQuery outside a transaction block (after the implicit
 * transaction, or the COMMIT or ROLLBACK of the block) has the database's catalog read again, before that
 * ReadyForQuery reaches the client, so its next statement is decided against the new definitions. Inside the
 * block, statements are decided against the catalog as committed (a column the block added is not seen there).
 * Not seen here: {@code CREATE TABLE AS} and {@code SELECT INTO} (the server tags them {@code SELECT n}) and DDL
 * run inside a function called from another statement; the catalog's interval refresh covers those.
 *
 * <p>Threads: the session's server relay only (it reports both messages, in the server's order).
 */
public final class SchemaWatch {
    private static final byte[][] DEFINING = {ascii("CREATE "), ascii("ALTER "), ascii("DROP "),
            ascii("IMPORT FOREIGN SCHEMA"), ascii("DO\0"), ascii("CALL\0")};

    private final SchemaChanges changes;
    /** Definitions changed since the last ReadyForQuery outside a transaction block. */
    private boolean changed;

    public SchemaWatch(SchemaChanges changes) {
        this.changes = changes;
    }

    /**
     * Hot path, every CommandComplete: {@code length} bytes of {@code tag} (with its NUL; the relay's buffer, read
     * now). The first byte rules out nearly every tag (SELECT, INSERT, UPDATE, BEGIN, COMMIT, SET...) at once.
     */
    public void completed(byte[] tag, int length) {
        byte first = tag[0];
        if (changed || (first != 'C' && first != 'A' && first != 'D' && first != 'I')) {
            return;
        }
        for (byte[] prefix : DEFINING) {
            if (length >= prefix.length && java.util.Arrays.equals(tag, 0, prefix.length, prefix, 0, prefix.length)) {
                changed = true;
                return;
            }
        }
    }

    /** Every ReadyForQuery, with the session's database. */
    public void ready(byte status, String database) {
        if (changed && !ReadyForQuery.inTransaction(status)) {
            changed = false;
            changes.changed(database);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
