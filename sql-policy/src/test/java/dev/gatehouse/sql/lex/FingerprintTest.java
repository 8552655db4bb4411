package dev.gatehouse.sql.lex;

import dev.gatehouse.sql.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.gatehouse.sql.Dialect.MYSQL;
import static dev.gatehouse.sql.Dialect.POSTGRES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class FingerprintTest {

    static Stream<Arguments> same() {
        return Stream.of(
                arguments("pg numbers differ", POSTGRES, "select * from t where id = 1", "select * from t where id = 42"),
                arguments("pg strings differ", POSTGRES, "select * from t where n = 'a'", "select * from t where n = 'b''c'"),
                arguments("pg string kinds differ", POSTGRES, "select 'a'", "select E'\\n'"),
                arguments("pg backslash in E string is not setting-dependent", POSTGRES, "select E'a\\'b'", "select 'c'"),
                arguments("pg dollar string vs plain string", POSTGRES, "select $$x$$", "select 'y'"),
                arguments("pg bit and hex strings", POSTGRES, "select B'1'", "select X'ff'"),
                arguments("pg case of keywords and unquoted names", POSTGRES, "SELECT A FROM T", "select a from t"),
                arguments("pg whitespace and comments", POSTGRES, "select a\n  from t -- c", "select /* x */ a from t"),
                arguments("mysql executable comment counts as code", MYSQL, "select 1 /*! , 2 */", "select 3, 4"),
                arguments("mysql single- and double-quoted strings", MYSQL, "select 'a''b'", "select \"c\""),
                arguments("mysql hash comment ignored", MYSQL, "select 1 # x\n", "select 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("same")
    void literalOnlyDifferencesShareAFingerprint(String name, Dialect dialect, String a, String b) {
        assertNotNull(Fingerprint.of(a, dialect));
        assertEquals(Fingerprint.of(a, dialect), Fingerprint.of(b, dialect));
    }

    static Stream<Arguments> different() {
        return Stream.of(
                arguments("pg different column", POSTGRES, "select a from t where id = 1", "select b from t where id = 1"),
                arguments("pg quoted vs unquoted identifier", POSTGRES, "select * from \"Users\"", "select * from users"),
                arguments("pg boolean keywords are kept", POSTGRES, "select * from t where a = true", "select * from t where a = false"),
                arguments("pg parameter vs literal", POSTGRES, "select * from t where id = $1", "select * from t where id = 1"),
                arguments("pg operator differs", POSTGRES, "select * from t where id < 1", "select * from t where id > 1"),
                arguments("pg extra statement", POSTGRES, "select 1", "select 1; drop table t"),
                arguments("pg nested comment hides nothing", POSTGRES, "select 1 /* /* */ drop */", "select 1 drop"),
                arguments("pg UESCAPE character is kept", POSTGRES, "select U&\"!0070g_read_file\" UESCAPE '!' ('x')",
                        "select U&\"!0070g_read_file\" UESCAPE '#' ('x')"),
                arguments("mysql executable comment is not ignored", MYSQL, "select 1 /*! ; drop table t */", "select 1"),
                arguments("mysql backtick vs bare identifier", MYSQL, "select `a` from t", "select a from t"),
                arguments("mysql dash dash digit is an expression", MYSQL, "select 1--1", "select 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("different")
    void otherDifferencesDoNot(String name, Dialect dialect, String a, String b) {
        assertNotEquals(Fingerprint.of(a, dialect), Fingerprint.of(b, dialect));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unlexable")
    void unlexableTextHasNoFingerprint(String name, Dialect dialect, String sql) {
        assertNull(Fingerprint.of(sql, dialect));
    }

    static Stream<Arguments> unlexable() {
        return Stream.of(
                arguments("pg unterminated string", POSTGRES, "select 'a"),
                arguments("pg backslash in a standard string (reads differently with standard_conforming_strings off)",
                        POSTGRES, "select 'a\\'' ; drop table t; --'"),
                arguments("mysql backslash in a string (reads differently with NO_BACKSLASH_ESCAPES)", MYSQL,
                        "select 'a\\'; drop table t; #'"),
                arguments("mysql unterminated backtick", MYSQL, "select `a"));
    }

    @org.junit.jupiter.api.Test
    void showsTheShape() {
        assertEquals("select a , \"B\" from t where x = ? and y in ( ? , ? )",
                Fingerprint.of("SELECT a, \"B\" FROM T WHERE x = 'q' AND y IN (1, 2.5)", POSTGRES));
    }

    /** The decision cache's key: literal values vary, literal forms do not (the analysis can depend on the form). */
    static Stream<Arguments> sameForm() {
        return Stream.of(
                arguments("pg numbers and plain strings", POSTGRES, "select * from t where id = 1 and n = 'a'",
                        "select * from t where id = 'x' and n = 2.5"),
                arguments("pg E strings", POSTGRES, "select E'a\\'b'", "select e'c'"),
                arguments("pg dollar strings with different tags", POSTGRES, "select $$x$$", "select $f$y$f$"),
                arguments("pg bit strings", POSTGRES, "select B'1'", "select b'0101'"),
                arguments("pg strings continued on the next line", POSTGRES, "select 'a'\n'b'", "select 'c' \r\n  'd''e'\n'f'"),
                arguments("mysql double-quoted strings", MYSQL, "select \"a\"", "select \"b\"\"c\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sameForm")
    void sameFormsShareACacheKey(String name, Dialect dialect, String a, String b) {
        assertNotNull(Fingerprint.withLiteralForms(a, dialect));
        assertEquals(Fingerprint.withLiteralForms(a, dialect), Fingerprint.withLiteralForms(b, dialect));
    }

    static Stream<Arguments> otherForm() {
        return Stream.of(
                arguments("pg plain vs dollar-quoted string", POSTGRES, "select 'y'", "select $$x$$"),
                arguments("pg plain vs E string", POSTGRES, "select 'a'", "select E'\\n'"),
                arguments("pg bit vs hex string", POSTGRES, "select B'1'", "select X'ff'"),
                arguments("pg plain vs U& string", POSTGRES, "select 'a'", "select U&'a'"),
                arguments("mysql single- vs double-quoted string", MYSQL, "select 'a'", "select \"a\""),
                arguments("mysql plain vs national string", MYSQL, "select 'a'", "select N'a'"),
                arguments("pg plain vs continued string (the parser cannot read it)", POSTGRES, "select 'a' as c",
                        "select 'a'\n  'b' as c"),
                arguments("pg E vs continued E string", POSTGRES, "select e'a'", "select e'a'\n'b'"),
                arguments("pg numbers glued to a name, other digits", POSTGRES, "update t set a = 1.r", "update t set a = 0r"),
                arguments("pg number glued to a name vs spaced", POSTGRES, "select 1r from t", "select 1 r from t"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherForm")
    void otherFormsDoNot(String name, Dialect dialect, String a, String b) {
        assertEquals(Fingerprint.of(a, dialect), Fingerprint.of(b, dialect), "the display shape hides the form");
        assertNotEquals(Fingerprint.withLiteralForms(a, dialect), Fingerprint.withLiteralForms(b, dialect));
    }

    @org.junit.jupiter.api.Test
    void showsTheFormsKept() {
        assertEquals("select ? , e'?' , $?$ , u&'?' , ? , ?+ from t where \"X\" = b'?' || x'?' || n'?'",
                Fingerprint.withLiteralForms("SELECT 1, E'\\t', $f$''$f$, U&'d\\0061t', '', ''\n'' FROM t WHERE \"X\" = B'1' || X'' || N'n'",
                        POSTGRES));
    }
}
