package dev.gatehouse.sql.lex;

import dev.gatehouse.sql.Dialect;

/**
 * Character-level lexer for PostgreSQL and MySQL/MariaDB. It knows exactly where strings, quoted identifiers
 * and comments begin and end under each dialect's rules, because that is where attackers hide statements
 * ({@code ;} inside a dollar quote, {@code DROP} inside a MySQL {@code /*! *}{@code /} comment). Values are not
 * decoded here; {@link Literals} does that on demand. Stateless; callable from any thread.
 */
public final class Lexer {
    private final String src;
    private final int len;
    private final Dialect dialect;
    private final Tokens out;
    private int pos;
    /** Start offset of the MySQL executable comment we are inside, or -1. */
    private int execStart = -1;

    /** Whether a backslash escapes in the strings whose reading depends on a session setting. */
    private final boolean settingEscapes;

    private Lexer(String src, Dialect dialect, boolean settingEscapes) {
        this.src = src;
        this.len = src.length();
        this.dialect = dialect;
        this.settingEscapes = settingEscapes;
        this.out = new Tokens(src, dialect);
    }

    /**
     * Lexes with the servers' default settings: PostgreSQL standard_conforming_strings=on (a backslash is
     * literal in '...'), MySQL without NO_BACKSLASH_ESCAPES (a backslash escapes in '...' and "...").
     * Hot path: one pass over the characters, no regex, no per-token objects.
     */
    public static Tokens lex(String sql, Dialect dialect) throws LexException {
        Lexer lexer = new Lexer(sql, dialect, dialect == Dialect.MYSQL);
        lexer.run();
        return lexer.out;
    }

    /**
     * Lexes with the other reading of backslashes in setting-dependent strings (PostgreSQL
     * standard_conforming_strings=off, MySQL NO_BACKSLASH_ESCAPES), which a session can switch to. Only
     * worth calling when {@link Tokens#dependsOnEscapeSetting()}: otherwise both readings are the same.
     */
    public static Tokens lexWithOtherEscapes(String sql, Dialect dialect) throws LexException {
        Lexer lexer = new Lexer(sql, dialect, dialect != Dialect.MYSQL);
        lexer.run();
        return lexer.out;
    }

    private void run() throws LexException {
        while (pos < len) {
            step();
        }
        if (execStart >= 0) {
            throw new LexException("unterminated executable comment /*!", execStart);
        }
    }

    /** One token, comment or run of white space from {@code pos}. */
    private void step() throws LexException {
        boolean pg = dialect == Dialect.POSTGRES;
        char c = src.charAt(pos);
        if (isSpace(c)) {
            pos++;
        } else if (c == '-' && peek(1) == '-' && (pg || pos + 2 >= len || src.charAt(pos + 2) <= ' ')) {
            // MySQL needs white space or a control character after "--"; "--1" is minus minus one there.
            skipLine();
        } else if (c == '#' && !pg) {
            skipLine();
        } else if (c == '/' && peek(1) == '*') {
            blockComment();
        } else if (c == '*' && peek(1) == '/' && execStart >= 0) {
            out.addMarker(pos, pos + 2);
            execStart = -1;
            pos += 2;
        } else if (c == '\'') {
            quoted(pos, pos, '\'', Escapes.SETTING, TokenType.STRING);
        } else if (c == '"') {
            if (pg) {
                quoted(pos, pos, '"', Escapes.NONE, TokenType.QUOTED_IDENT);
            } else {
                quoted(pos, pos, '"', Escapes.SETTING, TokenType.STRING);
            }
        } else if (c == '`' && !pg) {
            quoted(pos, pos, '`', Escapes.NONE, TokenType.QUOTED_IDENT);
        } else if (isIdentStart(c)) {
            wordOrPrefixedLiteral(c, pg);
        } else if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
            number();
        } else if (c == '$' && pg) {
            dollar();
        } else if (c == '@' && !pg) {
            variable();
        } else {
            punctuationOrOperator(c, pg);
        }
    }

    private char peek(int ahead) {
        int p = pos + ahead;
        return p < len ? src.charAt(p) : '\0';
    }

    private void skipLine() {
        while (pos < len && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
            pos++;
        }
    }

    private void blockComment() throws LexException {
        int start = pos;
        if (dialect == Dialect.MYSQL) {
            // /*!NNNNN code */ and MariaDB's /*M!NNNNN code */ are executed by the server: lex the inside as code.
            boolean exec = peek(2) == '!' || ((peek(2) == 'M' || peek(2) == 'm') && peek(3) == '!');
            if (exec && execStart < 0) {
                boolean mariadbOnly = peek(2) != '!';
                pos += mariadbOnly ? 4 : 3;
                int digits = versionDigits();
                pos += digits;
                if (digits > 0 || mariadbOnly) {
                    conditionalCommentEndsAlike(start);
                }
                out.addMarker(start, pos);
                execStart = start;
                return;
            }
            // Ordinary comments (and /*+ hints */) end at the first "*/": MySQL does not nest them.
            int close = src.indexOf("*/", pos + 2);
            if (close < 0) {
                throw new LexException("unterminated block comment", start);
            }
            pos = close + 2;
            return;
        }
        // PostgreSQL nests block comments: /* a /* b */ still a comment */.
        int depth = 0;
        while (pos < len) {
            char c = src.charAt(pos);
            if (c == '/' && peek(1) == '*') {
                depth++;
                pos += 2;
            } else if (c == '*' && peek(1) == '/') {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return;
                }
            } else {
                pos++;
            }
        }
        throw new LexException("unterminated block comment", start);
    }

    /**
     * The version after {@code /*!} or {@code /*M!} as the server takes it: six digits when there are six, else
     * five, else none (then the digits are code: {@code /*!2 x*}{@code /} runs {@code 2 x}). Measured on MariaDB 10.11.
     */
    private int versionDigits() {
        int n = 0;
        while (n < 6 && pos + n < len && isDigit(src.charAt(pos + n))) {
            n++;
        }
        return n >= 5 ? n : 0;
    }

    /**
     * A versioned {@code /*!NNNNN} or a {@code /*M!} comment is code on some servers and a plain comment on others
     * (MariaDB skips versions above its own and MySQL versions 50700-99999; MySQL skips {@code /*M!}). Skipped,
     * it ends at the first {@code *}{@code /} (MariaDB also nests one {@code /* *}{@code /} level); read as code, a
     * string or quoted name may hold that {@code *}{@code /}, so the two readings would continue at different
     * places ({@code SELECT 1 /*!999999 '*}{@code /, ssn FROM users #' *}{@code /} returns ssn on MariaDB). Such
     * text is refused: every reading must end the comment at the same place.
     */
    private void conditionalCommentEndsAlike(int start) throws LexException {
        int close = src.indexOf("*/", pos);
        if (close < 0) {
            return; // unterminated: reported at the end of the text
        }
        boolean nested = false;
        for (int k = pos; k < close && !nested; k++) {
            nested = src.charAt(k) == '/' && src.charAt(k + 1) == '*';
        }
        if (nested) {
            throw new LexException("a conditional comment holding /* reads differently on servers that skip it", start);
        }
        // The code reading must close at that same "*/": lex ahead on a copy and compare.
        Lexer ahead = new Lexer(src, dialect, settingEscapes);
        ahead.pos = pos;
        ahead.execStart = start;
        try {
            while (ahead.pos < len && ahead.execStart >= 0) {
                ahead.step();
            }
        } catch (LexException e) {
            throw new LexException("a conditional comment whose text is not code reads differently on servers that skip it", start);
        }
        if (ahead.execStart >= 0 || ahead.pos != close + 2) {
            throw new LexException("a conditional comment holding */ in a quoted run reads differently on servers that skip it", start);
        }
    }

    /** How a backslash reads inside a quoted run: never an escape, always one, or as the session setting says. */
    private enum Escapes { NONE, BACKSLASH, SETTING }

    /**
     * A quoted run starting at {@code quotePos} (the opening quote), ending at a quote that is not doubled.
     * PostgreSQL continues a string across white space holding a newline ('a'\n'b' is one literal).
     */
    private void quoted(int tokenStart, int quotePos, char quote, Escapes escapes, TokenType type) throws LexException {
        pos = quotePos + 1;
        boolean backslashEscapes = escapes == Escapes.BACKSLASH || (escapes == Escapes.SETTING && settingEscapes);
        while (true) {
            if (pos >= len) {
                throw new LexException(type == TokenType.QUOTED_IDENT ? "unterminated quoted identifier" : "unterminated string", tokenStart);
            }
            char c = src.charAt(pos);
            if (c == '\\' && escapes == Escapes.SETTING) {
                out.markDependsOnEscapeSetting();
            }
            if (c == '\\' && backslashEscapes) {
                pos += 2;
            } else if (c == quote) {
                if (peek(1) == quote) {
                    pos += 2;
                } else {
                    pos++;
                    if (type == TokenType.STRING && quote == '\'' && dialect == Dialect.POSTGRES && continuesOnNextLine()) {
                        continue;
                    }
                    break;
                }
            } else {
                pos++;
            }
        }
        out.add(type, tokenStart, pos);
    }

    /** PostgreSQL: if only white space with a newline separates the closing quote from another quote, the string goes on. */
    private boolean continuesOnNextLine() {
        int p = pos;
        boolean newline = false;
        while (p < len && isSpace(src.charAt(p))) {
            newline |= src.charAt(p) == '\n' || src.charAt(p) == '\r';
            p++;
        }
        if (newline && p < len && src.charAt(p) == '\'') {
            pos = p + 1;
            return true;
        }
        return false;
    }

    private void wordOrPrefixedLiteral(char c, boolean pg) throws LexException {
        int start = pos;
        char next = peek(1);
        char lc = Tokens.asciiLower(c);
        if (next == '\'') {
            if (lc == 'e' && pg) {
                quoted(start, pos + 1, '\'', Escapes.BACKSLASH, TokenType.STRING);
                return;
            }
            if (lc == 'b' || lc == 'x' || lc == 'n') {
                quoted(start, pos + 1, '\'', Escapes.SETTING, TokenType.STRING);
                return;
            }
        }
        if (pg && lc == 'u' && next == '&' && (peek(2) == '\'' || peek(2) == '"')) {
            // U&'...' and U&"..." keep backslash literal while lexing; the escapes are decoded later.
            boolean ident = peek(2) == '"';
            quoted(start, pos + 2, ident ? '"' : '\'', Escapes.NONE, ident ? TokenType.QUOTED_IDENT : TokenType.STRING);
            return;
        }
        pos++;
        while (pos < len && isIdentPart(src.charAt(pos))) {
            pos++;
        }
        out.add(TokenType.WORD, start, pos);
    }

    private void number() {
        int start = pos;
        if (dialect == Dialect.MYSQL && src.charAt(pos) == '0' && (peek(1) == 'x' || peek(1) == 'b')) {
            pos += 2; // 0x1F, 0b101 (or an identifier such as 0xyz: one token either way)
            while (pos < len && isIdentPart(src.charAt(pos))) {
                pos++;
            }
            out.add(TokenType.NUMBER, start, pos);
            return;
        }
        while (pos < len && isDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos < len && src.charAt(pos) == '.' && peek(1) != '.') {
            pos++;
            while (pos < len && isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < len && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int p = pos + 1;
            if (p < len && (src.charAt(p) == '+' || src.charAt(p) == '-')) {
                p++;
            }
            if (p < len && isDigit(src.charAt(p))) {
                pos = p;
                while (pos < len && isDigit(src.charAt(pos))) {
                    pos++;
                }
            }
        }
        if (dialect == Dialect.MYSQL && pos < len && isIdentStart(src.charAt(pos))) {
            // MySQL identifiers may start with digits (1abc): read the rest as one word.
            while (pos < len && isIdentPart(src.charAt(pos))) {
                pos++;
            }
            out.add(TokenType.WORD, start, pos);
            return;
        }
        out.add(TokenType.NUMBER, start, pos);
    }

    /** PostgreSQL: $1 is a parameter, $$ and $tag$ open a dollar-quoted string closed by the same tag. */
    private void dollar() throws LexException {
        int start = pos;
        char next = peek(1);
        if (isDigit(next)) {
            pos++;
            while (pos < len && isDigit(src.charAt(pos))) {
                pos++;
            }
            out.add(TokenType.PARAM, start, pos);
            return;
        }
        int p = pos + 1;
        if (next != '$') {
            if (!isIdentStart(next)) {
                pos++;
                out.add(TokenType.OTHER, start, pos);
                return;
            }
            while (p < len && isIdentPart(src.charAt(p)) && src.charAt(p) != '$') {
                p++;
            }
            if (p >= len || src.charAt(p) != '$') {
                pos++;
                out.add(TokenType.OTHER, start, pos);
                return;
            }
        }
        int tagEnd = p + 1;
        String tag = src.substring(start, tagEnd);
        int close = src.indexOf(tag, tagEnd);
        if (close < 0) {
            throw new LexException("unterminated dollar-quoted string " + tag, start);
        }
        pos = close + tag.length();
        out.add(TokenType.STRING, start, pos);
    }

    /** MySQL @user_var, @@system_var (the scope and name after a dot are separate tokens). */
    private void variable() {
        int start = pos;
        pos++;
        if (pos < len && src.charAt(pos) == '@') {
            pos++;
        }
        int nameStart = pos;
        while (pos < len && isIdentPart(src.charAt(pos))) {
            pos++;
        }
        out.add(pos == nameStart ? TokenType.OPERATOR : TokenType.VARIABLE, start, pos);
    }

    private void punctuationOrOperator(char c, boolean pg) {
        int start = pos;
        TokenType type = switch (c) {
            case '(' -> TokenType.LPAREN;
            case ')' -> TokenType.RPAREN;
            case ',' -> TokenType.COMMA;
            case ';' -> TokenType.SEMICOLON;
            case '.' -> TokenType.DOT;
            default -> null;
        };
        if (type != null) {
            pos++;
            out.add(type, start, pos);
            return;
        }
        if (c == ':') {
            pos += (peek(1) == ':' || peek(1) == '=') ? 2 : 1;
            out.add(pos - start == 2 ? TokenType.OPERATOR : TokenType.OTHER, start, pos);
            return;
        }
        if (!pg && c == '?') {
            pos++;
            out.add(TokenType.PARAM, start, pos);
            return;
        }
        if (pg ? isPgOperatorChar(c) : isMysqlOperatorChar(c)) {
            if (pg) {
                pgOperator();
            } else {
                mysqlOperator();
            }
            out.add(TokenType.OPERATOR, start, pos);
            return;
        }
        pos++;
        out.add(TokenType.OTHER, start, pos);
    }

    /** PostgreSQL reads the longest run of operator characters, stopping before a comment start. */
    private void pgOperator() {
        int start = pos;
        boolean special = false;
        while (pos < len && isPgOperatorChar(src.charAt(pos))) {
            char c = src.charAt(pos);
            if ((c == '-' && peek(1) == '-') || (c == '/' && peek(1) == '*')) {
                if (pos > start) {
                    break;
                }
            }
            special |= "~!@#%^&|`?".indexOf(c) >= 0;
            pos++;
        }
        // As the server does: a multi-character operator cannot end in + or - unless it holds one of ~!@#%^&|`?
        // so "=-1" is "=" then "-1".
        if (!special) {
            while (pos - start > 1 && (src.charAt(pos - 1) == '+' || src.charAt(pos - 1) == '-')) {
                pos--;
            }
        }
    }

    private void mysqlOperator() {
        char a = src.charAt(pos);
        char b = peek(1);
        if ((a == '<' && b == '=' && peek(2) == '>') || (a == '-' && b == '>' && peek(2) == '>')) {
            pos += 3;
        } else if ((a == '<' && (b == '=' || b == '>' || b == '<')) || (a == '>' && (b == '=' || b == '>'))
                || (a == '!' && b == '=') || (a == '&' && b == '&') || (a == '|' && b == '|') || (a == '-' && b == '>')) {
            pos += 2;
        } else {
            pos++;
        }
    }

    private static boolean isPgOperatorChar(char c) {
        return "+-*/<>=~!@#%^&|`?".indexOf(c) >= 0;
    }

    private static boolean isMysqlOperatorChar(char c) {
        return "+-*/<>=~!&|^%".indexOf(c) >= 0;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }
}
