package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Lexer;
import dev.gatehouse.sql.lex.TokenType;
import dev.gatehouse.sql.lex.Tokens;

/**
 * The text JSqlParser is given for one MySQL/MariaDB statement, rebuilt from Gatehouse's own lexer tokens so the
 * parser cannot split the statement differently from the server. JSqlParser has its own idea of comments and
 * strings ({@code --1} opens a comment there, {@code #} does not, backslashes depend on a flag, {@code /*! *}{@code /}
 * is skipped), and a column the server reads could hide in that difference ({@code SELECT id --1, ssn FROM users}
 * returned ssn). Here every comment is already gone, executable comments are code, and:
 * <ul>
 *   <li>tokens are separated by one space, so {@code - - 1} can only be two minus signs and a number;</li>
 *   <li>strings are decoded as the reading (backslash escapes or not) says and re-emitted as {@code '...'} with
 *       doubled quotes, read by JSqlParser without backslash escapes; adjacent strings are one (MySQL joins them);</li>
 *   <li>quoted names and words that are not plain ASCII names are re-emitted in backticks; a name holding a
 *       backtick cannot be re-emitted (JSqlParser does not undouble it) and the text is refused;</li>
 *   <li>{@code INTO @a, @b} of a SELECT is left out: it only assigns variables (the classifier reports SESSION),
 *       and JSqlParser rejects it in most positions, which left such reads unparsed;</li>
 *   <li>{@code DO expr, ...} is given as {@code SELECT expr, ...}: the same expressions are evaluated;</li>
 *   <li>VALUES rows that repeat an earlier row's shape with other literals are left out ({@link RepeatedRows}).</li>
 * </ul>
 * Stateless; any thread.
 */
final class MysqlParserText {
    /** The rebuilt text and its parse bounds, or why there is none. */
    record Text(String sql, StatementParser.Bounds bounds, String problem, boolean lexed, boolean dependsOnEscapes,
                String database, boolean doubleQuoted) {
        boolean readable() {
            return problem == null;
        }
    }

    private MysqlParserText() {
    }

    /**
     * Hot path for MySQL lineage: lexes {@code statementSql} with the given backslash reading and rebuilds it.
     *
     * @return a text, or one with {@link Text#lexed()} false when this reading cannot even be lexed (a server in
     *         that mode rejects the statement), or a problem when the reading exists but cannot be re-emitted
     */
    static Text of(String statementSql, boolean backslashEscapes) {
        return of(statementSql, backslashEscapes, false);
    }

    /**
     * As {@link #of(String, boolean)}; with {@code ansiQuotes}, as a session with ANSI_QUOTES reads it: a
     * double-quoted run is a name, re-emitted in backticks. The lexer reads {@code "..."} as a string with the
     * session's backslash rule, which ends it where a name ends unless it holds a backslash: such text has no
     * exact ANSI_QUOTES reading here and gets a problem.
     */
    static Text of(String statementSql, boolean backslashEscapes, boolean ansiQuotes) {
        Tokens t;
        try {
            t = backslashEscapes ? Lexer.lex(statementSql, Dialect.MYSQL) : Lexer.lexWithOtherEscapes(statementSql, Dialect.MYSQL);
        } catch (LexException e) {
            return new Text(null, null, "cannot be lexed: " + e.getMessage(), false, false, null, false);
        }
        return rebuild(t, backslashEscapes, ansiQuotes);
    }

    private static Text rebuild(Tokens t, boolean backslashEscapes, boolean ansiQuotes) {
        String src = t.source();
        int n = t.size();
        while (n > 0 && t.is(n - 1, TokenType.SEMICOLON)) {
            n--;
        }
        StringBuilder out = new StringBuilder(Math.min(src.length() + 16, 1 << 16));
        boolean setStatement = t.isWord(0, "set");
        StatementParser.Work work = new StatementParser.Work();
        RepeatedRows rows = new RepeatedRows(ansiQuotes);
        boolean doubleQuoted = false;
        for (int i = 0; i < n && !doubleQuoted; i++) {
            doubleQuoted = t.is(i, TokenType.STRING) && t.firstChar(i) == '"';
        }
        int depth = 0;
        for (int i = 0; i < n; i++) {
            TokenType type = t.type(i);
            if (type == TokenType.WORD && t.isWord(i, "into") && t.is(i + 1, TokenType.VARIABLE) && isUserVariable(t, i + 1)) {
                i = skipVariableList(t, i + 1, n) - 1;
                continue;
            }
            int next = rows.skip(t, i, n);
            if (next > i) {
                i = next - 1; // the comma and the row: they read nothing the rows before them do not
                continue;
            }
            rows.used(t, i);
            if (out.length() > 0) {
                out.append(' ');
            }
            work.token(t, i);
            switch (type) {
                case STRING -> {
                    if (t.firstChar(i) == '"') {
                        if (ansiQuotes) {
                            String problem = appendDoubleQuotedName(src, t.start(i), t.end(i), out);
                            if (problem != null) {
                                return new Text(null, null, problem, true, t.dependsOnEscapeSetting(), null, true);
                            }
                            continue;
                        }
                    }
                    int last = lastJoinedString(t, i, n, ansiQuotes);
                    String problem = appendString(t, i, last, backslashEscapes, out);
                    if (problem != null) {
                        // The server rejects a malformed hex or bit string: this reading never runs.
                        return new Text(null, null, problem, false, t.dependsOnEscapeSetting(), null, false);
                    }
                    i = last;
                }
                case QUOTED_IDENT -> {
                    String name = t.name(i);
                    if (!appendQuotedName(name, out)) {
                        return new Text(null, null, "a name holding a backtick cannot be given to the parser", true,
                                t.dependsOnEscapeSetting(), null, false);
                    }
                }
                case WORD -> {
                    if (i == 0 && t.isWord(0, "do") && n > 1) {
                        // DO evaluates its expressions and drops the values: read as the SELECT of them (their
                        // reads still reach errors and timing). JSqlParser has no DO.
                        out.append("SELECT");
                        continue;
                    }
                    if (isIntroducer(t, i)) {
                        // _utf8mb4'x': the character set only labels the literal; JSqlParser does not read it.
                        out.setLength(Math.max(0, out.length() - 1));
                        continue;
                    }
                    appendWord(src, t.start(i), t.end(i), out);
                }
                case NUMBER -> appendNumber(src, t.start(i), t.end(i), out);
                case LPAREN -> {
                    out.append('(');
                    depth++;
                }
                case RPAREN -> {
                    out.append(')');
                    depth--;
                }
                case OPERATOR -> {
                    if (setStatement && depth == 0 && t.isOperator(i, ":=")) {
                        out.append('='); // SET @x := v is SET @x = v; JSqlParser knows only the latter
                    } else {
                        out.append(src, t.start(i), t.end(i));
                    }
                }
                default -> out.append(src, t.start(i), t.end(i));
            }
        }
        String text = out.toString();
        return new Text(text, work.bounds(text.length()), null, true, t.dependsOnEscapeSetting(), database(t, n), doubleQuoted);
    }

    /**
     * The database a statement changes as a whole: {@code DROP DATABASE|SCHEMA [IF EXISTS] s}, MariaDB's
     * {@code CREATE OR REPLACE DATABASE s} (which drops it first), {@code ALTER DATABASE|SCHEMA [s] ...}; its
     * name folded, "" for the current database, or null for any other statement. JSqlParser reads none of them.
     */
    private static String database(Tokens t, int n) {
        int k;
        if (t.isWord(0, "drop")) {
            k = 1;
        } else if (t.isWord(0, "alter")) {
            k = 1;
        } else if (t.isWord(0, "create") && t.isWord(1, "or") && t.isWord(2, "replace")) {
            k = 3;
        } else {
            return null;
        }
        if (!t.isWord(k, "database") && !t.isWord(k, "schema")) {
            return null;
        }
        k++;
        if (t.isWord(k, "if") && (t.isWord(k + 1, "exists") || (t.isWord(k + 1, "not") && t.isWord(k + 2, "exists")))) {
            k += t.isWord(k + 1, "exists") ? 2 : 3;
        }
        boolean named = k < n && (t.is(k, TokenType.QUOTED_IDENT) || t.is(k, TokenType.WORD));
        if (named && t.isWord(0, "alter") && t.is(k, TokenType.WORD) && isAlterDatabaseOption(t, k)) {
            named = false; // ALTER DATABASE CHARACTER SET ...: the current database
        }
        return named ? t.name(k) : "";
    }

    private static boolean isAlterDatabaseOption(Tokens t, int k) {
        return t.isWord(k, "character") || t.isWord(k, "charset") || t.isWord(k, "collate") || t.isWord(k, "default")
                || t.isWord(k, "comment") || t.isWord(k, "read") || t.isWord(k, "encryption");
    }

    /** MariaDB's character sets: {@code _name} before a string or number is an introducer, not a column. */
    private static final java.util.Set<String> CHARSETS = java.util.Set.of("armscii8", "ascii", "big5", "binary",
            "cp1250", "cp1251", "cp1256", "cp1257", "cp850", "cp852", "cp866", "cp932", "dec8", "eucjpms", "euckr",
            "gb2312", "gb18030", "gbk", "geostd8", "greek", "hebrew", "hp8", "keybcs2", "koi8r", "koi8u", "latin1",
            "latin2", "latin5", "latin7", "macce", "macroman", "sjis", "swe7", "tis620", "ucs2", "ujis", "utf16",
            "utf16le", "utf32", "utf8", "utf8mb3", "utf8mb4");

    private static boolean isIntroducer(Tokens t, int i) {
        if (t.firstChar(i) != '_' || !(t.is(i + 1, TokenType.STRING) || t.is(i + 1, TokenType.NUMBER))) {
            return false;
        }
        String name = t.name(i);
        return CHARSETS.contains(name.substring(1));
    }

    private static boolean isUserVariable(Tokens t, int i) {
        return t.source().charAt(t.start(i) + 1) != '@';
    }

    /** Index after {@code @a, @b, ...} starting at {@code i}. */
    private static int skipVariableList(Tokens t, int i, int n) {
        int k = i + 1;
        while (k + 1 < n && t.is(k, TokenType.COMMA) && t.is(k + 1, TokenType.VARIABLE) && isUserVariable(t, k + 1)) {
            k += 2;
        }
        return k;
    }

    private static boolean isPlainString(Tokens t, int i) {
        char c = t.firstChar(i);
        return c == '\'' || c == '"';
    }

    /** MySQL joins adjacent quoted strings ({@code 'a' 'b'} is {@code 'ab'}); the last index of such a run. */
    private static int lastJoinedString(Tokens t, int i, int n, boolean ansiQuotes) {
        if (!isPlainString(t, i) && !isNational(t, i)) {
            return i;
        }
        int k = i;
        while (k + 1 < n && t.is(k + 1, TokenType.STRING) && isPlainString(t, k + 1)
                && !(ansiQuotes && t.firstChar(k + 1) == '"')) {
            k++;
        }
        return k;
    }

    private static boolean isNational(Tokens t, int i) {
        char c = t.firstChar(i);
        return c == 'n' || c == 'N';
    }

    /** Strings {@code first..last} as one {@code '...'} literal; hex and bit strings as {@code X'..'} / {@code B'..'}. */
    private static String appendString(Tokens t, int first, int last, boolean backslashEscapes, StringBuilder out) {
        String src = t.source();
        char c = t.firstChar(first);
        if (c == 'x' || c == 'X' || c == 'b' || c == 'B') {
            boolean hex = c == 'x' || c == 'X';
            int from = t.start(first) + 2;
            int to = t.end(first) - 1;
            for (int k = from; k < to; k++) {
                char d = src.charAt(k);
                boolean ok = hex ? (d >= '0' && d <= '9') || (d >= 'a' && d <= 'f') || (d >= 'A' && d <= 'F') : d == '0' || d == '1';
                if (!ok) {
                    return "a malformed " + (hex ? "hex" : "bit") + " string";
                }
            }
            out.append(hex ? 'X' : 'B').append(src, from - 1, to + 1);
            return null;
        }
        out.append('\'');
        for (int i = first; i <= last; i++) {
            int open = isNational(t, i) ? t.start(i) + 1 : t.start(i);
            appendValue(src, open + 1, t.end(i) - 1, src.charAt(open), backslashEscapes, out);
        }
        out.append('\'');
        return null;
    }

    /** One string's content as MySQL decodes it, with {@code '} doubled for the re-emitted literal. */
    private static void appendValue(String s, int from, int to, char quote, boolean backslashEscapes, StringBuilder out) {
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c == '\\' && backslashEscapes && k + 1 < to) {
                char e = s.charAt(++k);
                switch (e) {
                    case '0' -> out.append('\0');
                    case 'b' -> out.append('\b');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'Z' -> out.append('\u001A');
                    case '%', '_' -> out.append('\\').append(e); // kept for LIKE, as the server does
                    case '\'' -> out.append("''");
                    default -> out.append(e);
                }
            } else if (c == quote && k + 1 < to && s.charAt(k + 1) == quote) {
                out.append(c == '\'' ? "''" : String.valueOf(c));
                k++;
            } else if (c == '\'') {
                out.append("''");
            } else {
                out.append(c);
            }
        }
    }

    /** ANSI_QUOTES: {@code "a""b"} is the name {@code a"b}; a backslash in it reads differently there (see {@link #of}). */
    private static String appendDoubleQuotedName(String src, int start, int end, StringBuilder out) {
        StringBuilder name = new StringBuilder(end - start);
        for (int k = start + 1; k < end - 1; k++) {
            char c = src.charAt(k);
            if (c == '\\') {
                return "a double-quoted run holding a backslash has no exact ANSI_QUOTES reading";
            }
            name.append(c);
            if (c == '"') {
                k++; // doubled quote
            }
        }
        return appendQuotedName(name.toString(), out) ? null : "a name holding a backtick cannot be given to the parser";
    }

    private static boolean appendQuotedName(String name, StringBuilder out) {
        if (name.indexOf('`') >= 0) {
            return false;
        }
        out.append('`').append(name).append('`');
        return true;
    }

    /** Keywords and plain names as written; any other word is a name (keywords are plain ASCII) and is quoted. */
    private static void appendWord(String src, int start, int end, StringBuilder out) {
        if (isPlainWord(src, start, end)) {
            out.append(src, start, end);
        } else {
            out.append('`').append(src, start, end).append('`');
        }
    }

    private static boolean isPlainWord(String src, int start, int end) {
        char first = src.charAt(start);
        if (first >= '0' && first <= '9') {
            return false;
        }
        for (int k = start; k < end; k++) {
            char c = src.charAt(k);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** {@code 0x1F} and {@code 0b101} when well formed; the lexer also gives {@code 0xyz}, which MySQL reads as a name. */
    private static void appendNumber(String src, int start, int end, StringBuilder out) {
        if (end - start > 1 && src.charAt(start) == '0' && (src.charAt(start + 1) == 'x' || src.charAt(start + 1) == 'b')) {
            boolean hex = src.charAt(start + 1) == 'x';
            boolean ok = end - start > 2;
            for (int k = start + 2; k < end && ok; k++) {
                char d = src.charAt(k);
                ok = hex ? (d >= '0' && d <= '9') || (d >= 'a' && d <= 'f') || (d >= 'A' && d <= 'F') : d == '0' || d == '1';
            }
            if (!ok) {
                out.append('`').append(src, start, end).append('`');
                return;
            }
            if (!hex) {
                out.append("B'").append(src, start + 2, end).append('\''); // JSqlParser reads 0b11 as a name
                return;
            }
        }
        out.append(src, start, end);
    }
}
