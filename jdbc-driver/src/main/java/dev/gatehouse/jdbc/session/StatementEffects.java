package dev.gatehouse.jdbc.session;

import dev.gatehouse.sql.Dialect;

/**
 * What a statement that passed may have changed besides data, so the driver re-reads the session or the
 * catalog only then. A char-level scan over every statement of the text (quotes, comments and dollar quoting
 * skipped), looking at each statement's leading keyword, plus {@code set_config} anywhere and
 * {@code SELECT ... INTO} (PostgreSQL creates a table). Deliberately generous: a false positive costs one
 * metadata round trip, a false negative a stale search path.
 *
 * <p>Threads: stateless.
 */
public final class StatementEffects {
    public static final int NONE = 0;
    /** search_path, current database, role or another session setting may have changed. */
    public static final int SESSION = 1;
    /** tables, views or schemas may have changed. */
    public static final int SCHEMA = 2;
    /** a transaction ended (what it changed is now final or undone). */
    public static final int TRANSACTION_END = 4;

    private StatementEffects() {
    }

    /** Hot path for plain statements (prepared ones scan once at prepare): no allocation. */
    public static int of(String sql, Dialect dialect) {
        int effects = NONE;
        boolean statementStart = true;
        boolean selectLike = false;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || (c == '`' && dialect == Dialect.MYSQL)) {
                i = skipQuoted(sql, i, c, dialect);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '#' && dialect == Dialect.MYSQL) {
                i = skipLine(sql, i);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i, dialect);
            } else if (c == '$' && dialect == Dialect.POSTGRES && (i == 0 || !isWordChar(sql.charAt(i - 1)))) {
                i = skipDollarQuoted(sql, i);
            } else if (c == ';') {
                statementStart = true;
                selectLike = false;
                i++;
            } else if (isWordStart(c)) {
                int end = i + 1;
                while (end < n && isWordChar(sql.charAt(end))) {
                    end++;
                }
                if (statementStart) {
                    int leading = leadingEffects(sql, i, end - i);
                    effects |= leading;
                    selectLike = is(sql, i, end - i, "select") || is(sql, i, end - i, "with");
                    statementStart = false;
                } else if (is(sql, i, end - i, "set_config")) {
                    effects |= SESSION;
                } else if (selectLike && dialect == Dialect.POSTGRES && is(sql, i, end - i, "into")) {
                    effects |= SCHEMA;
                }
                i = end;
            } else {
                i++;
            }
        }
        return effects;
    }

    private static int leadingEffects(String sql, int at, int len) {
        return switch (len) {
            case 2 -> is(sql, at, len, "do") ? SESSION | SCHEMA : NONE;
            case 3 -> is(sql, at, len, "set") || is(sql, at, len, "use") ? SESSION
                    : is(sql, at, len, "end") ? TRANSACTION_END : NONE;
            case 4 -> is(sql, at, len, "drop") || is(sql, at, len, "load") ? SCHEMA | SESSION
                    : is(sql, at, len, "call") ? SESSION | SCHEMA : NONE;
            case 5 -> is(sql, at, len, "reset") ? SESSION
                    : is(sql, at, len, "alter") ? SCHEMA | SESSION
                    : is(sql, at, len, "abort") ? TRANSACTION_END : NONE;
            case 6 -> is(sql, at, len, "create") || is(sql, at, len, "rename") || is(sql, at, len, "import")
                    ? SCHEMA | SESSION
                    : is(sql, at, len, "commit") ? TRANSACTION_END : NONE;
            case 7 -> is(sql, at, len, "discard") || is(sql, at, len, "execute") ? SESSION | SCHEMA
                    : is(sql, at, len, "comment") ? SCHEMA : NONE;
            case 8 -> is(sql, at, len, "rollback") ? TRANSACTION_END : NONE;
            default -> NONE;
        };
    }

    private static boolean is(String sql, int at, int len, String keyword) {
        return len == keyword.length() && sql.regionMatches(true, at, keyword, 0, len);
    }

    private static boolean isWordStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 127;
    }

    private static boolean isWordChar(char c) {
        return isWordStart(c) || c >= '0' && c <= '9' || c == '$';
    }

    private static int skipQuoted(String sql, int i, char quote, Dialect dialect) {
        int n = sql.length();
        boolean backslashEscapes = dialect == Dialect.MYSQL && quote != '`'
                || quote == '\'' && i > 0 && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E');
        int j = i + 1;
        while (j < n) {
            char c = sql.charAt(j);
            if (backslashEscapes && c == '\\') {
                j += 2;
            } else if (c == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return n;
    }

    private static int skipLine(String sql, int i) {
        int nl = sql.indexOf('\n', i);
        return nl < 0 ? sql.length() : nl + 1;
    }

    /** PostgreSQL block comments nest; MySQL's do not. */
    private static int skipBlockComment(String sql, int i, Dialect dialect) {
        int n = sql.length();
        int depth = 1;
        int j = i + 2;
        while (j < n && depth > 0) {
            if (sql.charAt(j) == '*' && j + 1 < n && sql.charAt(j + 1) == '/') {
                depth--;
                j += 2;
            } else if (dialect == Dialect.POSTGRES && sql.charAt(j) == '/' && j + 1 < n && sql.charAt(j + 1) == '*') {
                depth++;
                j += 2;
            } else {
                j++;
            }
        }
        return j;
    }

    /** {@code $tag$ ... $tag$}; a lone {@code $} (a parameter like {@code $1}) is skipped as one char. */
    private static int skipDollarQuoted(String sql, int i) {
        int n = sql.length();
        int j = i + 1;
        while (j < n && sql.charAt(j) != '$' && (isWordStart(sql.charAt(j)) || Character.isDigit(sql.charAt(j)) && j > i + 1)) {
            j++;
        }
        if (j >= n || sql.charAt(j) != '$') {
            return i + 1;
        }
        String tag = sql.substring(i, j + 1);
        int close = sql.indexOf(tag, j + 1);
        return close < 0 ? n : close + tag.length();
    }
}
