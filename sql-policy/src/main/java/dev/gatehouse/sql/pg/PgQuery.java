package dev.gatehouse.sql.pg;

import java.nio.charset.StandardCharsets;

/**
 * PostgreSQL's own parser and scanner (libpg_query, PostgreSQL 15) through JNI.
 *
 * <p><b>Threads:</b> every method may be called from any thread, concurrently: libpg_query keeps its state per
 * thread, and the shim sets {@code standard_conforming_strings} on the calling thread for the one call only. A call
 * from a virtual thread pins its carrier for the duration of the native call (microseconds to milliseconds).
 *
 * <p><b>Text:</b> passed as UTF-8. Text holding a NUL character or an unpaired UTF-16 surrogate never reaches the
 * parser: PostgreSQL refuses NUL, and a surrogate has no UTF-8 form (it would become '?', a different text). Such
 * text gets an error result, as does every call when the library is not {@link #available()} (Linux x86_64 only);
 * there is no other parser to fall back to: callers fail closed on an error result.
 *
 * <p><b>Depth:</b> libpg_query writes its JSON by recursion, and a left-associative chain (SELECT 1+1+1...) nests
 * without the grammar's limit. A text whose worst-case stack need does not fit what is left of the calling thread's
 * stack is parsed on a stack of its own, sized for it, so no text crashes the JVM (see gatehouse_pgquery.c).
 *
 * <p><b>Positions:</b> locations inside the JSON are UTF-8 byte offsets ({@link #charIndex}, {@link PgOffsets});
 * {@link PgScan} tokens and every {@code errorCharIndex} are Java char indexes already.
 */
public final class PgQuery {
    private PgQuery() {}

    /** pg_query_parse's JSON parse tree, read as a session with this standard_conforming_strings would. */
    public static PgParse parse(String sql, boolean standardConformingStrings) {
        Encoded e = encode(sql);
        if (e.error != null) return PgParse.failed(e.error, e.errorIndex);
        String unavailable = PgNativeLoader.ERROR;
        if (unavailable != null) return PgParse.failed(unavailable, -1);
        byte[][] message = new byte[1][];
        int[] cursor = new int[1];
        byte[] json = PgNative.parse0(e.bytes, standardConformingStrings, message, cursor);
        if (json != null) return new PgParse(new String(json, StandardCharsets.UTF_8), null, -1);
        return PgParse.failed(messageOf(message), cursorCharIndex(sql, e.ascii, cursor[0]));
    }

    /**
     * pg_query_parse_plpgsql: the PL/pgSQL body of a {@code CREATE FUNCTION ... LANGUAGE plpgsql} statement as JSON
     * (PostgreSQL's default standard_conforming_strings, on).
     */
    public static PgParse parsePlpgsql(String createFunctionSql) {
        return parsePlpgsql(createFunctionSql, true);
    }

    /**
     * pg_query_parse_plpgsql as a session with this standard_conforming_strings reads it: the setting governs both
     * the statement's own strings and the PL/pgSQL scanner's reading of the body (a backslash in {@code '...'}).
     * Takes {@code CREATE FUNCTION}/{@code PROCEDURE} and {@code DO} statements (libpg_query 15-4.0.0 compiles a DO
     * body inline, as the server does); the JSON is an array with one function per such statement.
     */
    public static PgParse parsePlpgsql(String createFunctionSql, boolean standardConformingStrings) {
        Encoded e = encode(createFunctionSql);
        if (e.error != null) return PgParse.failed(e.error, e.errorIndex);
        String unavailable = PgNativeLoader.ERROR;
        if (unavailable != null) return PgParse.failed(unavailable, -1);
        byte[][] message = new byte[1][];
        int[] cursor = new int[1];
        byte[] json = PgNative.parsePlpgsql0(e.bytes, standardConformingStrings, message, cursor);
        if (json != null) return new PgParse(new String(json, StandardCharsets.UTF_8), null, -1);
        return PgParse.failed(messageOf(message), cursorCharIndex(createFunctionSql, e.ascii, cursor[0]));
    }

    /** pg_query_scan: PostgreSQL's tokens of the text, with char-index positions (see {@link PgScan}). */
    public static PgScan scan(String sql, boolean standardConformingStrings) {
        Encoded e = encode(sql);
        if (e.error != null) return PgScan.failed(e.error, e.errorIndex);
        String unavailable = PgNativeLoader.ERROR;
        if (unavailable != null) return PgScan.failed(unavailable, -1);
        byte[][] message = new byte[1][];
        int[] cursor = new int[1];
        int[] tokens = PgNative.scan0(e.bytes, standardConformingStrings, message, cursor);
        if (tokens == null) return PgScan.failed(messageOf(message), cursorCharIndex(sql, e.ascii, cursor[0]));
        if (!e.ascii) {
            PgOffsets offsets = PgOffsets.of(sql);
            for (int i = 0; i < tokens.length; i += 4) {
                tokens[i] = offsets.charIndex(tokens[i]);
                tokens[i + 1] = offsets.charIndex(tokens[i + 1]);
            }
        }
        return new PgScan(tokens, null, -1);
    }

    /** True when libpg_query is loaded (loading it on first call). */
    public static boolean available() {
        return PgNativeLoader.ERROR == null;
    }

    /** Why libpg_query is not available (naming the OS/arch and the cause), or null when it is. */
    public static String unavailableReason() {
        return PgNativeLoader.ERROR;
    }

    /**
     * The Java char index of a libpg_query byte offset into {@code sql} (locations in the JSON are UTF-8 byte
     * offsets). Scans the text on each call; for many locations of one text use {@link PgOffsets#of} once.
     */
    public static int charIndex(String sql, int byteOffset) {
        int n = sql.length();
        int i = 0;
        while (i < n && i < byteOffset && sql.charAt(i) < 0x80) i++;
        if (i == byteOffset) return i;  // ASCII up to the offset: byte offset = char index
        return PgOffsets.of(sql).charIndex(byteOffset);
    }

    private static String messageOf(byte[][] message) {
        return message[0] == null ? "libpg_query failed without a message" : new String(message[0], StandardCharsets.UTF_8);
    }

    /** libpg_query's cursorpos counts characters (code points) from 1; 0 means none. */
    private static int cursorCharIndex(String sql, boolean ascii, int cursorpos) {
        if (cursorpos <= 0) return -1;
        int codePoints = ascii ? sql.length() : sql.codePointCount(0, sql.length());
        int k = Math.min(cursorpos - 1, codePoints);
        return ascii ? k : sql.offsetByCodePoints(0, k);
    }

    /** The text as UTF-8 with a closing NUL, or why it cannot be passed. */
    private record Encoded(byte[] bytes, boolean ascii, String error, int errorIndex) {}

    private static Encoded encode(String sql) {
        int n = sql.length();
        long size = 0;
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            if (c == 0) return new Encoded(null, false, "text holds a NUL character", i);
            if (c < 0x80) size += 1;
            else if (c < 0x800) { size += 2; ascii = false; }
            else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(sql.charAt(i + 1))) {
                    size += 4;
                    i++;
                    ascii = false;
                } else return new Encoded(null, false, "text holds an unpaired surrogate", i);
            } else { size += 3; ascii = false; }
        }
        if (size + 1 > Integer.MAX_VALUE - 8) return new Encoded(null, false, "text too long", -1);
        byte[] out;
        if (ascii) {
            out = new byte[n + 1];
            for (int i = 0; i < n; i++) out[i] = (byte) sql.charAt(i);
        } else {
            byte[] utf8 = sql.getBytes(StandardCharsets.UTF_8);
            out = new byte[utf8.length + 1];
            System.arraycopy(utf8, 0, out, 0, utf8.length);
        }
        return new Encoded(out, ascii, null, -1);
    }
}
