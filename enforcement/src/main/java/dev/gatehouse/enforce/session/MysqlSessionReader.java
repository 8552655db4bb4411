package dev.gatehouse.enforce.session;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Lexer;
import dev.gatehouse.sql.lex.Span;
import dev.gatehouse.sql.lex.Splitter;
import dev.gatehouse.sql.lex.Tokens;

/**
 * What a MySQL or MariaDB text does to the session, read by the policy library's MySQL lexer and splitter (the
 * reading the policy decides with: executable comments {@code /*!...*}{@code /} are code, stored-program bodies
 * are one statement): the leading words of each statement. Flags only; the driver tracks no MySQL prepared names.
 *
 * <p>A backslash reads differently under {@code NO_BACKSLASH_ESCAPES}, so text whose split depends on it is read both
 * ways and the flags of both count; text neither reading can lex is unreadable.
 *
 * <p>Threads: any; stateless.
 */
final class MysqlSessionReader {
    private MysqlSessionReader() {
    }

    static SqlScan read(String sql) {
        Tokens usual = lex(sql, false);
        Tokens other = usual == null || usual.dependsOnEscapeSetting() ? lex(sql, true) : null;
        if (usual == null && other == null) {
            return SqlScan.UNREADABLE_TEXT;
        }
        return SqlScan.flagsOnly(flags(usual) | flags(other));
    }

    private static Tokens lex(String sql, boolean otherEscapes) {
        try {
            return otherEscapes ? Lexer.lexWithOtherEscapes(sql, Dialect.MYSQL) : Lexer.lex(sql, Dialect.MYSQL);
        } catch (LexException e) {
            return null;
        }
    }

    private static int flags(Tokens t) {
        if (t == null) {
            return 0;
        }
        int flags = 0;
        for (Span s : Splitter.spans(t)) {
            flags |= leading(t, s.from(), s.to());
        }
        return flags;
    }

    /** The flags of the statement in tokens {@code from} to {@code to}, by its first words. */
    private static int leading(Tokens t, int i, int to) {
        if (t.isWord(i, "set") || t.isWord(i, "use") || t.isWord(i, "reset")) {
            return SqlScan.SESSION;
        }
        if (t.isWord(i, "create") || t.isWord(i, "alter") || t.isWord(i, "drop") || t.isWord(i, "rename")
                || t.isWord(i, "import") || t.isWord(i, "load")) {
            return SqlScan.SESSION | SqlScan.SCHEMA; // a new or dropped database changes what USE can name
        }
        if (t.isWord(i, "call") || t.isWord(i, "do") || t.isWord(i, "execute")
                || t.isWord(i, "begin") && i + 1 < to && t.isWord(i + 1, "not")) { // MariaDB BEGIN NOT ATOMIC
            return SqlScan.SESSION | SqlScan.SCHEMA; // runs code that may do anything
        }
        if (t.isWord(i, "commit") || t.isWord(i, "xa") && i + 1 < to
                && (t.isWord(i + 1, "commit") || t.isWord(i + 1, "rollback"))) {
            return SqlScan.TRANSACTION_END;
        }
        if (t.isWord(i, "rollback")) {
            int next = i + 1 < to && t.isWord(i + 1, "work") ? i + 2 : i + 1;
            return next < to && t.isWord(next, "to") ? SqlScan.SAVEPOINT_ROLLBACK : SqlScan.TRANSACTION_END;
        }
        return 0;
    }
}
