package dev.gatehouse.sql.lex;

import dev.gatehouse.sql.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.gatehouse.sql.Dialect.MYSQL;
import static dev.gatehouse.sql.Dialect.POSTGRES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SplitterTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("pg two statements", POSTGRES, "select 1; select 2;", List.of("select 1", "select 2")),
                arguments("pg empty statements dropped", POSTGRES, ";; select 1 ;;; ", List.of("select 1")),
                arguments("pg only comments", POSTGRES, "-- x\n/* y */", List.of()),
                arguments("pg semicolon in string", POSTGRES, "select 'a;b'; select 2", List.of("select 'a;b'", "select 2")),
                arguments("pg semicolon in quoted identifier", POSTGRES, "select 1 as \"a;b\"", List.of("select 1 as \"a;b\"")),
                arguments("pg semicolon in line comment", POSTGRES, "select 1 -- ; drop table t\n", List.of("select 1")),
                arguments("pg nested comment hides statements", POSTGRES,
                        "/* a /* b */ drop table t; */ select 1", List.of("select 1")),
                arguments("pg semicolon in dollar quote", POSTGRES,
                        "create function f() returns int as $$ select 1; $$ language sql; select 2",
                        List.of("create function f() returns int as $$ select 1; $$ language sql", "select 2")),
                arguments("pg backslash does not escape in standard string", POSTGRES,
                        "select 'a\\'; drop table t", List.of("select 'a\\'", "drop table t")),
                arguments("pg E string escaped quote keeps semicolon inside", POSTGRES,
                        "select E'a\\'; drop table t'; select 2", List.of("select E'a\\'; drop table t'", "select 2")),
                arguments("pg semicolon in parentheses (rule actions)", POSTGRES,
                        "create rule r as on insert to t do instead (delete from a; delete from b); select 1",
                        List.of("create rule r as on insert to t do instead (delete from a; delete from b)", "select 1")),
                arguments("pg BEGIN ATOMIC body kept whole", POSTGRES,
                        "CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3",
                        List.of("CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END",
                                "SELECT 3")),
                arguments("pg BEGIN ATOMIC with empty statements", POSTGRES,
                        "CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC ;;INSERT INTO t VALUES (1);; END",
                        List.of("CREATE OR REPLACE PROCEDURE p() BEGIN ATOMIC ;;INSERT INTO t VALUES (1);; END")),
                arguments("pg transaction BEGIN is not a body", POSTGRES, "BEGIN; UPDATE t SET a = 1; END",
                        List.of("BEGIN", "UPDATE t SET a = 1", "END")),
                arguments("pg leading comment dropped, inner comment kept", POSTGRES, "-- hi\nselect /* x */ 1",
                        List.of("select /* x */ 1")),
                arguments("mysql backslash-escaped quote keeps semicolon inside", MYSQL,
                        "select 'a\\'; drop table t'; select 2", List.of("select 'a\\'; drop table t'", "select 2")),
                arguments("mysql semicolon in hash comment", MYSQL, "select 1 # ; drop table t\n; select 2",
                        List.of("select 1", "select 2")),
                arguments("mysql semicolon in backticks", MYSQL, "select `a;b` from t", List.of("select `a;b` from t")),
                arguments("mysql block comments do not nest", MYSQL, "/* a /* b */ drop table t; select 1",
                        List.of("drop table t", "select 1")),
                arguments("mysql executable comment holds a statement", MYSQL, "select 1; /*!50001 drop table t */",
                        List.of("select 1", "drop table t")),
                arguments("mysql executable comment split inside", MYSQL, "/*! set a = 1; drop table t */",
                        List.of("set a = 1", "drop table t")),
                arguments("mysql executable comment inside a statement is expanded", MYSQL,
                        "create table t (a int) /*!50100 engine=innodb */", List.of("create table t (a int)   engine=innodb")),
                arguments("mysql procedure body kept whole", MYSQL,
                        "CREATE PROCEDURE p() BEGIN DECLARE x INT; IF x > 1 THEN SELECT 1; ELSEIF x < 0 THEN SELECT 2; END IF; "
                                + "WHILE x < 5 DO SET x = x + 1; END WHILE; lbl: LOOP LEAVE lbl; END LOOP lbl; "
                                + "REPEAT SET x = x - 1; UNTIL x = 0 END REPEAT; CASE x WHEN 1 THEN SELECT 3; END CASE; "
                                + "SET x = IF(x, 1, 2); SET x = CASE WHEN x THEN 1 END; BEGIN SELECT 4; END; END; SELECT 5",
                        List.of("CREATE PROCEDURE p() BEGIN DECLARE x INT; IF x > 1 THEN SELECT 1; ELSEIF x < 0 THEN SELECT 2; END IF; "
                                + "WHILE x < 5 DO SET x = x + 1; END WHILE; lbl: LOOP LEAVE lbl; END LOOP lbl; "
                                + "REPEAT SET x = x - 1; UNTIL x = 0 END REPEAT; CASE x WHEN 1 THEN SELECT 3; END CASE; "
                                + "SET x = IF(x, 1, 2); SET x = CASE WHEN x THEN 1 END; BEGIN SELECT 4; END; END", "SELECT 5")),
                arguments("mysql trigger with definer and body", MYSQL,
                        "CREATE DEFINER=`root`@`localhost` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END; SELECT 1",
                        List.of("CREATE DEFINER=`root`@`localhost` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END",
                                "SELECT 1")),
                arguments("mysql single-statement trigger body", MYSQL,
                        "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1; SELECT 1",
                        List.of("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1", "SELECT 1")),
                arguments("mysql event body", MYSQL,
                        "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t; END; SELECT 1",
                        List.of("CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN DELETE FROM t; END", "SELECT 1")),
                arguments("mariadb anonymous block", MYSQL, "BEGIN NOT ATOMIC SELECT 1; SELECT 2; END; SELECT 3",
                        List.of("BEGIN NOT ATOMIC SELECT 1; SELECT 2; END", "SELECT 3")),
                arguments("mysql transaction BEGIN is not a body", MYSQL, "BEGIN; DELETE FROM t; COMMIT",
                        List.of("BEGIN", "DELETE FROM t", "COMMIT")),
                arguments("pg BEGIN without ATOMIC opens no body (the server splits there)", POSTGRES,
                        "CREATE FUNCTION begin() RETURNS int AS 'select 1' LANGUAGE sql; GRANT ALL ON t TO u",
                        List.of("CREATE FUNCTION begin() RETURNS int AS 'select 1' LANGUAGE sql", "GRANT ALL ON t TO u")),
                arguments("mysql column named begin does not hide the next statement", MYSQL,
                        "CREATE PROCEDURE p() BEGIN SELECT begin FROM t; END; GRANT ALL ON *.* TO u",
                        List.of("CREATE PROCEDURE p() BEGIN SELECT begin FROM t; END", "GRANT ALL ON *.* TO u")),
                arguments("mysql IF() function after DO opens no block", MYSQL,
                        "CREATE PROCEDURE p() BEGIN DO IF(1, 2, 3); END; GRANT ALL ON *.* TO u",
                        List.of("CREATE PROCEDURE p() BEGIN DO IF(1, 2, 3); END", "GRANT ALL ON *.* TO u")),
                arguments("mysql table named begin in a trigger header", MYSQL,
                        "CREATE TRIGGER tr BEFORE INSERT ON begin FOR EACH ROW SET NEW.a = 1; GRANT ALL ON *.* TO u",
                        List.of("CREATE TRIGGER tr BEFORE INSERT ON begin FOR EACH ROW SET NEW.a = 1", "GRANT ALL ON *.* TO u")),
                arguments("mysql function body after characteristics", MYSQL,
                        "CREATE FUNCTION f() RETURNS INT DETERMINISTIC COMMENT 'x' BEGIN RETURN 1; END; SELECT 2",
                        List.of("CREATE FUNCTION f() RETURNS INT DETERMINISTIC COMMENT 'x' BEGIN RETURN 1; END", "SELECT 2")),
                arguments("mysql handler body is a block", MYSQL,
                        "CREATE PROCEDURE p() BEGIN DECLARE EXIT HANDLER FOR SQLSTATE '42S02' BEGIN SELECT 1; END; SELECT 2; END; SELECT 3",
                        List.of("CREATE PROCEDURE p() BEGIN DECLARE EXIT HANDLER FOR SQLSTATE '42S02' BEGIN SELECT 1; END; SELECT 2; END",
                                "SELECT 3")),
                arguments("mysql alias named begin after a string does not hide the next statement", MYSQL,
                        "CREATE PROCEDURE p() BEGIN SELECT 'x' begin; END; GRANT ALL ON *.* TO u",
                        List.of("CREATE PROCEDURE p() BEGIN SELECT 'x' begin; END", "GRANT ALL ON *.* TO u")),
                arguments("mysql IF EXISTS inside body is not a block", MYSQL,
                        "CREATE PROCEDURE p() BEGIN DROP TABLE IF EXISTS t; END; SELECT 1",
                        List.of("CREATE PROCEDURE p() BEGIN DROP TABLE IF EXISTS t; END", "SELECT 1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void splits(String name, Dialect dialect, String text, List<String> expected) throws LexException {
        assertEquals(expected, Splitter.split(text, dialect));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unlexable")
    void refusesWhatItCannotLex(String name, Dialect dialect, String text) {
        assertThrows(LexException.class, () -> Splitter.split(text, dialect));
    }

    static Stream<Arguments> unlexable() {
        return Stream.of(
                arguments("pg unterminated dollar quote", POSTGRES, "select 1; select $$ drop table t"),
                arguments("mysql unterminated executable comment", MYSQL, "select 1; /*! drop table t"));
    }
}
