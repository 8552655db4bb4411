package dev.gatehouse.jdbc.session;

import dev.gatehouse.sql.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static dev.gatehouse.jdbc.session.StatementEffects.NONE;
import static dev.gatehouse.jdbc.session.StatementEffects.SCHEMA;
import static dev.gatehouse.jdbc.session.StatementEffects.SESSION;
import static dev.gatehouse.jdbc.session.StatementEffects.TRANSACTION_END;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a statement may change besides data, read by the char-level scan; named cases for both dialects. */
class StatementEffectsTest {

    record Case(String name, Dialect dialect, String sql, int expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        Dialect pg = Dialect.POSTGRES;
        Dialect my = Dialect.MYSQL;
        return List.of(
                new Case("plain select changes nothing", pg, "SELECT * FROM t WHERE a = 'x'", NONE),
                new Case("insert changes nothing", my, "INSERT INTO t VALUES (1)", NONE),
                new Case("SET search_path", pg, "SET search_path TO app, public", SESSION),
                new Case("lower-case set after a comment", pg, "/* hi */ set role admin", SESSION),
                new Case("RESET", pg, "RESET ALL", SESSION),
                new Case("USE on MySQL", my, "USE shop", SESSION),
                new Case("set_config in a SELECT", pg, "SELECT set_config('search_path', 'x', false)", SESSION),
                new Case("CREATE TABLE", pg, "CREATE TABLE t (id int)", SCHEMA | SESSION),
                new Case("ALTER TABLE", my, "ALTER TABLE t ADD c int", SCHEMA | SESSION),
                new Case("DROP VIEW", pg, "DROP VIEW v", SCHEMA | SESSION),
                new Case("COMMENT ON", pg, "COMMENT ON TABLE t IS 'x'", SCHEMA),
                new Case("SELECT INTO creates a table on PostgreSQL", pg, "SELECT * INTO t2 FROM t", SCHEMA),
                new Case("SELECT INTO a variable on MySQL is no DDL", my, "SELECT a INTO @x FROM t", NONE),
                new Case("DO block may do anything", pg, "DO $$ BEGIN EXECUTE 'x'; END $$", SESSION | SCHEMA),
                new Case("CALL may do anything", my, "CALL p()", SESSION | SCHEMA),
                new Case("COMMIT ends a transaction", pg, "COMMIT", TRANSACTION_END),
                new Case("ROLLBACK ends a transaction", my, "rollback", TRANSACTION_END),
                new Case("second statement counts", pg, "SELECT 1; SET search_path TO x", SESSION),
                new Case("keyword inside a string is not a statement", pg, "SELECT 'x; DROP TABLE t'", NONE),
                new Case("keyword inside a line comment", pg, "SELECT 1 -- ; DROP TABLE t", NONE),
                new Case("keyword inside a nested block comment", pg, "SELECT 1 /* a /* b */ ; DROP t */", NONE),
                new Case("keyword inside dollar quotes", pg, "SELECT $x$; DROP TABLE t$x$", NONE),
                new Case("keyword inside a MySQL hash comment", my, "SELECT 1 # ; DROP TABLE t", NONE),
                new Case("MySQL backslash escape keeps the string open", my, "SELECT 'a\\'; DROP TABLE t'", NONE),
                new Case("PostgreSQL standard string ends at the quote", pg, "SELECT 'a\\'; DROP TABLE t", SCHEMA | SESSION),
                new Case("PostgreSQL E-string honours backslash", pg, "SELECT E'a\\'; DROP TABLE t'", NONE),
                new Case("set_config in quotes is text", pg, "SELECT 'set_config'", NONE),
                new Case("positional parameter is not dollar quoting", pg, "SELECT $1; SET role x", SESSION),
                new Case("backtick identifier on MySQL", my, "SELECT `a;DROP` FROM t", NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void effects(Case c) {
        assertEquals(c.expected, StatementEffects.of(c.sql, c.dialect), c.sql);
    }
}
