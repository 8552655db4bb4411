package dev.gatehouse.enforce.session;

import dev.gatehouse.enforce.session.SessionEffect.Deallocate;
import dev.gatehouse.enforce.session.SessionEffect.DiscardAll;
import dev.gatehouse.enforce.session.SessionEffect.Prepare;
import dev.gatehouse.enforce.session.SessionEffect.ResetAll;
import dev.gatehouse.enforce.session.SessionEffect.Setting;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.pg.PgQuery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static dev.gatehouse.enforce.session.SqlScan.SAVEPOINT_ROLLBACK;
import static dev.gatehouse.enforce.session.SqlScan.SCHEMA;
import static dev.gatehouse.enforce.session.SqlScan.SESSION;
import static dev.gatehouse.enforce.session.SqlScan.TRANSACTION_CONTROL;
import static dev.gatehouse.enforce.session.SqlScan.TRANSACTION_END;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a text does to the session, read as the server reads it; named cases for both dialects. */
class SqlScanTest {
    private static final int DDL = SESSION | SCHEMA;

    record Case(String name, Dialect dialect, String sql, SqlScan expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void nativeReader() {
        assertTrue(PgQuery.available(), PgQuery.unavailableReason());
    }

    static Case pg(String name, String sql, int flags, SessionEffect... effects) {
        return new Case(name, Dialect.POSTGRES, sql, new SqlScan(List.of(), List.of(), List.of(effects), flags));
    }

    /** {@code runs}: executed names; {@code bodies}: the body prepared earlier in the text for each (or null). */
    static Case executes(String name, String sql, int flags, List<String> runs, List<String> bodies,
                         SessionEffect... effects) {
        return new Case(name, Dialect.POSTGRES, sql, new SqlScan(runs, bodies, List.of(effects), flags));
    }

    static Case my(String name, String sql, int flags) {
        return new Case(name, Dialect.MYSQL, sql, new SqlScan(List.of(), List.of(), List.of(), flags));
    }

    static Setting set(String name, String... value) {
        return new Setting(name, List.of(value));
    }

    static List<String> nulls(String... bodies) {
        return Arrays.asList(bodies);
    }

    static List<Case> cases() {
        String a70 = "a".repeat(70);
        String umlauts40 = "ä".repeat(40);
        return List.of(
                pg("plain select with a parameter", "SELECT id, name FROM users WHERE id = $1", 0),
                // the two misses of issue 12
                pg("quoted setting name", "SET \"search_path\" = billing, public", SESSION,
                        set("search_path", "billing", "public")),
                pg("set_config after a -- comment ended by \\r", "SELECT 1; -- note\rSELECT set_config('search_path', "
                        + "'billing', false)", SESSION, set("search_path", "billing")),
                pg("-- comment ended by \\r hides nothing after it", "SELECT 1 -- note\r; SET ROLE auditor", SESSION,
                        set("role", "auditor")),
                pg("setting names compare ignoring case", "SET \"SEARCH_PATH\" TO x", SESSION, set("search_path", "x")),
                pg("SET SESSION", "set session search_path to app, public", SESSION, set("search_path", "app", "public")),
                pg("SET LOCAL", "SET LOCAL search_path TO app", SESSION, set("search_path", "app")),
                pg("SET SCHEMA is search_path", "SET SCHEMA 'billing'", SESSION, set("search_path", "billing")),
                pg("quoted schema in the value", "SET search_path = \"Billing\", public", SESSION,
                        set("search_path", "Billing", "public")),
                pg("RESET search_path", "RESET search_path", SESSION, set("search_path")),
                pg("SET ... TO DEFAULT", "SET search_path TO DEFAULT", SESSION, set("search_path")),
                pg("SET ROLE", "SET ROLE auditor", SESSION, set("role", "auditor")),
                pg("SET ROLE NONE", "SET ROLE NONE", SESSION, set("role", "none")),
                pg("RESET ROLE", "RESET ROLE", SESSION, set("role")),
                pg("SET SESSION AUTHORIZATION", "SET SESSION AUTHORIZATION bob", SESSION,
                        set("session_authorization", "bob")),
                pg("SET NAMES is client_encoding", "SET NAMES 'LATIN1'", SESSION, set("client_encoding", "LATIN1")),
                pg("standard_conforming_strings", "SET standard_conforming_strings = off", SESSION,
                        set("standard_conforming_strings", "off")),
                pg("other settings change nothing a decision reads", "SET statement_timeout = 0", 0,
                        set("statement_timeout", "0")),
                pg("SET FROM CURRENT has no value yet", "SET search_path FROM CURRENT", SESSION,
                        new Setting("search_path", null)),
                pg("RESET ALL", "RESET ALL", SESSION, new ResetAll()),
                pg("SET TRANSACTION", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", 0),
                pg("set_config with a computed name", "SELECT set_config($1, 'x', false)", SESSION,
                        new Setting(null, List.of("x"))),
                pg("set_config qualified, in capitals", "SELECT PG_CATALOG.SET_CONFIG('Search_Path', 'a', true)", SESSION,
                        set("search_path", "a")),
                pg("set_config with a computed value", "SELECT set_config('role', current_user, false)", SESSION,
                        new Setting("role", null)),
                pg("set_config inside a string is text", "SELECT 'set_config(''role'', ''x'', false)'", 0),
                pg("a quoted name in capitals is another function", "SELECT \"SET_CONFIG\"('role', 'x', false)", 0),
                pg("query_to_xml runs its text in the session", "SELECT query_to_xml('select 1', true, true, '')", DDL),
                pg("a function's own SET is the function's", "CREATE FUNCTION f() RETURNS int LANGUAGE sql "
                        + "SET search_path = x AS 'SELECT 1'", DDL),
                pg("ALTER ROLE SET is for later sessions", "ALTER ROLE bob SET search_path = x", DDL),
                // prepared statements: names as the server stores them
                pg("PREPARE with types; a -- comment at the end of the text is left out", "PREPARE MyQ (int, "
                        + "numeric(10,2)) AS /* c */ SELECT $1, $2 -- trailing", 0, new Prepare("myq", "/* c */ SELECT $1, $2")),
                pg("a body's block comments are kept", "PREPARE p AS DELETE FROM t /* marker */", 0,
                        new Prepare("p", "DELETE FROM t /* marker */")),
                executes("a -- comment ending a body keeps its line break", "PREPARE q AS SELECT 1 -- note\r; EXECUTE q",
                        DDL, List.of("q"), nulls("SELECT 1 -- note\r"), new Prepare("q", "SELECT 1 -- note\r")),
                pg("quoted name kept verbatim", "PREPARE \"MyQ\" AS select 1;", 0, new Prepare("MyQ", "select 1")),
                pg("Unicode name: only ASCII letters fold", "PREPARE ÄbC AS SELECT 1", 0, new Prepare("Äbc", "SELECT 1")),
                pg("long name cut to 63 bytes", "PREPARE " + a70 + " AS SELECT 1", 0,
                        new Prepare("a".repeat(63), "SELECT 1")),
                pg("multibyte name cut on a character boundary", "PREPARE " + umlauts40 + " AS SELECT 1", 0,
                        new Prepare("ä".repeat(31), "SELECT 1")),
                pg("quoted name cut too", "PREPARE \"" + "B".repeat(70) + "\" AS SELECT 1", 0,
                        new Prepare("B".repeat(63), "SELECT 1")),
                pg("doubled quote in a quoted name", "PREPARE \"a\"\"b\" AS SELECT 1", 0, new Prepare("a\"b", "SELECT 1")),
                pg("dollar-quoted body keeps its ; and EXECUTE", "PREPARE d AS SELECT $q$; EXECUTE x$q$ AS t", 0,
                        new Prepare("d", "SELECT $q$; EXECUTE x$q$ AS t")),
                pg("E'' body with an escaped quote", "PREPARE e AS SELECT E'it\\'s; DEALLOCATE ALL'", 0,
                        new Prepare("e", "SELECT E'it\\'s; DEALLOCATE ALL'")),
                pg("AS inside the type list is no body", "PREPARE t (\"as\") AS SELECT 1", 0, new Prepare("t", "SELECT 1")),
                pg("DEALLOCATE ALL", "DEALLOCATE PREPARE ALL", 0, new Deallocate(null)),
                pg("DEALLOCATE a name", "deallocate prepare MyQ", 0, new Deallocate("myq")),
                pg("DISCARD ALL", "DISCARD ALL", DDL, new DiscardAll()),
                pg("DISCARD PLANS keeps prepared statements", "DISCARD PLANS", 0),
                pg("DISCARD TEMP drops tables", "DISCARD TEMP", SCHEMA),
                executes("statements in order", "SET search_path TO a; PREPARE q AS SELECT 1; EXECUTE q; DEALLOCATE q; "
                                + "EXECUTE q", DDL, List.of("q", "q"), nulls("SELECT 1", null),
                        set("search_path", "a"), new Prepare("q", "SELECT 1"), new Deallocate("q")),
                executes("EXECUTE before a PREPARE of its name runs the server's copy", "EXECUTE p; DEALLOCATE p; "
                                + "PREPARE p AS SELECT 1; EXECUTE p", DDL, List.of("p", "p"), nulls(null, "SELECT 1"),
                        new Deallocate("p"), new Prepare("p", "SELECT 1")),
                executes("EXECUTE names fold like PREPARE names", "PREPARE ÄbC AS SELECT 1; EXECUTE äbc; EXECUTE ÄBC",
                        DDL, List.of("äbc", "Äbc"), nulls(null, "SELECT 1"), new Prepare("Äbc", "SELECT 1")),
                executes("EXPLAIN ANALYZE EXECUTE", "EXPLAIN ANALYZE EXECUTE wipe(1)", DDL, List.of("wipe"), nulls((String) null)),
                executes("CREATE TABLE AS EXECUTE", "CREATE TEMP TABLE g AS EXECUTE wipe", DDL, List.of("wipe"),
                        nulls((String) null)),
                pg("GRANT EXECUTE is no EXECUTE", "GRANT EXECUTE ON FUNCTION f() TO bob", 0),
                pg("a trigger's EXECUTE FUNCTION is no EXECUTE", "CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW "
                        + "EXECUTE FUNCTION f()", DDL),
                // transactions
                pg("COMMIT", "COMMIT", TRANSACTION_END | TRANSACTION_CONTROL),
                pg("END", "END", TRANSACTION_END | TRANSACTION_CONTROL),
                pg("ABORT", "abort", TRANSACTION_END | TRANSACTION_CONTROL),
                pg("ROLLBACK AND CHAIN", "ROLLBACK AND CHAIN", TRANSACTION_END | TRANSACTION_CONTROL),
                pg("PREPARE TRANSACTION leaves the transaction", "PREPARE TRANSACTION 'x'", TRANSACTION_END | TRANSACTION_CONTROL),
                pg("ROLLBACK TO SAVEPOINT undoes part of it", "ROLLBACK TO SAVEPOINT a", SAVEPOINT_ROLLBACK | TRANSACTION_CONTROL),
                pg("BEGIN, SAVEPOINT and RELEASE change nothing yet", "BEGIN; SAVEPOINT a; RELEASE a", TRANSACTION_CONTROL),
                pg("START TRANSACTION", "START TRANSACTION ISOLATION LEVEL SERIALIZABLE", TRANSACTION_CONTROL),
                pg("COMMIT PREPARED shows another transaction's changes", "COMMIT PREPARED 'x'", DDL | TRANSACTION_CONTROL),
                // schema changes and code
                pg("CREATE TABLE", "CREATE TABLE t (id int)", DDL),
                pg("DROP VIEW", "DROP VIEW v", DDL),
                pg("ALTER TABLE RENAME", "ALTER TABLE t RENAME TO u", DDL),
                pg("COMMENT ON", "COMMENT ON TABLE t IS 'x'", DDL),
                pg("CREATE SCHEMA", "CREATE SCHEMA billing", DDL),
                pg("SELECT INTO creates a table", "SELECT * INTO t2 FROM t", DDL),
                pg("INSERT INTO is no SELECT INTO", "INSERT INTO t SELECT * FROM u", 0),
                pg("an upsert's DO is no DO block", "INSERT INTO t VALUES (1) ON CONFLICT (id) DO UPDATE SET a = 1", 0),
                pg("UPDATE ... SET is no SET", "UPDATE t SET a = 1 WHERE id = 2", 0),
                pg("CASE ... END is no END", "SELECT CASE WHEN true THEN 1 END", 0),
                pg("DO block may do anything", "DO $$ BEGIN PERFORM set_config('role', 'x', false); END $$", DDL),
                pg("CALL may do anything", "CALL p()", DDL),
                // what the reader must not be fooled by
                pg("nested block comments hide statements", "SELECT 1 /* a /* b */ ; SET ROLE x */", 0),
                pg("strings and comments hide statements", "SELECT 'x; EXECUTE q' /* ; SET ROLE admin */ -- ; DISCARD "
                        + "ALL\n, $$; RESET ALL$$", 0),
                executes("a DO body's EXECUTE is PL/pgSQL's", "DO $body$ BEGIN EXECUTE 'x'; END $body$; EXECUTE z", DDL,
                        List.of("z"), nulls((String) null)),
                pg("SHOW changes nothing", "SHOW client_encoding", 0),
                pg("a column named names is no setting", "SELECT names FROM t", 0),
                pg("SET LOCAL client_encoding", "SET LOCAL client_encoding = 'LATIN2'", SESSION,
                        set("client_encoding", "LATIN2")),
                pg("dollar quotes hide statements", "SELECT $x$; SET ROLE y$x$", 0),
                pg("a parameter is no dollar quote", "SELECT $1; SET ROLE x", SESSION, set("role", "x")),
                pg("E'' honours the backslash", "SELECT E'a\\'; SET ROLE x'", 0),
                pg("a standard string ends at the quote (the other reading is refused)", "SELECT 'a\\'; SET ROLE x",
                        SESSION, set("role", "x")),
                new Case("readings of a backslash that differ: unreadable", Dialect.POSTGRES,
                        "SELECT 'a\\'; SET ROLE r; SELECT 1 -- '\n", SqlScan.UNREADABLE_TEXT),
                new Case("a session change the parser refuses: unreadable", Dialect.POSTGRES, "SET search_path TO",
                        SqlScan.UNREADABLE_TEXT),
                pg("an ordinary text the parser refuses: nothing runs", "SELEC 1", 0),
                new Case("an unterminated string: unreadable", Dialect.POSTGRES, "SELECT 'abc", SqlScan.UNREADABLE_TEXT),
                // MySQL
                my("USE db", "USE billing", SESSION),
                my("SET on MySQL", "SET NAMES utf8mb4", SESSION),
                my("an executable comment runs its USE", "/*!50000 USE billing */", SESSION),
                my("a plain comment hides its USE", "SELECT 1 /* ; USE x */", 0),
                my("a hash comment hides its USE", "SELECT 1 # ; USE x", 0),
                my("SELECT INTO a variable is no DDL", "SELECT a INTO @x FROM t", 0),
                my("ALTER TABLE on MySQL", "ALTER TABLE t ADD c int", DDL),
                my("CALL on MySQL", "CALL p()", DDL),
                my("COMMIT on MySQL", "COMMIT", TRANSACTION_END),
                my("ROLLBACK on MySQL", "rollback", TRANSACTION_END),
                my("ROLLBACK WORK TO SAVEPOINT", "ROLLBACK WORK TO SAVEPOINT a", SAVEPOINT_ROLLBACK),
                my("XA COMMIT", "XA COMMIT 'x'", TRANSACTION_END),
                my("a procedure body is one statement", "CREATE PROCEDURE p() BEGIN SELECT 1; COMMIT; END", DDL),
                my("a backtick name hides its ;", "SELECT `a;USE x` FROM t", 0),
                my("a backslash escape keeps the string open", "SELECT 'a\\'; USE x'", 0),
                my("the NO_BACKSLASH_ESCAPES reading counts too", "SELECT 'a\\'; USE x; -- '", SESSION),
                new Case("MySQL text no reading can lex: unreadable", Dialect.MYSQL, "SELECT 'abc", SqlScan.UNREADABLE_TEXT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scans(Case c) {
        assertEquals(c.expected, SqlScan.of(c.sql, c.dialect), c.sql);
    }

    /**
     * Plain texts that differ only in their literals share one answer when they change nothing (a client that
     * inlines values sends a new text each time), and never when a token changes the session.
     */
    @Test
    void plainTextsOfOneShapeShareOnlyAnAnswerThatChangesNothing() {
        for (String sql : List.of("SELECT abalance FROM pgbench_accounts WHERE aid = 1",
                "SELECT abalance FROM pgbench_accounts WHERE aid = 2", "SELECT 'a' FROM t WHERE x = 'b'",
                "SELECT 'c' FROM t WHERE x = 'd'")) {
            assertEquals(ScanCache.read(sql, Dialect.POSTGRES), SqlScan.of(sql), sql);
            assertEquals(0, SqlScan.of(sql).flags(), sql);
        }
        // The native reader stops at a NUL: such a text is not of the plain shape it looks like.
        String nul = "SELECT 'c\u0000' FROM t WHERE x = 'd'";
        assertEquals(ScanCache.read(nul, Dialect.POSTGRES), SqlScan.of(nul));
        for (String sql : List.of("SELECT set_config('search_path', 'a', false)",
                "SELECT set_config('search_path', 'b', false)", "SET search_path = 'x'", "SET search_path = 'y'",
                "PREPARE p AS SELECT 1", "PREPARE p AS SELECT 2")) {
            assertEquals(ScanCache.read(sql, Dialect.POSTGRES), SqlScan.of(sql), sql);
            assertTrue(SqlScan.of(sql).touchesSession() || !SqlScan.of(sql).effects().isEmpty(), sql);
        }
    }

    @Test
    void repeatedTextIsAnsweredFromTheCache() {
        String sql = "SET search_path TO cached_" + System.nanoTime();
        SqlScan first = SqlScan.of(sql);
        assertSame(first, SqlScan.of(new String(sql.toCharArray())));
        assertEquals(ScanCache.read(sql, Dialect.POSTGRES), first);
    }

    @Test
    void textsWithoutEffectsShareOneAnswer() {
        assertSame(SqlScan.NONE, SqlScan.of("SELECT " + System.nanoTime()));
        assertSame(SqlScan.of("COMMIT"), SqlScan.of("END"));
    }
}
