package dev.gatehouse.sql.pg;

/**
 * The JNI entry points of {@code libgatehouse_pgquery.so} (src/main/c/gatehouse_pgquery.c). Callers pass the text as
 * UTF-8 ending in one NUL byte and two out-parameters: {@code errorMessage[0]} receives the error message (UTF-8) and
 * {@code errorCursor[0]} libpg_query's cursor position (1-based, in characters; 0 when none). On an error the
 * result is null. Nothing here loads the library: {@link PgNativeLoader} does, before any call.
 * Kept free of newer language features so the same class can be checked against older JVMs.
 */
final class PgNative {
    private PgNative() {}

    /** pg_query_parse: the parse tree as JSON (UTF-8). */
    static native byte[] parse0(byte[] utf8Nul, boolean standardConformingStrings, byte[][] errorMessage, int[] errorCursor);

    /** pg_query_parse_plpgsql: the PL/pgSQL function trees as JSON (UTF-8). */
    static native byte[] parsePlpgsql0(byte[] utf8Nul, boolean standardConformingStrings, byte[][] errorMessage, int[] errorCursor);

    /** pg_query_scan: 4 ints per token: start byte, end byte (exclusive), token number, keyword kind. */
    static native int[] scan0(byte[] utf8Nul, boolean standardConformingStrings, byte[][] errorMessage, int[] errorCursor);
}
