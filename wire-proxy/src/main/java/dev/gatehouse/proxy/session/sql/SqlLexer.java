package dev.gatehouse.proxy.session.sql;

/**
 * A char-level PostgreSQL lexer just deep enough to find statement boundaries and the leading words of a
 * statement: it knows comments (nested block comments too), standard and E'' strings, quoted identifiers and
 * dollar quoting, so a ';' or keyword inside any of them is never mistaken for structure. No regex, no
 * allocation per token. Runs on the session's client-reader thread.
 */
public final class SqlLexer {
    public static final int EOF = 0;
    public static final int WORD = 1;
    public static final int QUOTED_IDENT = 2;
    public static final int STRING = 3;
    public static final int SEMICOLON = 4;
    public static final int OTHER = 5;

    private final String sql;
    private int pos;
    private int start;
    private int end;
    private int kind;

    public SqlLexer(String sql) {
        this.sql = sql;
    }

    public int kind() {
        return kind;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    /** Hot path: advances to the next token and returns its kind. */
    public int next() {
        skipSpaceAndComments();
        start = pos;
        if (pos >= sql.length()) {
            end = pos;
            return kind = EOF;
        }
        char c = sql.charAt(pos);
        if (c == ';') {
            pos++;
            return finish(SEMICOLON);
        }
        if ((c == 'E' || c == 'e') && pos + 1 < sql.length() && sql.charAt(pos + 1) == '\'') {
            pos = skipQuoted(pos + 1, '\'', true);
            return finish(STRING);
        }
        if (c == '\'') {
            pos = skipQuoted(pos, '\'', false);
            return finish(STRING);
        }
        if (c == '"') {
            pos = skipQuoted(pos, '"', false);
            return finish(QUOTED_IDENT);
        }
        if (c == '$') {
            int tagEnd = dollarTagEnd(pos);
            if (tagEnd > 0) {
                String tag = sql.substring(pos, tagEnd);
                int close = sql.indexOf(tag, tagEnd);
                pos = close < 0 ? sql.length() : close + tag.length();
                return finish(STRING);
            }
        }
        if (isWordStart(c)) {
            pos++;
            while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
                pos++;
            }
            return finish(WORD);
        }
        pos++;
        return finish(OTHER);
    }

    /** True when the current token is the keyword {@code upper} (given in upper case), any case. */
    public boolean is(String upper) {
        return kind == WORD && end - start == upper.length() && sql.regionMatches(true, start, upper, 0, upper.length());
    }

    /** True when the current token is the single character {@code c}. */
    public boolean isChar(char c) {
        return end - start == 1 && sql.charAt(start) == c;
    }

    /**
     * The current token as a name, as the server stores it: quoted identifiers lose their quotes, unquoted words
     * fold their ASCII letters only (PostgreSQL's downcase_identifier leaves other letters alone in a multibyte
     * server encoding: {@code Ä} and {@code ä} are two names).
     */
    public String name() {
        if (kind == QUOTED_IDENT) {
            return sql.substring(start + 1, end - 1).replace("\"\"", "\"");
        }
        char[] word = sql.substring(start, end).toCharArray();
        for (int i = 0; i < word.length; i++) {
            if (word[i] >= 'A' && word[i] <= 'Z') {
                word[i] += 'a' - 'A';
            }
        }
        return new String(word);
    }

    /** Skips to just after the current statement's ';' (or the end); returns the statement's end offset. */
    public int skipStatement() {
        while (kind != SEMICOLON && kind != EOF) {
            next();
        }
        return kind == SEMICOLON ? start : end;
    }

    /** Like {@link #skipStatement} but first moves past the current token. */
    public int skipStatementFromNext() {
        next();
        return skipStatement();
    }

    public String text(int from, int to) {
        return sql.substring(from, to);
    }

    private int finish(int k) {
        end = pos;
        return kind = k;
    }

    private void skipSpaceAndComments() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && pos + 1 < sql.length() && sql.charAt(pos + 1) == '-') {
                int nl = sql.indexOf('\n', pos);
                pos = nl < 0 ? sql.length() : nl + 1;
            } else if (c == '/' && pos + 1 < sql.length() && sql.charAt(pos + 1) == '*') {
                pos = skipBlockComment(pos);
            } else {
                return;
            }
        }
    }

    /** PostgreSQL block comments nest. */
    private int skipBlockComment(int from) {
        int depth = 0;
        int i = from;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return i;
    }

    /** From an opening quote, returns the offset after the closing one (doubled quotes are content). */
    private int skipQuoted(int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** The end of a dollar-quote tag ($$ or $tag$) starting at {@code at}, or -1 when this '$' is not one. */
    private int dollarTagEnd(int at) {
        int i = at + 1;
        if (i < sql.length() && Character.isDigit(sql.charAt(i))) {
            return -1; // $1 is a parameter, not a quote
        }
        while (i < sql.length() && sql.charAt(i) != '$') {
            if (!isWordPart(sql.charAt(i)) || sql.charAt(i) == '$') {
                return -1;
            }
            i++;
        }
        return i < sql.length() ? i + 1 : -1;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }
}
