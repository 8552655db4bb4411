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
final class ClientEncoding {
    /**
     * Not DEFAULT: MySQL then takes the server's configured character set, which may be GBK (and PostgreSQL the
     * connection's, which Gatehouse did not necessarily see), so DEFAULT is judged like an unknown encoding.
     */
    private static final Set<String> READABLE = Set.of("utf8", "utf8mb3", "utf8mb4", "unicode", "sqlascii", "ascii",
            "latin1", "binary");

    private ClientEncoding() {
    }

    /** The value at token {@code k} (past {@code TO}, {@code =} or {@code :=}), judged. */
    static void value(StatementTokens s, int k, Findings f) {
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
        if (!readable(name)) {
            f.unknown("client character set " + name + " can hide quotes and backslashes in multibyte characters");
        }
    }

    static boolean readable(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '-' && c != '_' && c != ' ') {
                b.append(c);
            }
        }
        return READABLE.contains(b.toString().toLowerCase(Locale.ROOT));
    }
}
