package dev.gatehouse.proxy.session.sql;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SqlScanTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("plain select has no effects", "SELECT 1", List.of(), List.of()),
                arguments("prepare remembers the body after AS", "PREPARE q (int, text) AS SELECT $1, $2",
                        List.of(), List.of(new SessionEffect.Prepare("q", "SELECT $1, $2"))),
                arguments("prepare name folds to lower case", "prepare MyQ as delete from t",
                        List.of(), List.of(new SessionEffect.Prepare("myq", "delete from t"))),
                arguments("quoted prepare name keeps its case", "PREPARE \"MyQ\" AS SELECT 1",
                        List.of(), List.of(new SessionEffect.Prepare("MyQ", "SELECT 1"))),
                arguments("AS inside the type list is not the body", "PREPARE q (int) AS SELECT 1 AS x",
                        List.of(), List.of(new SessionEffect.Prepare("q", "SELECT 1 AS x"))),
                arguments("execute names the statement", "EXECUTE q(1, 'a')", List.of("q"), List.of()),
                arguments("several statements in one string", "SET search_path TO a, b; EXECUTE q; RESET ROLE",
                        List.of("q"), List.of(new SessionEffect.SetSearchPath("a, b"),
                                new SessionEffect.SetRole(null))),
                arguments("keywords inside strings and comments are not statements",
                        "SELECT 'x; EXECUTE q' /* ; SET ROLE admin */ -- ; DISCARD ALL\n, $$; RESET ALL$$",
                        List.of(), List.of()),
                arguments("dollar-quoted body with a tag", "DO $body$ BEGIN EXECUTE 'x'; END $body$; EXECUTE z",
                        List.of("z"), List.of()),
                arguments("set role", "SET ROLE auditor", List.of(), List.of(new SessionEffect.SetRole("auditor"))),
                arguments("set session role none", "SET SESSION ROLE NONE", List.of(),
                        List.of(new SessionEffect.SetRole(null))),
                arguments("set search_path with =", "set search_path = \"$user\", public", List.of(),
                        List.of(new SessionEffect.SetSearchPath("\"$user\", public"))),
                arguments("set search_path to default", "SET search_path TO DEFAULT", List.of(),
                        List.of(new SessionEffect.SetSearchPath(null))),
                arguments("deallocate prepare name", "DEALLOCATE PREPARE q", List.of(),
                        List.of(new SessionEffect.Deallocate("q"))),
                arguments("deallocate all", "deallocate all", List.of(), List.of(new SessionEffect.Deallocate(null))),
                arguments("discard all", "DISCARD ALL", List.of(), List.of(new SessionEffect.DiscardAll())),
                arguments("discard plans changes nothing tracked", "DISCARD PLANS", List.of(), List.of()),
                arguments("reset all", "RESET ALL", List.of(), List.of(new SessionEffect.ResetAll())),
                arguments("E-string with an escaped quote", "SELECT E'it\\'s; EXECUTE q'; EXECUTE r",
                        List.of("r"), List.of()),
                arguments("nested block comment", "/* a /* b; EXECUTE q */ still comment */ EXECUTE r",
                        List.of("r"), List.of()),
                arguments("unterminated string swallows the rest", "SELECT 'open; EXECUTE q", List.of(), List.of()),
                arguments("parameter $1 is not a dollar quote", "SELECT $1; EXECUTE q", List.of("q"), List.of()),
                arguments("EXPLAIN ANALYZE runs the prepared statement", "EXPLAIN (ANALYZE) EXECUTE q(1)",
                        List.of("q"), List.of()),
                arguments("CREATE TABLE AS EXECUTE runs it", "CREATE TEMP TABLE t AS EXECUTE q", List.of("q"),
                        List.of()),
                arguments("GRANT EXECUTE ON is no statement name", "GRANT EXECUTE ON FUNCTION f() TO x", List.of(),
                        List.of()),
                arguments("a trigger's EXECUTE FUNCTION is no statement name",
                        "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", List.of(), List.of()),
                arguments("set_config anywhere touches the session",
                        "SELECT pg_catalog.set_config('search_path', 'x', false)", List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scans(String name, String sql, List<String> executed, List<SessionEffect> effects) {
        SqlScan scan = SqlScan.of(sql);
        assertEquals(executed, scan.executed());
        assertEquals(effects, scan.effects());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("touchCases")
    void touchesSession(String name, String sql, boolean touches) {
        assertEquals(touches, SqlScan.of(sql).touchesSession());
    }

    static Stream<Arguments> touchCases() {
        return Stream.of(
                arguments("plain select", "SELECT 1", false),
                arguments("set search_path", "SET search_path TO x", true),
                arguments("set of another setting", "SET extra_float_digits = 3", false),
                arguments("set_config call", "SELECT set_config('search_path', 'x', false)", true),
                arguments("set_config inside a string is text", "SELECT 'set_config'", false),
                arguments("prepare does not touch search_path", "PREPARE p AS SELECT 1", false),
                arguments("discard all", "DISCARD ALL", true),
                arguments("reset role", "RESET ROLE", true),
                arguments("set client_encoding", "SET client_encoding TO 'LATIN1'", true),
                arguments("set local client_encoding", "SET LOCAL client_encoding = 'LATIN2'", true),
                arguments("set names", "SET NAMES 'WIN1251'", true),
                arguments("reset client_encoding", "RESET client_encoding", true),
                arguments("reset all", "RESET ALL", true),
                arguments("a column named names is not a setting", "SELECT names FROM t", false),
                arguments("show client_encoding changes nothing", "SHOW client_encoding", false));
    }
}
