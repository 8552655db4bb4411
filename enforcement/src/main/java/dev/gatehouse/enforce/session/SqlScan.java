package dev.gatehouse.enforce.session;

import dev.gatehouse.sql.Dialect;

import java.util.Collections;
import java.util.List;

/**
 * What one SQL text does to the session besides data, as the server reads it: the one reading both front ends
 * track sessions with. PostgreSQL text is read by PostgreSQL's own scanner and parser ({@link PgSessionReader}),
 * MySQL text by the policy library's MySQL lexer ({@link MysqlSessionReader}); answers are cached per text
 * ({@link ScanCache}).
 *
 * <p>The flags are generous: a false positive costs the front end one round trip to re-read the session, a false
 * negative a decision made against the wrong search path or role. A text that cannot be read is {@link #UNREADABLE}
 * and touches everything but the transaction.
 *
 * <p>Threads: immutable; {@link #of} runs on the caller's thread, any thread.
 *
 * @param executed     names of the SQL-level prepared statements the text runs ({@code EXECUTE name}, also in
 *                     {@code EXPLAIN ANALYZE} and {@code CREATE TABLE AS}), in order, as {@link SessionEffect.Prepare}
 *                     names them
 * @param bodiesInText at the same positions: the body a {@code PREPARE} earlier in this text gave that name (null
 *                     when none did), so an {@code EXECUTE} is decided with what the server will run at that point
 * @param effects      the session changes, in order (PostgreSQL only)
 * @param flags        {@link #SESSION}, {@link #SCHEMA}, {@link #TRANSACTION_END}, {@link #SAVEPOINT_ROLLBACK},
 *                     {@link #UNREADABLE}, {@link #TRANSACTION_CONTROL}
 */
public record SqlScan(List<String> executed, List<String> bodiesInText, List<SessionEffect> effects, int flags) {
    /** search_path, role, session authorization, client encoding, the current database or the like may have changed. */
    public static final int SESSION = 1;
    /** Tables, views or schemas may have changed. */
    public static final int SCHEMA = 2;
    /** The transaction ended: what it changed is now final or undone. */
    public static final int TRANSACTION_END = 4;
    /** {@code ROLLBACK TO SAVEPOINT}: changes since the savepoint are undone; the transaction goes on. */
    public static final int SAVEPOINT_ROLLBACK = 8;
    /** The text could not be read: what it does is unknown (always with {@link #SESSION} and {@link #SCHEMA}). */
    public static final int UNREADABLE = 16;
    /** A transaction control statement of any kind (BEGIN, COMMIT, SAVEPOINT, RELEASE...; PostgreSQL only). */
    public static final int TRANSACTION_CONTROL = 32;
    private static final int ALL_FLAGS = SESSION | SCHEMA | TRANSACTION_END | SAVEPOINT_ROLLBACK | UNREADABLE
            | TRANSACTION_CONTROL;

    /** Nothing but data: the answer for nearly every statement. */
    public static final SqlScan NONE = new SqlScan(List.of(), List.of(), List.of(), 0);
    /** A text Gatehouse could not read. */
    static final SqlScan UNREADABLE_TEXT = new SqlScan(List.of(), List.of(), List.of(new SessionEffect.Unreadable()),
            SESSION | SCHEMA | UNREADABLE);
    /** One shared answer per combination of flags, for texts with no effects or EXECUTEs. */
    private static final SqlScan[] FLAGS_ONLY = new SqlScan[ALL_FLAGS + 1];

    static {
        for (int f = 0; f < FLAGS_ONLY.length; f++) {
            FLAGS_ONLY[f] = f == 0 ? NONE : new SqlScan(List.of(), List.of(), List.of(), f);
        }
    }

    public SqlScan {
        if (executed.size() != bodiesInText.size()) {
            throw new IllegalArgumentException("one body (or null) per EXECUTE");
        }
        if ((flags & ~ALL_FLAGS) != 0) {
            throw new IllegalArgumentException("unknown flags " + flags);
        }
        executed = List.copyOf(executed);
        bodiesInText = Collections.unmodifiableList(new java.util.ArrayList<>(bodiesInText)); // may hold nulls
        effects = List.copyOf(effects);
    }

    /** Hot path: a PostgreSQL text (the proxy's dialect); cached, so a repeated text costs one lookup. */
    public static SqlScan of(String sql) {
        return ScanCache.scan(sql, Dialect.POSTGRES);
    }

    /** Hot path: cached, so a repeated text costs one lookup. */
    public static SqlScan of(String sql, Dialect dialect) {
        return ScanCache.scan(sql, dialect);
    }

    /** The shared answer carrying only these flags. */
    static SqlScan flagsOnly(int flags) {
        return FLAGS_ONLY[flags];
    }

    /** search_path, role, client_encoding or another setting a decision depends on may have changed. */
    public boolean touchesSession() {
        return (flags & SESSION) != 0;
    }

    public boolean changesSchema() {
        return (flags & SCHEMA) != 0;
    }

    public boolean endsTransaction() {
        return (flags & TRANSACTION_END) != 0;
    }

    public boolean rollsBackToSavepoint() {
        return (flags & SAVEPOINT_ROLLBACK) != 0;
    }

    /** It holds a transaction control statement (or could not be read, so may). */
    public boolean controlsTransaction() {
        return (flags & (TRANSACTION_CONTROL | UNREADABLE)) != 0;
    }

    /** False when the text could not be read: then nothing known about the session before it can be trusted. */
    public boolean readable() {
        return (flags & UNREADABLE) == 0;
    }

    /** The body a {@code PREPARE} earlier in this text gave the name of the {@code i}-th EXECUTE, or null. */
    public String preparedBefore(int i) {
        return bodiesInText.get(i);
    }
}
