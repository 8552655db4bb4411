package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Lexer;
import dev.gatehouse.sql.lex.TokenType;
import dev.gatehouse.sql.lex.Tokens;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;


/**
 * Drives JSqlParser's generated parser directly on the calling thread. {@code CCJSqlParserUtil.parse(String)}
 * would start and stop a thread per call for its time-out (~450 µs). There is no time-out here at all: whether a
 * statement is parsed is decided by its size and shape only ({@link Bounds}), so the same text gets the same
 * decision on an idle and on a loaded machine (a wall-clock budget turned one 100 kB INSERT into a review once
 * in fifteen runs). The bounds come from measurements of JSqlParser 5.3 (see {@link Bounds}). The cheap grammar
 * (no complex parsing) is tried first and the complex one only when it fails, for small, shallow statements.
 * Stateless; any thread.
 */
public final class StatementParser {
    /** The largest text given to the parser: about 150-350 ms of JSqlParser 5.3 for flat statements. */
    public static final int MAX_STATEMENT_CHARS = 64 * 1024;
    /**
     * Parse work: every token counts 2^(the number of subqueries it is nested in), because JSqlParser's
     * look-ahead re-reads a nested subquery about twice per level (measured: {@code IN (SELECT ... IN (SELECT}
     * ten deep 0.2 s, thirteen deep 1.8 s, twenty deep 450 s). Bounded like the size: a flat 64 KiB statement
     * is about 16 000 tokens.
     */
    public static final long MAX_WORK = 16 * 1024;
    /** Parenthesis nesting: the parser recurses per level; this stays far within a 256 KiB thread stack. */
    public static final int MAX_DEPTH = 64;
    /** The complex grammar back-tracks heavily; only statements up to this size get the second attempt. */
    static final int MAX_COMPLEX_CHARS = 16 * 1024;
    /**
     * The complex grammar's back-tracking doubles with every level of parentheses (measured: depth 6 ~0.5 s,
     * depth 9 ~5 s, depth 12 ~1 min); deeper statements get the simple grammar only.
     */
    static final int MAX_COMPLEX_DEPTH = 4;
    /** Complex-grammar work bound, in the units of {@link #MAX_WORK}. */
    static final long MAX_COMPLEX_WORK = 4 * 1024;

    private StatementParser() {
    }

    /**
     * Size and shape of a statement as the parser will see it.
     *
     * @param chars length of the text
     * @param depth deepest parenthesis nesting
     * @param work  the sum over tokens of 2^(subqueries around the token), saturating
     */
    public record Bounds(int chars, int depth, long work) {
        /** The fixed reason this statement is not given to the parser, or null when it is. */
        String refusal() {
            if (chars > MAX_STATEMENT_CHARS) {
                return "statement longer than " + MAX_STATEMENT_CHARS + " characters is not parsed";
            }
            if (depth > MAX_DEPTH) {
                return "parentheses nested deeper than " + MAX_DEPTH + " are not parsed";
            }
            if (work > MAX_WORK) {
                return "subqueries nested too deeply for their size are not parsed (parse work " + work + " > " + MAX_WORK + ")";
            }
            return null;
        }

        boolean complexAllowed() {
            return chars <= MAX_COMPLEX_CHARS && depth <= MAX_COMPLEX_DEPTH && work <= MAX_COMPLEX_WORK;
        }

        /** Bounds of lexer tokens {@code from..to} as they are written in the source. */
        public static Bounds of(Tokens t, int from, int to) {
            Work w = new Work();
            for (int i = from; i < to; i++) {
                w.token(t, i);
            }
            return w.bounds(to > from ? t.end(to - 1) - t.start(from) : 0);
        }
    }

    /** Accumulates {@link Bounds} token by token (also used while a statement text is rebuilt). */
    static final class Work {
        private int depth;
        private int maxDepth;
        private long work;
        /** Bit k set: the parenthesis opened at depth k+1 holds a subquery. Depths past 63 only count as plain. */
        private long subqueryParens;
        private int subqueries;

        void token(Tokens t, int i) {
            TokenType type = t.type(i);
            if (type == TokenType.LPAREN) {
                depth++;
                maxDepth = Math.max(maxDepth, depth);
                if (depth <= 64 && (t.isWord(i + 1, "select") || t.isWord(i + 1, "with") || t.isWord(i + 1, "values")
                        || t.isWord(i + 1, "table"))) {
                    subqueryParens |= 1L << (depth - 1);
                    subqueries++;
                }
            } else if (type == TokenType.RPAREN && depth > 0) {
                if (depth <= 64 && (subqueryParens & (1L << (depth - 1))) != 0) {
                    subqueryParens &= ~(1L << (depth - 1));
                    subqueries--;
                }
                depth--;
            }
            work = Math.min(Long.MAX_VALUE / 2, work + (1L << Math.min(subqueries, 40)));
        }

        Bounds bounds(int chars) {
            return new Bounds(chars, maxDepth, work);
        }
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
     * both readings. The bounds are measured on the text as the dialect's lexer reads it.
     */
    public static Statement parse(String sql, Dialect dialect, boolean backslashEscapes) throws ParseException {
        if (dialect == Dialect.MYSQL) {
            String hazard = mysqlHazard(sql, backslashEscapes);
            if (hazard != null) {
                throw new ParseException(hazard);
            }
        }
        boolean lexerDefault = dialect == Dialect.MYSQL ? backslashEscapes : !backslashEscapes;
        Tokens t;
        try {
            t = lexerDefault ? Lexer.lex(sql, dialect) : Lexer.lexWithOtherEscapes(sql, dialect);
        } catch (LexException e) {
            // The parser may still read what the lexer cannot; measured as one flat token per character.
            return parse(sql, backslashEscapes, new Bounds(sql.length(), 0, sql.length()));
        }
        // VALUES rows that repeat the first row's shape are cut out of the source text as written (never
        // re-emitted), so dollar quotes, E'' strings and comments keep their exact reading.
        RepeatedRows rows = new RepeatedRows();
        Work work = new Work();
        StringBuilder cut = null;
        int copied = 0;
        int lastUsedEnd = 0;
        for (int i = 0, n = t.size(); i < n; i++) {
            int next = rows.skip(t, i, n);
            if (next > i) {
                if (cut == null) {
                    cut = new StringBuilder(Math.min(sql.length(), 1 << 16));
                }
                // From the end of the row before (a ")") to the end of this one: comments between rows go too.
                if (copied <= lastUsedEnd) {
                    cut.append(sql, copied, lastUsedEnd).append(' ');
                }
                copied = t.end(next - 1);
                i = next - 1;
                continue;
            }
            rows.used(t, i);
            work.token(t, i);
            lastUsedEnd = t.end(i);
        }
        String text = cut == null ? sql : cut.append(sql, copied, sql.length()).toString();
        return parse(text, backslashEscapes, work.bounds(text.length()));
    }

    /**
     * Hot path: parses a text whose bounds the caller measured (MySQL statements rebuilt from tokens, read
     * without backslash escapes).
     */
    static Statement parse(String sql, boolean backslashEscapes, Bounds bounds) throws ParseException {
        String refusal = bounds.refusal();
        if (refusal != null) {
            throw new ParseException(refusal);
        }
        try {
            return parseOnce(sql, backslashEscapes, false);
        } catch (ParseException | RuntimeException simpleFailure) {
            if (!bounds.complexAllowed()) {
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
        Statement statement = parser.Statement();
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
