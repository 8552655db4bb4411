package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;

import java.util.concurrent.TimeUnit;

/**
 * Drives JSqlParser's generated parser directly on the calling thread. {@code CCJSqlParserUtil.parse(String)}
 * would start and stop a thread per call for its time-out (~450 µs); a size bound and {@link ParseWatchdog}'s
 * deadline replace that time-out. The cheap grammar (no complex parsing) is tried first and the complex one only when it fails,
 * because the simple path is faster for the common one-line statement. Stateless; any thread.
 */
public final class StatementParser {
    /** Longer statements are not parsed at all: the generated parser has no time-out on this path. */
    public static final int MAX_STATEMENT_CHARS = 1 << 20;
    /** The complex grammar back-tracks heavily; only statements up to this size get the second attempt. */
    static final int MAX_COMPLEX_CHARS = 16 * 1024;
    /**
     * The complex grammar's back-tracking doubles with every level of parentheses (measured: depth 6 ~0.5 s,
     * depth 9 ~5 s, depth 12 ~1 min), and its look-aheads do not all honour the watchdog; deeper statements
     * get the simple grammar only. The simple grammar stays in milliseconds at these depths.
     */
    static final int MAX_COMPLEX_DEPTH = 4;
    /** Each attempt must finish within this; typical statements take well under a millisecond. */
    static final long PARSE_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private StatementParser() {
    }

    /**
     * Hot path: parses exactly one statement (a single trailing semicolon is allowed).
     *
     * @throws ParseException with the parser's message when the text is not one statement JSqlParser reads
     */
    public static Statement parse(String sql, Dialect dialect) throws ParseException {
        return parse(sql, dialect, dialect == Dialect.MYSQL);
    }

    /**
     * Hot path: as {@link #parse(String, Dialect)}, reading backslashes in string literals as escapes or not.
     * MySQL escapes by default but a session can turn it off (NO_BACKSLASH_ESCAPES); PostgreSQL does not, but
     * a session with {@code standard_conforming_strings = off} does. Callers that cannot know the session try
     * both readings.
     */
    public static Statement parse(String sql, Dialect dialect, boolean backslashEscapes) throws ParseException {
        if (sql.length() > MAX_STATEMENT_CHARS) {
            throw new ParseException("statement longer than " + MAX_STATEMENT_CHARS + " characters");
        }
        if (dialect == Dialect.MYSQL) {
            String hazard = mysqlHazard(sql, backslashEscapes);
            if (hazard != null) {
                throw new ParseException(hazard);
            }
        }
        try {
            return parseOnce(sql, backslashEscapes, false);
        } catch (ParseException | RuntimeException simpleFailure) {
            if (sql.length() > MAX_COMPLEX_CHARS || parenthesisDepth(sql) > MAX_COMPLEX_DEPTH) {
                throw asParseException(simpleFailure);
            }
            try {
                return parseOnce(sql, backslashEscapes, true);
            } catch (RuntimeException e) {
                throw asParseException(e);
            }
        }
    }

    private static Statement parseOnce(String sql, boolean backslashEscapes, boolean complex) throws ParseException {
        CCJSqlParser parser = new CCJSqlParser(new StringProvider(sql))
                .withAllowComplexParsing(complex)
                .withSquareBracketQuotation(false)
                .withBackslashEscapeCharacter(backslashEscapes);
        Statement statement;
        ParseWatchdog.watch(parser, PARSE_BUDGET_NANOS);
        try {
            statement = parser.Statement();
        } finally {
            ParseWatchdog.release(parser);
        }
        if (parser.interrupted) {
            // Look-aheads were cut short, so even a tree that came out may not be the statement's real shape.
            throw new ParseException("parsing took longer than "
                    + TimeUnit.NANOSECONDS.toMillis(PARSE_BUDGET_NANOS) + " ms");
        }
        if (statement instanceof UnsupportedStatement) {
            // JSqlParser's catch-all for text it recognised only by its first keyword: not read, so not analysable.
            throw new ParseException("statement type not supported by the parser");
        }
        // Statement() stops after one statement; anything left over means the text was not one statement.
        Token next = parser.getNextToken();
        if (";".equals(next.image)) {
            next = parser.getNextToken();
        }
        if (next.kind != CCJSqlParserConstants.EOF) {
            throw new ParseException("unexpected text after the statement at \"" + next.image + "\" (line "
                    + next.beginLine + ", column " + next.beginColumn + ")");
        }
        return statement;
    }

    /**
     * Text JSqlParser would read differently from MySQL, or null. A double-quoted token holding a backslash:
     * MySQL reads {@code "a\""} as a string, JSqlParser as a name without escapes, and the two then see
     * different code after it. An executable comment {@code /*! ... *}{@code /}: MySQL runs it, JSqlParser
     * skips it (callers expand these first; one left over means the caller did not). Single-quoted strings
     * are skipped (with escapes when {@code backslashEscapes}), backticks and comments as MySQL reads them;
     * without escapes MySQL's double-quoted strings end where JSqlParser's names do, so only comments matter.
     */
    static String mysqlHazard(String sql, boolean backslashEscapes) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '`') {
                i++;
                while (i < n && sql.charAt(i) != c) {
                    i += backslashEscapes && c == '\'' && sql.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else if (c == '"') {
                i++;
                while (i < n && sql.charAt(i) != '"') {
                    if (backslashEscapes && sql.charAt(i) == '\\') {
                        return "a double-quoted MySQL string with a backslash cannot be read reliably";
                    }
                    i++;
                }
                i++;
            } else if (c == '#' || c == '-' && i + 2 < n && sql.charAt(i + 1) == '-' && Character.isWhitespace(sql.charAt(i + 2))) {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                if (i + 2 < n && sql.charAt(i + 2) == '!') {
                    return "a MySQL executable comment /*! ... */ was not expanded";
                }
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                i++;
            }
        }
        return null;
    }

    /** Deepest parenthesis nesting outside single-quoted strings (an estimate; quotes inside comments may skew it). */
    static int parenthesisDepth(String sql) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0, n = sql.length(); i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                inString = !inString;
            } else if (!inString) {
                if (c == '(') {
                    depth++;
                    if (depth > max) {
                        max = depth;
                    }
                } else if (c == ')') {
                    depth--;
                }
            }
        }
        return max;
    }

    private static ParseException asParseException(Exception e) {
        if (e instanceof ParseException p) {
            return p;
        }
        ParseException p = new ParseException(e.getClass().getSimpleName() + ": " + e.getMessage());
        p.initCause(e);
        return p;
    }

    /** The first line of a parser message: JSqlParser appends long lists of expected tokens. */
    public static String shortMessage(Throwable e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
