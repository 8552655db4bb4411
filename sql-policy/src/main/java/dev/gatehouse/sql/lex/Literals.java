package dev.gatehouse.sql.lex;

import dev.gatehouse.sql.Dialect;

/**
 * Decodes literal and quoted-identifier tokens on demand (the lexer only finds their boundaries). Used off
 * the common path: for names and values that decide a classification (SET role, set_config, search_path).
 * Stateless; callable from any thread.
 */
final class Literals {
    private Literals() {
    }

    static String quotedIdentifier(Tokens t, int i) {
        String s = t.source();
        int start = t.start(i);
        int end = t.end(i);
        if (t.dialect() == Dialect.POSTGRES && (s.charAt(start) == 'u' || s.charAt(start) == 'U')) {
            return unicode(undouble(s, start + 3, end - 1, '"'), uescape(t, i));
        }
        return undouble(s, start + 1, end - 1, s.charAt(start));
    }

    static String string(Tokens t, int i) {
        String s = t.source();
        int start = t.start(i);
        int end = t.end(i);
        char first = s.charAt(start);
        if (first == '$') {
            int tagEnd = s.indexOf('$', start + 1) + 1;
            return s.substring(tagEnd, end - (tagEnd - start));
        }
        if (t.dialect() == Dialect.MYSQL) {
            int open = first == '\'' || first == '"' ? start : start + 1;
            return backslashed(s, open + 1, end - 1, s.charAt(open));
        }
        char lc = Tokens.asciiLower(first);
        if (lc == 'e') {
            return escaped(s, start + 2, end - 1);
        }
        if (lc == 'u') {
            return unicode(undouble(s, start + 3, end - 1, '\''), uescape(t, i));
        }
        int open = first == '\'' ? start : start + 1;
        return undouble(s, open + 1, end - 1, '\'');
    }

    /** The escape character of a U& literal: {@code \} unless {@code UESCAPE 'c'} follows. */
    private static char uescape(Tokens t, int i) {
        if (t.isWord(i + 1, "uescape") && t.is(i + 2, TokenType.STRING)) {
            String v = string(t, i + 2);
            if (v.length() == 1) {
                return v.charAt(0);
            }
        }
        return '\\';
    }

    /** Content between the quotes with doubled quotes made single; PostgreSQL's continuation quotes are dropped. */
    private static String undouble(String s, int from, int to, char quote) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == quote) {
                if (k + 1 < to && s.charAt(k + 1) == quote) {
                    k++;
                } else {
                    // closing quote of a segment; skip white space to the next segment's opening quote
                    k++;
                    while (k < to && s.charAt(k) != quote) {
                        k++;
                    }
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String backslashed(String s, int from, int to, char quote) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 1 < to) {
                char n = s.charAt(++k);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    case 'b' -> '\b';
                    default -> n;
                });
            } else if (c == quote && k + 1 < to && s.charAt(k + 1) == quote) {
                sb.append(c);
                k++;
            } else if (c == quote) {
                k++;
                while (k < to && s.charAt(k) != quote) {
                    k++;
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A PostgreSQL E'' string as the server decodes it: {@code \b \f \n \r \t}, octal {@code \o..\ooo}, hex
     * {@code \xh..\xhh}, backslash-u with 4 and backslash-U with 8 hex digits, any other character after a backslash as itself.
     * Setting names decide classifications ({@code set_config(E'rol\x65', ...)}), so this must not fall short.
     */
    private static String escaped(String s, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 1 < to) {
                char n = s.charAt(++k);
                switch (n) {
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'x' -> {
                        int digits = 0;
                        int v = 0;
                        while (digits < 2 && k + 1 < to && hexDigit(s.charAt(k + 1)) >= 0) {
                            v = v * 16 + hexDigit(s.charAt(++k));
                            digits++;
                        }
                        sb.append(digits == 0 ? 'x' : (char) v);
                    }
                    case 'u', 'U' -> {
                        int n4 = n == 'u' ? 4 : 8;
                        int v = hex(s.substring(k + 1, Math.min(to, k + 1 + n4)), 0, n4);
                        if (v >= 0) {
                            sb.appendCodePoint(v);
                            k += n4;
                        } else {
                            sb.append(n);
                        }
                    }
                    default -> {
                        if (n >= '0' && n <= '7') {
                            int v = n - '0';
                            for (int d = 1; d < 3 && k + 1 < to && s.charAt(k + 1) >= '0' && s.charAt(k + 1) <= '7'; d++) {
                                v = v * 8 + (s.charAt(++k) - '0');
                            }
                            sb.append((char) (v & 0xFF));
                        } else {
                            sb.append(n);
                        }
                    }
                }
            } else if (c == '\'' && k + 1 < to && s.charAt(k + 1) == '\'') {
                sb.append(c);
                k++;
            } else if (c == '\'') {
                k++;
                while (k < to && s.charAt(k) != '\'') {
                    k++;
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** PostgreSQL U& escapes: {@code \XXXX}, {@code \+XXXXXX}, and the escape character doubled. */
    private static String unicode(String v, char esc) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c != esc || k + 1 >= v.length()) {
                sb.append(c);
                continue;
            }
            char n = v.charAt(k + 1);
            if (n == esc) {
                sb.append(esc);
                k++;
            } else if (n == '+' && hex(v, k + 2, 6) >= 0) {
                sb.appendCodePoint(hex(v, k + 2, 6));
                k += 7;
            } else if (hex(v, k + 1, 4) >= 0) {
                sb.append((char) hex(v, k + 1, 4));
                k += 4;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * An ASCII hex digit's value, else -1. Not Character.digit: it also takes full-width and other Unicode digits
     * ({@code \x２７}), which the server reads as plain characters, so Gatehouse would decode text the server does not.
     */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static int hex(String v, int from, int n) {
        if (from + n > v.length()) {
            return -1;
        }
        int r = 0;
        for (int k = from; k < from + n; k++) {
            int d = hexDigit(v.charAt(k));
            if (d < 0) {
                return -1;
            }
            r = r * 16 + d;
        }
        return r <= Character.MAX_CODE_POINT ? r : -1;
    }
}
