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
