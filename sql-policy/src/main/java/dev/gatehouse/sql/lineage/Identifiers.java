package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;

/**
 * Case-folds identifiers as each dialect compares them. PostgreSQL folds unquoted names to lower case and
 * keeps quoted ones exactly; MySQL compares table, database and column names case-insensitively here (its
 * default on case-insensitive file systems and for columns everywhere), so everything is lower-cased after
 * the backticks are stripped. Stateless; any thread.
 */
public final class Identifiers {
    private Identifiers() {
    }

    /** Hot path: one identifier part as JSqlParser returns it (quotes still on). */
    public static String fold(String raw, Dialect dialect) {
        if (raw == null || raw.isEmpty()) {
            return raw;
        }
        char first = raw.charAt(0);
        int last = raw.length() - 1;
        if (last > 0 && (first == '"' || first == '`') && raw.charAt(last) == first) {
            String inner = unescapeDoubled(raw.substring(1, last), first);
            // A quoted PostgreSQL name is case-sensitive; MySQL compares even quoted names lower-cased.
            return dialect == Dialect.POSTGRES && first == '"' ? inner : lower(inner);
        }
        return lower(raw);
    }

    /** Whether JSqlParser kept double quotes around this part (in MySQL that is a string literal, not a name). */
    public static boolean isDoubleQuoted(String raw) {
        return raw != null && raw.length() > 1 && raw.charAt(0) == '"' && raw.charAt(raw.length() - 1) == '"';
    }

    private static String unescapeDoubled(String inner, char quote) {
        if (inner.indexOf(quote) < 0) {
            return inner;
        }
        StringBuilder out = new StringBuilder(inner.length());
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            out.append(c);
            if (c == quote && i + 1 < inner.length() && inner.charAt(i + 1) == quote) {
                i++;
            }
        }
        return out.toString();
    }

    /** ASCII-only lower-casing, as PostgreSQL's identifier folding; avoids a copy when already lower case. */
    private static String lower(String s) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        char[] chars = s.toCharArray();
        for (; i < n; i++) {
            char c = chars[i];
            if (c >= 'A' && c <= 'Z') {
                chars[i] = (char) (c + ('a' - 'A'));
            }
        }
        return new String(chars);
    }
}
