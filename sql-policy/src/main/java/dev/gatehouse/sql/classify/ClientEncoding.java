package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.lex.TokenType;

import java.util.Locale;
import java.util.Set;

/**
 * Client character set changes ({@code SET NAMES}, {@code SET CHARACTER SET}, {@code character_set_client},
 * PostgreSQL {@code client_encoding}). Gatehouse reads text as the client's driver wrote it (Unicode); in
 * GBK, Big5, SJIS, GB18030 and the like a backslash or quote byte can be the second half of a multibyte
 * character, so after such a change the server splits strings where the lexer does not
 * ({@code SELECT '中\', LOAD_FILE('/etc/passwd') -- '}). Only encodings in which ASCII bytes are always
 * themselves are readable; any other change makes the statement UNKNOWN (fail closed). Stateless.
 */
public final class ClientEncoding {
    /**
     * Not DEFAULT: MySQL then takes the server's configured character set, which may be GBK (and PostgreSQL the
     * connection's, which Gatehouse did not necessarily see), so DEFAULT is judged like an unknown encoding.
     */
    private static final Set<String> READABLE = Set.of("utf8", "utf8mb3", "utf8mb4", "unicode", "sqlascii", "ascii",
            "latin1", "binary");
    /**
     * PostgreSQL also: its single-byte and EUC encodings (names and aliases), in which ASCII bytes are always
     * ASCII. The wire proxy reads text in the encoding the server reports, and pgjdbc refuses any encoding but
     * UTF8 itself. Not for MySQL: a MySQL driver keeps encoding text in its own character set after SET NAMES, so
     * the server would read non-ASCII names otherwise than Gatehouse.
     */
    private static final Set<String> POSTGRES_READABLE = union(READABLE, Set.of(
            "latin2", "latin3", "latin4", "latin5", "latin6", "latin7", "latin8", "latin9", "latin10",
            "iso88591", "iso88592", "iso88593", "iso88594", "iso88595", "iso88596", "iso88597", "iso88598",
            "iso88599", "iso885910", "iso885913", "iso885914", "iso885915", "iso885916",
            "win1250", "win1251", "win1252", "win1253", "win1254", "win1255", "win1256", "win1257", "win1258",
            "windows1250", "windows1251", "windows1252", "windows1253", "windows1254", "windows1255",
            "windows1256", "windows1257", "windows1258", "win866", "win874", "koi8", "koi8r", "koi8u",
            "eucjp", "euccn", "euckr", "euctw"));

    private ClientEncoding() {
    }

    /** A PostgreSQL {@code client_encoding} value at token {@code k} (past {@code TO} or {@code =}), judged. */
    static void postgresValue(StatementTokens s, int k, Findings f) {
        value(s, k, f, POSTGRES_READABLE);
    }

    /** A MySQL character set at token {@code k} (past {@code =} or {@code :=}), judged. */
    static void mysqlValue(StatementTokens s, int k, Findings f) {
        value(s, k, f, READABLE);
    }

    private static void value(StatementTokens s, int k, Findings f, Set<String> readable) {
        f.literalsMatter = true;
        if (s.word(k, "to") || s.t.isOperator(k, "=") || s.t.isOperator(k, ":=")) {
            k++;
        }
        String name;
        if (s.is(k, TokenType.WORD) || s.is(k, TokenType.QUOTED_IDENT)) {
            name = s.t.name(k);
        } else if (s.is(k, TokenType.STRING)) {
            name = s.t.stringValue(k);
        } else {
            f.unknown("client character set not understood: later text may not read as the server reads it");
            return;
        }
        if (!readable.contains(normal(name))) {
            f.unknown("client character set " + name + " can hide quotes and backslashes in multibyte characters");
        }
    }

    /** A PostgreSQL {@code set_config('client_encoding', name, ...)} the text can still be read after. */
    public static boolean readableInPostgres(String name) {
        return POSTGRES_READABLE.contains(normal(name));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** Lower case without '-', '_' and spaces, as both servers compare encoding names. */
    private static String normal(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '-' && c != '_' && c != ' ') {
                b.append(c);
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
