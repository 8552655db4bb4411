package dev.gatehouse.sql.lex;

import dev.gatehouse.sql.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.StringJoiner;
import java.util.stream.Stream;

import static dev.gatehouse.sql.Dialect.MYSQL;
import static dev.gatehouse.sql.Dialect.POSTGRES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class LexerTest {

    /** Tokens as "TYPE:raw" joined by single spaces: compact enough to read a whole case on one line. */
    static String render(Tokens t) {
        StringJoiner j = new StringJoiner(" ");
        for (int i = 0; i < t.size(); i++) {
            String abbrev = abbrev(t.type(i));
            j.add(abbrev.isEmpty() ? t.raw(i) : abbrev + ":" + t.raw(i));
        }
        return j.toString();
    }

    private static String abbrev(TokenType type) {
        return switch (type) {
            case WORD -> "W";
            case QUOTED_IDENT -> "Q";
            case STRING -> "S";
            case NUMBER -> "N";
            case PARAM -> "P";
            case VARIABLE -> "V";
            case OPERATOR -> "O";
            case LPAREN, RPAREN, COMMA, SEMICOLON, DOT -> "";
            case OTHER -> "X";
        };
    }

    static Stream<Arguments> tokens() {
        return Stream.of(
                arguments("pg line comment", POSTGRES, "select 1 -- ; drop table t\n", "W:select N:1"),
                arguments("pg nested block comment hides a statement", POSTGRES,
                        "select /* a /* b; drop table t */ still comment */ 1", "W:select N:1"),
                arguments("pg standard string keeps backslash literal", POSTGRES,
                        "select 'a\\' , 'b'", "W:select S:'a\\' , S:'b'"),
                arguments("pg doubled quote inside string", POSTGRES, "select 'it''s; fine'", "W:select S:'it''s; fine'"),
                arguments("pg E string backslash escapes the quote", POSTGRES, "select E'\\'; drop' x",
                        "W:select S:E'\\'; drop' W:x"),
                arguments("pg E string doubled quote", POSTGRES, "select e'a''b'", "W:select S:e'a''b'"),
                arguments("pg dollar quote with semicolon", POSTGRES, "select $$a; drop table t$$",
                        "W:select S:$$a; drop table t$$"),
                arguments("pg tagged dollar quote containing $$", POSTGRES, "do $fn$ begin $$x$$; end $fn$",
                        "W:do S:$fn$ begin $$x$$; end $fn$"),
                arguments("pg positional parameter is not a dollar quote", POSTGRES, "select $1, $2",
                        "W:select P:$1 , P:$2"),
                arguments("pg identifier may contain dollar", POSTGRES, "select a$b$ from t", "W:select W:a$b$ W:from W:t"),
                arguments("pg quoted identifier with doubled quote", POSTGRES, "select \"a\"\"b\" from \"T\"",
                        "W:select Q:\"a\"\"b\" W:from Q:\"T\""),
                arguments("pg U& string with UESCAPE", POSTGRES, "select U&'d!0061t' UESCAPE '!'",
                        "W:select S:U&'d!0061t' W:UESCAPE S:'!'"),
                arguments("pg U& identifier", POSTGRES, "select U&\"\\0072ole\"", "W:select Q:U&\"\\0072ole\""),
                arguments("pg U& string ends at quote even after backslash", POSTGRES, "select U&' \\' as x",
                        "W:select S:U&' \\' W:as W:x"),
                arguments("pg bit and hex strings", POSTGRES, "select B'101', X'1F'", "W:select S:B'101' , S:X'1F'"),
                arguments("pg string continued across newline", POSTGRES, "select 'a'\n  'b' as c",
                        "W:select S:'a'\n  'b' W:as W:c"),
                arguments("pg strings on one line do not join", POSTGRES, "select 'a' 'b'", "W:select S:'a' S:'b'"),
                arguments("pg typecast and operators", POSTGRES, "select a::int, b>=c, d=-1",
                        "W:select W:a O::: W:int , W:b O:>= W:c , W:d O:= O:- N:1"),
                arguments("pg numbers", POSTGRES, "select 1.5, .5, 1e10, 2.5E-3", "W:select N:1.5 , N:.5 , N:1e10 , N:2.5E-3"),
                arguments("pg comment start ends an operator", POSTGRES, "select 1+/*x*/2", "W:select N:1 O:+ N:2"),
                arguments("pg hash is an operator", POSTGRES, "select 1 # 2", "W:select N:1 O:# N:2"),
                arguments("pg double quote is an identifier, not a string", POSTGRES, "select \"x\"", "W:select Q:\"x\""),
                arguments("mysql backslash escapes quote", MYSQL, "select 'a\\'; drop table t'",
                        "W:select S:'a\\'; drop table t'"),
                arguments("mysql double-quoted string", MYSQL, "select \"a\\\"b\"", "W:select S:\"a\\\"b\""),
                arguments("mysql backtick identifier with doubled backtick", MYSQL, "select `a``b` from `t`",
                        "W:select Q:`a``b` W:from Q:`t`"),
                arguments("mysql hash comment", MYSQL, "select 1 # ; drop table t\n, 2", "W:select N:1 , N:2"),
                arguments("mysql dash dash space is a comment", MYSQL, "select 1 -- ; drop\n", "W:select N:1"),
                arguments("mysql dash dash tab is a comment", MYSQL, "select 1 --\tdrop\n", "W:select N:1"),
                arguments("mysql dash dash digit is minus minus", MYSQL, "select 1--1", "W:select N:1 O:- O:- N:1"),
                arguments("mysql dash dash at end of input is a comment", MYSQL, "select 1 --", "W:select N:1"),
                arguments("mysql block comments do not nest", MYSQL, "select /* a /* b */ 1", "W:select N:1"),
                arguments("mysql executable comment is code", MYSQL, "select 1; /*! drop table t */",
                        "W:select N:1 ; W:drop W:table W:t"),
                arguments("mysql versioned executable comment is code", MYSQL, "/*!50001 drop table t */",
                        "W:drop W:table W:t"),
                arguments("mariadb executable comment is code", MYSQL, "/*M!100100 drop table t */", "W:drop W:table W:t"),
                arguments("fewer than five digits after /*! are code, not a version", MYSQL, "select id /*!2 , ssn */",
                        "W:select W:id N:2 , W:ssn"),
                arguments("a six-digit version is taken whole, a seventh digit is code", MYSQL, "select /*!1000000 */",
                        "W:select N:0"),
                arguments("a conditional comment whose */ is outside any quote is code", MYSQL,
                        "select id /*!99999 , 'a' */ from t", "W:select W:id , S:'a' W:from W:t"),
                arguments("mysql optimizer hint is a comment", MYSQL, "select /*+ BKA(t) */ 1", "W:select N:1"),
                arguments("mysql variables and placeholder", MYSQL, "set @a := @@global.x + ?",
                        "W:set V:@a O::= V:@@global . W:x O:+ P:?"),
                arguments("mysql identifier starting with digits", MYSQL, "select 1abc from t", "W:select W:1abc W:from W:t"),
                arguments("mysql hex literal", MYSQL, "select 0x1F, X'1f'", "W:select N:0x1F , S:X'1f'"),
                arguments("mysql operators", MYSQL, "select a<=>b, c->>'$.x', d!=e",
                        "W:select W:a O:<=> W:b , W:c O:->> S:'$.x' , W:d O:!= W:e"),
                arguments("mysql charset introducer", MYSQL, "select _utf8mb4'x'", "W:select W:_utf8mb4 S:'x'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void lexes(String name, Dialect dialect, String sql, String expected) throws LexException {
        assertEquals(expected, render(Lexer.lex(sql, dialect)),
                "tokens of: " + sql);
    }

    static Stream<Arguments> otherEscapes() {
        return Stream.of(
                arguments("pg standard_conforming_strings off: backslash escapes", POSTGRES, "select 'a\\'b'",
                        "W:select S:'a\\'b'", true),
                arguments("pg E string is the same either way", POSTGRES, "select E'a\\'b'", "W:select S:E'a\\'b'", false),
                arguments("pg dollar quote is the same either way", POSTGRES, "select $$a\\$$", "W:select S:$$a\\$$", false),
                arguments("mysql NO_BACKSLASH_ESCAPES: backslash is literal", MYSQL, "select 'a\\', 'b'",
                        "W:select S:'a\\' , S:'b'", true),
                arguments("mysql backtick identifier is the same either way", MYSQL, "select `a\\`", "W:select Q:`a\\`", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherEscapes")
    void lexesWithTheOtherBackslashSetting(String name, Dialect dialect, String sql, String expected, boolean dependent)
            throws LexException {
        assertEquals(expected, render(Lexer.lexWithOtherEscapes(sql, dialect)));
        assertEquals(dependent, Lexer.lexWithOtherEscapes(sql, dialect).dependsOnEscapeSetting());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("pg unterminated string", POSTGRES, "select 'abc", 7),
                arguments("pg unterminated E string (escaped closing quote)", POSTGRES, "select E'abc\\'", 7),
                arguments("pg standard string: backslash does not escape", POSTGRES, "select 'a\\'' ", 7),
                arguments("pg unterminated quoted identifier", POSTGRES, "select \"abc", 7),
                arguments("pg unterminated U& identifier", POSTGRES, "select U&\"abc", 7),
                arguments("pg unterminated nested comment", POSTGRES, "select /* /* */ 1", 7),
                arguments("pg unterminated dollar quote", POSTGRES, "select $a$ x $b$", 7),
                arguments("mysql unterminated string after escaped quote", MYSQL, "select 'a\\'", 7),
                arguments("mysql unterminated backtick", MYSQL, "select `a", 7),
                arguments("mysql unterminated comment", MYSQL, "select /* a", 7),
                arguments("mysql unterminated executable comment", MYSQL, "select 1 /*! drop table t", 9),
                // MariaDB skips /*!999999 as a plain comment ending at the first */ and returned ssn for this text.
                arguments("a versioned comment with */ in a string", MYSQL, "SELECT 1 /*!999999 '*/, ssn FROM users #' */", 9),
                arguments("a MariaDB comment with */ in a backtick name", MYSQL, "SELECT 1 /*M! `*/, ssn FROM users #` */", 9),
                arguments("a versioned comment holding a nested comment", MYSQL, "SELECT 1 /*!50700 /* x */ , ssn */", 9),
                arguments("a versioned comment whose line comment swallows */", MYSQL, "SELECT 1 /*!50700 # */ , ssn\n */", 9));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void failsClosed(String name, Dialect dialect, String sql, int offset) {
        LexException e = assertThrows(LexException.class, () -> Lexer.lex(sql, dialect));
        assertEquals(offset, e.offset());
        assertTrue(e.getMessage().contains("offset " + offset), e.getMessage());
    }

    static Stream<Arguments> values() {
        return Stream.of(
                arguments("pg standard string", POSTGRES, "'a\\b''c'", "a\\b'c"),
                arguments("pg E string", POSTGRES, "E'a\\'b\\nc'", "a'b\nc"),
                arguments("pg continued string", POSTGRES, "'ro'\n'le'", "role"),
                arguments("pg dollar string", POSTGRES, "$t$ro'le$t$", "ro'le"),
                arguments("pg U& string", POSTGRES, "U&'\\0072ole'", "role"),
                arguments("pg U& string with UESCAPE", POSTGRES, "U&'!0072ole' UESCAPE '!'", "role"),
                arguments("pg U& six-digit escape", POSTGRES, "U&'\\+000072ole'", "role"),
                arguments("mysql backslash string", MYSQL, "'a\\'b'", "a'b"),
                arguments("mysql double-quoted string", MYSQL, "\"a\"\"b\"", "a\"b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void decodesStrings(String name, Dialect dialect, String literal, String expected) throws LexException {
        assertEquals(expected, Lexer.lex(literal, dialect).stringValue(0));
    }

    static Stream<Arguments> names() {
        return Stream.of(
                arguments("pg unquoted folds to lower case", POSTGRES, "Users", "users"),
                arguments("pg quoted keeps case", POSTGRES, "\"Users\"", "Users"),
                arguments("pg quoted with doubled quote", POSTGRES, "\"a\"\"b\"", "a\"b"),
                arguments("pg U& identifier decodes escapes", POSTGRES, "U&\"\\0072ole\"", "role"),
                arguments("pg U& identifier with UESCAPE", POSTGRES, "U&\"!0072ole\" UESCAPE '!'", "role"),
                arguments("mysql backtick folds for comparison", MYSQL, "`Us``ers`", "us`ers"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void readsNames(String name, Dialect dialect, String sql, String expected) throws LexException {
        assertEquals(expected, Lexer.lex(sql, dialect).name(0));
    }
}
