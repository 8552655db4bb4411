package dev.gatehouse.approvals.http;

import java.util.Locale;
import java.util.Set;

/**
 * Lays out SQL for reading on the page: a line break before each major clause keyword (FROM, WHERE, JOIN,
 * ...), found by a char-level scan that never looks inside quotes or comments. Display only: the exact
 * submitted text is shown beside it, and text the scan cannot follow (dollar quoting) is shown unchanged. Stateless; HTTP server threads.
 */
final class SqlLayout {
    private static final Set<String> BREAK_BEFORE = Set.of("FROM", "WHERE", "JOIN", "GROUP", "ORDER", "HAVING",
            "LIMIT", "UNION", "RETURNING", "SET", "VALUES", "ON", "AND", "OR", "INTERSECT", "EXCEPT", "LEFT", "RIGHT",
            "INNER", "FULL", "CROSS");
    private static final Set<String> JOIN_PREFIX = Set.of("LEFT", "RIGHT", "INNER", "FULL", "CROSS", "OUTER", "NATURAL");

    private SqlLayout() {
    }

    static String layout(String sql) {
        if (hasDollarQuote(sql) || sql.length() > 20_000) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 32);
        String previousWord = "";
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = closing(sql, i, c);
                out.append(sql, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                out.append(sql, i, end);
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                    end++;
                }
                String word = sql.substring(i, end).toUpperCase(Locale.ROOT);
                boolean joinAfterPrefix = "JOIN".equals(word) && JOIN_PREFIX.contains(previousWord);
                if (BREAK_BEFORE.contains(word) && !joinAfterPrefix && !"OUTER".equals(previousWord) && out.length() > 0) {
                    trimTrailingSpace(out);
                    out.append('\n');
                    if ("AND".equals(word) || "OR".equals(word) || "ON".equals(word)) {
                        out.append("  ");
                    }
                }
                out.append(sql, i, end);
                previousWord = word;
                i = end;
            } else if (Character.isWhitespace(c)) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n' && out.charAt(out.length() - 1) != ' ') {
                    out.append(' ');
                }
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString().strip();
    }

    /** A {@code $} not followed by a digit may open a dollar-quoted string, which this scan does not follow. */
    private static boolean hasDollarQuote(String sql) {
        for (int i = sql.indexOf('$'); i >= 0; i = sql.indexOf('$', i + 1)) {
            if (i + 1 >= sql.length() || !Character.isDigit(sql.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /** Index after the quote that closes the one at {@code start}; doubled quotes and backslashes stay inside. */
    private static int closing(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && quote == '\'') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static void trimTrailingSpace(StringBuilder b) {
        while (b.length() > 0 && b.charAt(b.length() - 1) == ' ') {
            b.setLength(b.length() - 1);
        }
    }
}
