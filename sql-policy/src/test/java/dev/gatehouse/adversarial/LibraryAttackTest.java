package dev.gatehouse.adversarial;

import dev.gatehouse.adversarial.AttackCase.Channel;
import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Analyzer;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.catalog.Catalog;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The adversarial table through the library: {@link Gate#decide} with the table's policy, once cold and once
 * from the cache (a cached answer must be the same answer). The session statements are decided too (they
 * must not themselves be refused), but the library keeps no session, so each case's text has to be decided
 * safely whatever the session before it did.
 */
class LibraryAttackTest {
    static final Principal AGENT = Principal.of("agent-7");
    static final String TABLE = "adv_t";

    @TestFactory
    Stream<DynamicTest> postgres() {
        return cases(Dialect.POSTGRES);
    }

    @TestFactory
    Stream<DynamicTest> mysql() {
        return cases(Dialect.MYSQL);
    }

    private static Stream<DynamicTest> cases(Dialect dialect) {
        Policy policy = AttackCase.policy();
        Gate gate = new Gate(new Analyzer(dialect, Catalog.EMPTY), policy);
        String schema = dialect == Dialect.POSTGRES ? "public" : "test";
        List<AttackCase> cases = AttackCase.forChannel(Channel.LIBRARY, dialect);
        assertFalse(cases.isEmpty());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            for (String s : c.session(TABLE)) {
                assertEquals(dev.gatehouse.policy.Action.ALLOW, gate.decide(s, schema, AGENT).verdict().action(),
                        "session statement " + s);
            }
            String sql = c.sql(TABLE);
            for (int round = 0; round < 2; round++) {
                Decision d = gate.decide(sql, schema, AGENT);
                assertEquals(c.expect(), d.verdict().action(), () -> c.name() + ": " + explain(d));
                assertEquals(c.rules(), AttackCase.firedRules(d), () -> c.name() + ": " + explain(d));
            }
        }));
    }

    /** Tables read by SQL text a function runs are in no lineage, so column and table rules must see it as incomplete. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a plain read is complete                 | SELECT id FROM adv_t WHERE id = 1                                         | true
            query_to_xml text                        | SELECT query_to_xml('SELECT secret FROM adv_t', true, true, '')           | false
            ts_stat text                             | SELECT * FROM ts_stat('SELECT secret FROM adv_t')                         | false
            dblink text                              | SELECT * FROM dblink('dbname=test', 'SELECT secret FROM adv_t') AS x(s text) | false
            table_to_xml names its table in text     | SELECT table_to_xml('adv_t', true, false, '')                             | false
            schema_to_xml names a schema in text     | SELECT schema_to_xml('public', true, false, '')                           | false
            crosstab category query                  | SELECT * FROM crosstab('SELECT 1, 1, 1', 'SELECT secret FROM adv_t') AS x(a int, b int) | false
            """)
    void sqlRunByAFunctionLeavesLineageIncomplete(String name, String sql, boolean complete) {
        StatementInfo info = new Analyzer(Dialect.POSTGRES, Catalog.EMPTY).analyze(sql, "public").getFirst();
        assertEquals(complete, info.lineageComplete(), info.notes().toString());
    }

    /**
     * Cache poisoning: a harmless text is decided first, then one that differs only where the literal-free
     * fingerprint cannot see (literals, comments). The second must get its own decision, never the cached one.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            constant-false then constant-true where | POSTGRES | DELETE FROM adv_t WHERE 1 = 0            | DELETE FROM adv_t WHERE 1 = 1            | DENY
            false string then true string where     | POSTGRES | DELETE FROM adv_t WHERE 'a' = 'b'        | DELETE FROM adv_t WHERE 'a' = 'a'        | DENY
            mysql constant-true where               | MYSQL    | UPDATE adv_t SET id = 1 WHERE 0          | UPDATE adv_t SET id = 1 WHERE 1          | DENY
            explain analyze 0 then 1                | POSTGRES | EXPLAIN (ANALYZE 0) DROP TABLE adv_t     | EXPLAIN (ANALYZE 1) DELETE FROM adv_t WHERE id = 1 | REVIEW
            set_config of a path then of the role   | POSTGRES | ~SELECT set_config('search_path', 'public', false)~ | ~SELECT set_config('role', 'postgres', false)~ | DENY
            query_to_xml of a read then of a file   | POSTGRES | ~SELECT query_to_xml('SELECT 1', true, true, '')~ | ~SELECT query_to_xml('SELECT pg_read_file(''/etc/passwd'')', true, true, '')~ | DENY
            mysql comment then executable comment   | MYSQL    | ~SELECT 1 /* , LOAD_FILE('/etc/passwd') */~ | ~SELECT 1 /*! , LOAD_FILE('/etc/passwd') */~ | DENY
            mysql prepare of a read then a drop     | MYSQL    | ~PREPARE s FROM 'SELECT 1'~              | ~PREPARE s FROM 'DROP TABLE adv_t'~      | DENY
            mysql execute immediate read then drop  | MYSQL    | ~EXECUTE IMMEDIATE 'SELECT 1'~           | ~EXECUTE IMMEDIATE 'DROP TABLE adv_t'~   | DENY
            copy to stdout then to a program        | POSTGRES | ~COPY adv_t FROM STDIN~                  | ~COPY adv_t FROM PROGRAM 'id'~           | DENY
            """)
    void cachedShapesNeverCarryADecisionAcrossLiterals(String name, Dialect dialect, String warm, String attack,
                                                        dev.gatehouse.policy.Action expected) throws Exception {
        Policy policy = Policy.parse("cache.yaml", """
                version: 1
                defaults: { unparsed: deny, otherwise: allow }
                approvers: { dba: [alice] }
                rules:
                  - { id: unbounded, match: { kinds: [WRITE], unbounded: true }, action: deny }
                  - { id: risky, match: { kinds: [DDL, PRIVILEGE, EXPORT, PROCEDURAL] }, action: deny }
                  - { id: writes, match: { kinds: [WRITE] }, action: review }
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Gate gate = new Gate(new Analyzer(dialect, Catalog.EMPTY), policy);
        String schema = dialect == Dialect.POSTGRES ? "public" : "test";
        Decision first = gate.decide(warm, schema, AGENT);
        assertNotEquals(expected, first.verdict().action(), () -> "the warm-up must decide differently: " + explain(first));
        Decision d = gate.decide(attack, schema, AGENT);
        assertEquals(expected, d.verdict().action(), () -> explain(d));
    }

    /**
     * MySQL text whose columns JSqlParser used to read differently from the server (issue 11), decided with a
     * column rule and a table rule against a catalog that knows the table: each reading was checked on MariaDB.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            control: id only                           | SELECT id FROM adv_t                                        | ALLOW
            --1 is no comment                          | SELECT id --1, ssn FROM adv_t                               | DENY
            a block comment between columns            | SELECT id /* x */, ssn FROM adv_t                           | DENY
            a hash comment hides the column            | ~SELECT id #, ssn
 FROM adv_t~                              | ALLOW
            a string ending in an escaped backslash    | ~SELECT 'a\\' , ssn FROM adv_t~                             | DENY
            an executable comment                      | SELECT id /*!50000 , ssn */ FROM adv_t                      | DENY
            a MariaDB executable comment               | SELECT id /*M!100000 , ssn */ FROM adv_t                    | DENY
            a column in double quotes (ANSI_QUOTES)    | SELECT "ssn" FROM adv_t                                     | DENY
            SELECT INTO a variable                     | SELECT ssn INTO @x FROM adv_t LIMIT 1                       | DENY
            SET a variable to a subquery               | SET @x = (SELECT ssn FROM adv_t LIMIT 1)                    | DENY
            SHOW TABLES WHERE a subquery               | ~SHOW TABLES WHERE (SELECT ssn FROM adv_t LIMIT 1) = 'x'~     | DENY
            a derived table renames the column         | SELECT name FROM (SELECT ssn FROM adv_t) AS u(name)         | DENY
            NATURAL JOIN compares every shared column  | SELECT a.id FROM adv_t a NATURAL JOIN adv_t b               | DENY
            column statistics hold column values       | SELECT min_value FROM mysql.column_stats                    | REVIEW
            DROP DATABASE reaches its tables           | DROP DATABASE billing                                       | DENY
            ALTER DATABASE reaches its tables          | ALTER SCHEMA `Billing` CHARACTER SET utf8mb4                | DENY
            """)
    void mysqlColumnsHiddenFromTheParserAreSeen(String name, String sql, dev.gatehouse.policy.Action expected) throws Exception {
        Policy policy = Policy.parse("columns.yaml", """
                version: 1
                defaults: { unparsed: review, otherwise: allow }
                approvers: { dba: [alice] }
                rules:
                  - { id: ssn, match: { columns: ["adv_t.ssn"] }, action: deny }
                  - { id: billing, match: { tables: ["billing.*"] }, action: deny }
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Catalog catalog = dev.gatehouse.sql.catalog.SchemaCatalog.fromStatements(
                java.util.List.of("CREATE DATABASE test", "USE test", "CREATE TABLE adv_t (id int, ssn varchar(11))"),
                Dialect.MYSQL, null);
        Gate gate = new Gate(new Analyzer(Dialect.MYSQL, catalog), policy);
        Decision d = gate.decide(sql.replace("\\n", "\n"), "test", AGENT);
        assertEquals(expected, d.verdict().action(), () -> explain(d));
    }

    static String explain(Decision d) {
        StringBuilder b = new StringBuilder(d.verdict().toString());
        d.statements().forEach(s -> b.append("\n  ").append(s.statement().kinds()).append(' ')
                .append(s.statement().functions()).append(' ').append(s.statement().notes()));
        return b.toString();
    }
}
