package dev.gatehouse.sql.pg;

/**
 * The literal-free shape of PostgreSQL text, from PostgreSQL's own scanner: two texts with the same shape have
 * the same tokens but for the values of their literals (each literal kept as its token type), so they parse to
 * the same tree but for those values. The decision cache shares an answer between such texts only when no
 * literal influenced the analysis. Any thread.
 */
public final class PgFingerprint {
    /** Separates tokens; NUL never reaches the scanner (such text is refused), so no token holds it. */
    private static final char SEPARATOR = '\0';

    /**
     * Longer texts are not shaped: PostgreSQL's scanner costs about as much as its parser on them (a 16 KB text
     * scans in over a millisecond here), so a shape would save little and cost a scan on every miss.
     */
    static final int MAX_SHAPED_CHARS = 4096;

    private PgFingerprint() {
    }

    /**
     * Hot path (a literal-varying text the exact cache missed): one scan, one builder. Null when the text has no
     * shape that may be shared: it does not scan, or it holds a backslash (a session with
     * standard_conforming_strings off splits it elsewhere).
     */
    public static String of(String sql) {
        if (sql.length() > MAX_SHAPED_CHARS || sql.indexOf('\\') >= 0) {
            return null;
        }
        String plain = plainKey(sql);
        if (plain != null) {
            return plain;
        }
        return scanned(sql);
    }

    /**
     * Hot path: the shape key of a plain text (see {@link #plainKey}) without any JNI call, or null when the text is
     * not plain, too long to shape, or holds a backslash. Texts with the same plain key have the same tokens but for
     * their literals' contents.
     */
    public static String plain(String sql) {
        return sql.length() > MAX_SHAPED_CHARS || sql.indexOf('\\') >= 0 ? null : plainKey(sql);
    }

    /** The key from PostgreSQL's scanner (a JNI call: about 2.5 µs for a one-line statement). */
    static String scanned(String sql) {
        PgScan scan = PgQuery.scan(sql, true);
        if (!scan.ok()) {
            return null;
        }
        int[] t = scan.tokens();
        StringBuilder b = new StringBuilder(sql.length() + 8);
        int previous = -1;
        for (int i = 0; i + 3 < t.length; i += 4) {
            int token = t[i + 2];
            int start = t[i];
            int end = t[i + 1];
            switch (token) {
                case PgToken.SQL_COMMENT, PgToken.C_COMMENT -> {
                    continue;
                }
                case PgToken.SCONST, PgToken.USCONST, PgToken.BCONST, PgToken.XCONST, PgToken.ICONST, PgToken.FCONST -> {
                    if (previous == PgToken.UESCAPE) {
                        // the escape character decides how the identifier or string before it decodes
                        b.append(sql, start, end);
                    } else {
                        b.append('?').append(token);
                    }
                }
                default -> b.append(sql, start, end);
            }
            b.append(SEPARATOR);
            previous = token;
        }
        return b.toString();
    }

    /**
     * Hot path: the same key as {@link #scanned} without the JNI call, for plain text only, where PostgreSQL's
     * scanner has nothing to decide: ASCII names and keywords, integers, {@code '...'} strings (no backslash, no
     * prefix, not followed by another string), white space, {@code , ( ) [ ] ; .} and the operators
     * {@code = < > + - * / %} alone or as {@code <= >= <>}. Anything else (comments, other operator characters,
     * {@code $}, quotes of names, numbers with a point or exponent, non-ASCII) gives null and the scanner decides.
     * On that alphabet the token boundaries are fixed by the characters alone, so the key equals the scanner's
     * (checked against it on generated and real statements by {@code PgFingerprintTest}).
     */
    static String plainKey(String sql) {
        if (sql.indexOf('\0') >= 0) {
            return null; // the native reader stops at a NUL, so the text is not what it reads (SqlScanFuzzTest found it)
        }
        int n = sql.length();
        StringBuilder b = new StringBuilder(n + 8);
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                i++;
                continue;
            }
            int start = i;
            if (isLetter(c) || c == '_') {
                while (i < n && (isLetter(sql.charAt(i)) || isDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
                    i++;
                }
                if (i < n && (sql.charAt(i) == '\'' || sql.charAt(i) == '&' || sql.charAt(i) == '$')) {
                    return null; // E'', B'', X'', N'', U&'' and U&"" prefixes; $ inside names
                }
                b.append(sql, start, i);
            } else if (isDigit(c)) {
                while (i < n && isDigit(sql.charAt(i))) {
                    i++;
                }
                if (i < n && (isLetter(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '.'
                        || sql.charAt(i) == '$')) {
                    return null; // decimals, exponents, trailing junk
                }
                // the scanner makes an integer that does not fit in 32 bits a float constant
                b.append('?').append(fitsInt(sql, start, i) ? PgToken.ICONST : PgToken.FCONST);
            } else if (c == '\'') {
                i++;
                while (true) {
                    if (i >= n) {
                        return null; // unterminated: the scanner says so
                    }
                    if (sql.charAt(i++) == '\'') {
                        if (i < n && sql.charAt(i) == '\'') {
                            i++; // '' inside a string
                        } else {
                            break;
                        }
                    }
                }
                int next = i;
                while (next < n && (sql.charAt(next) == ' ' || sql.charAt(next) == '\t' || sql.charAt(next) == '\n'
                        || sql.charAt(next) == '\r' || sql.charAt(next) == '\f')) {
                    next++;
                }
                if (next < n && sql.charAt(next) == '\'') {
                    return null; // 'a' <newline> 'b' is one string to PostgreSQL
                }
                b.append('?').append(PgToken.SCONST);
            } else if (c == ',' || c == '(' || c == ')' || c == '[' || c == ']' || c == ';') {
                i++;
                b.append(c);
            } else if (c == '.') {
                i++;
                if (i < n && (sql.charAt(i) == '.' || isDigit(sql.charAt(i)))) {
                    return null;
                }
                b.append(c);
            } else if (isOperator(c)) {
                i++;
                if (i < n && isAnyOperatorChar(sql.charAt(i))) {
                    char d = sql.charAt(i);
                    boolean pair = (c == '<' && (d == '=' || d == '>')) || (c == '>' && d == '=');
                    if (!pair || (i + 1 < n && isAnyOperatorChar(sql.charAt(i + 1)))) {
                        return null; // longer operators and comments: the scanner's rules decide
                    }
                    i++;
                }
                b.append(sql, start, i);
            } else {
                return null;
            }
            b.append(SEPARATOR);
        }
        return b.toString();
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isOperator(char c) {
        return c == '=' || c == '<' || c == '>' || c == '+' || c == '-' || c == '*' || c == '/' || c == '%';
    }

    /** PostgreSQL's operator characters: any of them next to another makes a longer operator or a comment. */
    private static boolean isAnyOperatorChar(char c) {
        return "~!@#^&|`?+-*/%<>=".indexOf(c) >= 0;
    }

    private static boolean fitsInt(String sql, int from, int to) {
        while (from < to - 1 && sql.charAt(from) == '0') {
            from++;
        }
        if (to - from < 10) {
            return true;
        }
        if (to - from > 10) {
            return false;
        }
        return sql.substring(from, to).compareTo("2147483647") <= 0;
    }

    /**
     * The text as people should see it with its values hidden (redacted audit records): every literal as
     * {@code ?}, comments gone, keywords and unquoted names in lower case as PostgreSQL folds them, one space where
     * the text had white space or a comment. Null when PostgreSQL's scanner cannot read the text.
     */
    public static String redacted(String sql) {
        PgScan scan = PgQuery.scan(sql, true);
        if (!scan.ok()) {
            return null;
        }
        StringBuilder b = new StringBuilder(sql.length());
        int previousEnd = -1;
        for (int i = 0; i < scan.count(); i++) {
            int token = scan.token(i);
            if (token == PgToken.SQL_COMMENT || token == PgToken.C_COMMENT) {
                continue;
            }
            if (previousEnd >= 0 && scan.start(i) > previousEnd) {
                b.append(' ');
            }
            switch (token) {
                case PgToken.SCONST, PgToken.USCONST, PgToken.BCONST, PgToken.XCONST, PgToken.ICONST, PgToken.FCONST -> b.append('?');
                case PgToken.IDENT -> b.append(sql.substring(scan.start(i), scan.end(i)).toLowerCase(java.util.Locale.ROOT));
                default -> {
                    String text = sql.substring(scan.start(i), scan.end(i));
                    b.append(scan.keywordKind(i) != PgToken.NO_KEYWORD ? text.toLowerCase(java.util.Locale.ROOT) : text);
                }
            }
            previousEnd = scan.end(i);
        }
        return b.toString();
    }
}
