package dev.gatehouse.sql.lex;

import dev.gatehouse.sql.Dialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import static dev.gatehouse.sql.Dialect.MYSQL;
import static dev.gatehouse.sql.Dialect.POSTGRES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The lexer's rules are only worth something if they are the servers' rules: each case sends the same text
 * to the real PostgreSQL 15 and MariaDB on this machine and compares how many statements the server ran,
 * the value it gave a literal, or the name it gave a column, with what the lexer says.
 */
class ServerAgreementTest {
    private static Connection postgres;
    private static Connection mariadb;

    @BeforeAll
    static void connect() throws SQLException {
        // Simple query mode / multi-queries: the server, not the driver, splits the text.
        postgres = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&preferQueryMode=simple");
        mariadb = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/test?user=root&allowMultiQueries=true");
    }

    @AfterAll
    static void close() throws SQLException {
        try (Statement pg = postgres.createStatement(); Statement my = mariadb.createStatement()) {
            pg.execute("DROP FUNCTION IF EXISTS begin(); DROP FUNCTION IF EXISTS gh_split()");
            my.execute("DROP PROCEDURE IF EXISTS gh_split");
        }
        postgres.close();
        mariadb.close();
    }

    private static Connection connection(Dialect dialect) {
        return dialect == POSTGRES ? postgres : mariadb;
    }

    static Stream<Arguments> statementCounts() {
        return Stream.of(
                arguments("pg semicolon in nested comment", POSTGRES, "SELECT 1 /* a /* ; */ SELECT 2; */; SELECT 3"),
                arguments("pg semicolon after standard-string backslash", POSTGRES, "SELECT 'a\\'; SELECT 2"),
                arguments("pg semicolon in E string", POSTGRES, "SELECT E'a\\'; SELECT 2'; SELECT 3"),
                arguments("pg semicolon in dollar quote", POSTGRES, "SELECT $q$ ; $$ ; $q$; SELECT 2"),
                arguments("pg semicolon in quoted identifier", POSTGRES, "SELECT 1 AS \"a;b\"; SELECT 2"),
                arguments("pg semicolon in line comment", POSTGRES, "SELECT 1 -- ; SELECT 2\n; SELECT 3"),
                arguments("pg empty statements", POSTGRES, ";SELECT 1;; ;SELECT 2;"),
                arguments("mariadb backslash-escaped quote", MYSQL, "SELECT 'a\\'; SELECT 2'; SELECT 3"),
                arguments("mariadb double-quoted string", MYSQL, "SELECT \"a;\\\"b\"; SELECT 2"),
                arguments("mariadb hash comment", MYSQL, "SELECT 1 # ; SELECT 2\n; SELECT 3"),
                arguments("mariadb dash dash space comment", MYSQL, "SELECT 1 -- ; SELECT 2\n; SELECT 3"),
                arguments("mariadb dash dash without space is not a comment", MYSQL, "SELECT 1 --1; SELECT 2"),
                arguments("mariadb block comments do not nest", MYSQL, "SELECT 1 /* /* */ ; SELECT 2"),
                arguments("mariadb executable comment holds a statement", MYSQL, "SELECT 1; /*! SELECT 2 */"),
                arguments("mariadb versioned executable comment inside a statement", MYSQL, "SELECT 1 /*!50001 , 2 */; SELECT 3"),
                arguments("mariadb backtick identifier", MYSQL, "SELECT 1 AS `a;``b`; SELECT 2"),
                arguments("pg function named begin: BEGIN without ATOMIC opens no body", POSTGRES,
                        "CREATE OR REPLACE FUNCTION begin() RETURNS int AS 'select 1' LANGUAGE sql; SELECT 2"),
                arguments("pg BEGIN ATOMIC body", POSTGRES,
                        "CREATE OR REPLACE FUNCTION gh_split() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3"),
                arguments("mariadb procedure body with a column named begin", MYSQL,
                        "CREATE OR REPLACE PROCEDURE gh_split() BEGIN SELECT 1 AS begin; IF 1 THEN SELECT 2; END IF; DO IF(1, 2, 3); END; SELECT 3"),
                arguments("mariadb handler body and an alias named begin", MYSQL,
                        "CREATE OR REPLACE PROCEDURE gh_split() BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN SELECT 1; END; "
                                + "SELECT 'x' begin; END; SELECT 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statementCounts")
    void splitsLikeTheServer(String name, Dialect dialect, String sql) throws Exception {
        int results = 0;
        try (Statement st = connection(dialect).createStatement()) {
            boolean isResultSet = st.execute(sql);
            while (isResultSet || st.getUpdateCount() != -1) {
                results++;
                isResultSet = st.getMoreResults();
            }
        }
        assertEquals(results, Splitter.split(sql, dialect).size(), "statements the server ran for " + sql);
    }

    static Stream<Arguments> literals() {
        return Stream.of(
                arguments("pg standard string keeps backslash", POSTGRES, "'a\\b''c'"),
                arguments("pg E string escapes", POSTGRES, "E'a\\'b\\\\c\\td'"),
                arguments("pg string continued on the next line", POSTGRES, "'ro'\n  'le'"),
                arguments("pg dollar quote", POSTGRES, "$t$a'b$$c$t$"),
                arguments("pg U& string", POSTGRES, "U&'d\\0061t\\+000061'"),
                arguments("pg U& string with UESCAPE", POSTGRES, "U&'d!0061t!!' UESCAPE '!'"),
                arguments("mariadb backslash escapes", MYSQL, "'a\\'b\\\\c\\td'"),
                arguments("mariadb doubled quote", MYSQL, "'a''b'"),
                arguments("mariadb double-quoted string", MYSQL, "\"a\"\"b\\\"c\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("literals")
    void decodesLiteralsLikeTheServer(String name, Dialect dialect, String literal) throws Exception {
        assertEquals(serverValue(dialect, "SELECT " + literal), Lexer.lex(literal, dialect).stringValue(0));
    }

    static Stream<Arguments> identifiers() {
        return Stream.of(
                arguments("pg quoted identifier keeps case", POSTGRES, "\"MiXed\"\"q\""),
                arguments("pg unquoted identifier folds", POSTGRES, "MiXed"),
                arguments("pg U& identifier", POSTGRES, "U&\"\\0072ole\""),
                arguments("pg U& identifier with UESCAPE", POSTGRES, "U&\"!0072ole\" UESCAPE '!'"),
                arguments("mariadb backtick identifier", MYSQL, "`a``b`"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifiers")
    void readsNamesLikeTheServer(String name, Dialect dialect, String identifier) throws Exception {
        String label;
        try (Statement st = connection(dialect).createStatement();
             ResultSet rs = st.executeQuery("SELECT 1 AS " + identifier)) {
            label = rs.getMetaData().getColumnLabel(1);
        }
        assertEquals(label, Lexer.lex(identifier, dialect).name(0));
    }

    private static String serverValue(Dialect dialect, String sql) throws SQLException {
        try (Statement st = connection(dialect).createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
