package dev.gatehouse.sql.analysis;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.gatehouse.sql.Dialect.MYSQL;
import static dev.gatehouse.sql.Dialect.POSTGRES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Statement facts besides kinds, and what one statement of a submission means for the next. */
class AnalyzerTest {

    private static List<StatementInfo> analyze(Dialect dialect, String sql) {
        return new Analyzer(dialect, Catalog.EMPTY).analyze(sql, "public");
    }

    /** The search path as the server prints it: quoted names as written, unquoted ones folded, {@code "$user"} is $user. */
    static Stream<Arguments> searchPaths() {
        return Stream.of(
                arguments("the server's default", "\"$user\", public", List.of("$user", "public")),
                arguments("unquoted names fold", "App, PUBLIC", List.of("app", "public")),
                arguments("a quoted name keeps its case and its comma", "\"My,Schema\" , public", List.of("My,Schema", "public")),
                arguments("a doubled quote is one quote", "\"a\"\"b\"", List.of("a\"b")),
                arguments("empty entries are dropped", " , x,", List.of("x")),
                arguments("nothing", "", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("searchPaths")
    void searchPath(String name, String text, List<String> expected) {
        assertEquals(expected, Analyzer.pgSearchPath(text));
    }

    /** What approvers were shown for an unknown table under the default search path: "$user".t, a schema that is none. */
    @Test
    void anUnknownTableUnderTheDefaultSearchPathIsInTheFirstRealSchema() {
        StatementInfo info = new Analyzer(POSTGRES, Catalog.EMPTY).analyze("SELECT a FROM t", "\"$user\", public").get(0);
        assertEquals("public", info.tables().get(0).table().schema(), info.toString());
        StatementInfo quoted = new Analyzer(POSTGRES, Catalog.EMPTY).analyze("SELECT a FROM t", "\"Billing\", public").get(0);
        assertEquals("Billing", quoted.tables().get(0).table().schema(), quoted.toString());
    }

    static Stream<Arguments> unbounded() {
        return Stream.of(
                arguments("pg delete without where", POSTGRES, "DELETE FROM t", true),
                arguments("pg delete with where", POSTGRES, "DELETE FROM t WHERE a = 1", false),
                arguments("pg update whose only where is in a subquery", POSTGRES,
                        "UPDATE t SET a = (SELECT b FROM s WHERE s.id = 1)", true),
                arguments("pg update with where current of", POSTGRES, "UPDATE t SET a = 1 WHERE CURRENT OF c", false),
                arguments("pg with cte whose where is not the delete's", POSTGRES,
                        "WITH x AS (SELECT * FROM s WHERE a = 1) DELETE FROM t", true),
                arguments("pg truncate", POSTGRES, "TRUNCATE t", true),
                arguments("pg insert is not unbounded", POSTGRES, "INSERT INTO t SELECT * FROM s", false),
                arguments("mysql delete without where", MYSQL, "DELETE FROM t LIMIT 10", true),
                arguments("mysql update with where", MYSQL, "UPDATE t SET a = 1 WHERE id = 2", false),
                arguments("mysql truncate", MYSQL, "TRUNCATE TABLE t", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unbounded")
    void unbounded(String name, Dialect dialect, String sql, boolean expected) {
        assertEquals(expected, analyze(dialect, sql).get(0).unbounded());
    }

    /** COPY's lineage, read through its equivalent statement: reads for TO, writes for FROM, a query's own. */
    static Stream<Arguments> copyLineage() {
        return Stream.of(
                arguments("copy table from stdin writes the table", "COPY t FROM STDIN", "public.t", "write", true),
                arguments("copy schema-qualified quoted table to a file reads it", "COPY s.\"T\" TO '/tmp/x'", "s.T", "read", true),
                arguments("copy column list to stdout reads the table", "COPY t (a, b) TO STDOUT WITH (FORMAT csv)", "public.t", "read", true),
                arguments("copy from program still writes the table", "COPY t (a) FROM PROGRAM 'cat /etc/x'", "public.t", "write", true),
                arguments("copy of a query reads the query's tables", "COPY (SELECT a FROM u JOIN v ON u.id = v.id) TO STDOUT",
                        "public.u", "read", true),
                arguments("copy of a data-modifying query writes", "COPY (DELETE FROM t WHERE a = 1 RETURNING a) TO STDOUT",
                        "public.t", "write", true),
                arguments("copy without direction stays unresolved", "COPY t", null, null, false),
                arguments("copy of an unclosed query stays unresolved", "COPY (SELECT a FROM t TO STDOUT", null, null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("copyLineage")
    void copyLineage(String name, String sql, String table, String use, boolean resolved) {
        StatementInfo info = analyze(POSTGRES, sql).get(0);
        if (!resolved) {
            assertTrue(info.tables().isEmpty(), info.tables().toString());
            assertFalse(info.lineageComplete());
            return;
        }
        TableAccess access = info.tables().stream().filter(a -> a.table().toString().equals(table)).findFirst()
                .orElseThrow(() -> new AssertionError(table + " not in " + info.tables()));
        assertTrue(access.uses().contains(TableUse.valueOf(use.toUpperCase(java.util.Locale.ROOT))), access.toString());
    }

    static Stream<Arguments> functions() {
        return Stream.of(
                arguments("pg calls, not column lists or types", POSTGRES,
                        "INSERT INTO t (a, b) SELECT lower(x)::varchar(10), CAST(y AS numeric(5,2)) FROM s(1) AS z(c) WHERE coalesce(a, 1) IN (1)",
                        Set.of("lower", "s", "coalesce")),
                arguments("pg qualified and quoted", POSTGRES, "SELECT pg_catalog.now(), \"MyFunc\"(1)",
                        Set.of("pg_catalog.now", "MyFunc")),
                arguments("pg default expression", POSTGRES, "CREATE TABLE t (a int DEFAULT nextval('s'), b varchar(3))",
                        Set.of("nextval")),
                arguments("pg index column is not a call", POSTGRES, "CREATE INDEX i ON t (a)", Set.of()),
                arguments("pg exists and any are not calls", POSTGRES,
                        "SELECT 1 WHERE EXISTS (SELECT 1) AND a = ANY (ARRAY[1]) AND ROW(1, 2) IS NOT NULL", Set.of()),
                arguments("mysql calls", MYSQL, "SELECT IFNULL(a, 0), `db`.`f`(1) FROM t", Set.of("ifnull", "db.f")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void functions(String name, Dialect dialect, String sql, Set<String> expected) {
        assertEquals(expected, analyze(dialect, sql).get(0).functions());
    }

    static Stream<Arguments> literalsMatter() {
        return Stream.of(
                arguments("pg set_config", POSTGRES, "SELECT set_config('role', 'x', false)", true),
                arguments("pg set", POSTGRES, "SET work_mem = '1MB'", true),
                arguments("pg copy target", POSTGRES, "COPY t TO '/tmp/x'", true),
                arguments("pg explain analyze with a literal value", POSTGRES, "EXPLAIN (ANALYZE 1) DELETE FROM t", true),
                arguments("pg plain select", POSTGRES, "SELECT * FROM t WHERE a = 'x'", false),
                arguments("pg plain delete", POSTGRES, "DELETE FROM t WHERE a = 1", false),
                arguments("mysql outfile", MYSQL, "SELECT * FROM t INTO OUTFILE '/tmp/x'", true),
                arguments("mysql prepare from text", MYSQL, "PREPARE s FROM 'SELECT 1'", true),
                arguments("mysql plain insert", MYSQL, "INSERT INTO t VALUES ('x')", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("literalsMatter")
    void literalsMatter(String name, Dialect dialect, String sql, boolean expected) {
        assertEquals(expected, analyze(dialect, sql).get(0).literalsMatter());
    }

    static Stream<Arguments> submissions() {
        return Stream.of(
                arguments("pg execute of a write prepared earlier", POSTGRES,
                        "PREPARE p AS DELETE FROM t WHERE a = $1; EXECUTE p(1)", List.of(Set.of(Kind.WRITE), Set.of(Kind.WRITE))),
                arguments("pg execute of a read prepared earlier", POSTGRES,
                        "PREPARE q (int) AS SELECT * FROM t WHERE a = $1; EXECUTE q(1)", List.of(Set.of(Kind.READ), Set.of(Kind.READ))),
                arguments("pg explain analyze of a prepared write", POSTGRES,
                        "PREPARE p AS UPDATE t SET a = 1; EXPLAIN ANALYZE EXECUTE p", List.of(Set.of(Kind.WRITE), Set.of(Kind.WRITE))),
                arguments("pg execute of another name stays unknown", POSTGRES,
                        "PREPARE p AS SELECT 1; EXECUTE other", List.of(Set.of(Kind.READ), Set.of(Kind.UNKNOWN))),
                arguments("pg statements after a lex-clean split", POSTGRES,
                        "SELECT 1; DROP TABLE t", List.of(Set.of(Kind.READ), Set.of(Kind.DDL))),
                arguments("pg unlexable submission is one unknown", POSTGRES,
                        "SELECT 1; SELECT 'x", List.of(Set.of(Kind.UNKNOWN))),
                arguments("pg text readable only with standard_conforming_strings off", POSTGRES,
                        "SELECT 'a\\'b'; DELETE FROM t", List.of(Set.of(Kind.READ), Set.of(Kind.WRITE))),
                arguments("mysql text readable only with NO_BACKSLASH_ESCAPES", MYSQL,
                        "SELECT 'a\\'; GRANT ALL ON *.* TO u", List.of(Set.of(Kind.READ), Set.of(Kind.PRIVILEGE))),
                arguments("mysql execute of a statement prepared from text", MYSQL,
                        "PREPARE s FROM 'DROP TABLE t'; EXECUTE s", List.of(Set.of(Kind.DDL), Set.of(Kind.DDL))),
                arguments("pg drop hidden from standard strings, seen with standard_conforming_strings off", POSTGRES,
                        "SELECT 'a\\'' ; DROP TABLE t; --'", List.of(Set.of(Kind.READ, Kind.DDL))),
                arguments("pg backslash string that reads the same both ways", POSTGRES,
                        "SELECT 'C:\\dir'", List.of(Set.of(Kind.READ))),
                arguments("pg backslash string the other reading cannot lex", POSTGRES,
                        "SELECT 'a\\'", List.of(Set.of(Kind.READ))),
                arguments("mysql grant hidden by backslash escapes, seen with NO_BACKSLASH_ESCAPES", MYSQL,
                        "SELECT 'a\\' ; GRANT ALL ON *.* TO u; SELECT '", List.of(Set.of(Kind.READ, Kind.PRIVILEGE))),
                arguments("mysql other reading breaks after a hidden statement", MYSQL,
                        "SELECT 'a\\' ; DELETE FROM t; SELECT 'x\\'y'", List.of(Set.of(Kind.READ, Kind.WRITE))),
                arguments("mysql executable comment statement", MYSQL,
                        "SELECT 1; /*!50001 DROP TABLE t */", List.of(Set.of(Kind.READ), Set.of(Kind.DDL))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("submissions")
    void submissions(String name, Dialect dialect, String sql, List<Set<Kind>> expected) {
        List<StatementInfo> infos = analyze(dialect, sql);
        assertEquals(expected, infos.stream().map(StatementInfo::kinds).toList());
    }

    @Test
    void emptySubmissionHasNoStatements() {
        assertTrue(analyze(POSTGRES, " -- nothing\n /* at all */ ;").isEmpty());
    }

    @Test
    void mysqlStatementTextHasExecutableCommentsExpanded() {
        StatementInfo info = analyze(MYSQL, "/*!40101 SET NAMES utf8 */").get(0);
        assertEquals("SET NAMES utf8", info.sql());
    }

    @Test
    void lexErrorsAreExplained() {
        StatementInfo info = analyze(POSTGRES, "SELECT $$ x").get(0);
        assertTrue(info.isUnknown());
        assertTrue(info.notes().get(0).contains("unterminated dollar-quoted string"), info.notes().toString());
        assertFalse(info.lineageComplete());
    }
}
