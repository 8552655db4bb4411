package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.lex.TokenType;

/**
 * MySQL / MariaDB SET (MariaDB's {@code SET STATEMENT ... FOR stmt} is handled by the classifier: it runs
 * stmt). Stateless; runs on the thread that classifies.
 */
final class MysqlSet {
    private MysqlSet() {
    }

    /** MySQL SET: a password or role change is a privilege change; GLOBAL/PERSIST changes the server. */
    static void set(StatementTokens s, int i, Findings f) {
        f.literalsMatter = true;
        if (s.word(i + 1, "password") || s.word(i + 1, "role") || (s.word(i + 1, "default") && s.word(i + 2, "role"))) {
            f.add(Kind.PRIVILEGE);
            return;
        }
        f.add(Kind.SESSION);
        for (int k = i + 1; k < s.to; k++) {
            // NAMES / CHARSET / CHARACTER SET may be any item of the list: SET @a = 1, NAMES gbk
            if (k == i + 1 || s.t.is(k - 1, TokenType.COMMA)) {
                if (s.word(k, "names") || s.word(k, "charset")) {
                    ClientEncoding.mysqlValue(s, k + 1, f);
                } else if (s.word(k, "character") && s.word(k + 1, "set")) {
                    ClientEncoding.mysqlValue(s, k + 2, f);
                }
            }
            if ((s.is(k, TokenType.WORD) && s.t.isWord(k, "character_set_client"))
                    || (s.is(k, TokenType.VARIABLE) && s.t.raw(k).toLowerCase(java.util.Locale.ROOT).endsWith("character_set_client"))) {
                ClientEncoding.mysqlValue(s, k + 1, f);
            }
            // SET @x = (SELECT ssn FROM users) reads a table; the lineage names the columns
            if (s.t.is(k - 1, TokenType.LPAREN) && (s.word(k, "select") || s.word(k, "with") || s.word(k, "table"))) {
                f.add(Kind.READ);
            }
            // sql_log_bin = 0 keeps the session's writes out of the binary log (replicas, point-in-time audit)
            if ((s.is(k, TokenType.WORD) && s.t.isWord(k, "sql_log_bin"))
                    || (s.is(k, TokenType.VARIABLE) && s.t.raw(k).toLowerCase(java.util.Locale.ROOT).endsWith("sql_log_bin"))) {
                f.add(Kind.PRIVILEGE);
                f.notes.add("sql_log_bin hides writes from the binary log");
            }
            boolean scopeWord = (s.t.is(k - 1, TokenType.COMMA) || k == i + 1)
                    && (s.word(k, "global") || s.word(k, "persist") || s.word(k, "persist_only"));
            boolean scopeVar = s.is(k, TokenType.VARIABLE) && (s.t.raw(k).regionMatches(true, 0, "@@global", 0, 8)
                    || s.t.raw(k).regionMatches(true, 0, "@@persist", 0, 9));
            if (scopeWord || scopeVar) {
                // Not the end of the statement: later items (NAMES, sql_log_bin) are still judged.
                if (!f.kinds.contains(Kind.DDL)) {
                    f.notes.add("changes a global server setting");
                }
                f.add(Kind.DDL);
            }
        }
    }
}
