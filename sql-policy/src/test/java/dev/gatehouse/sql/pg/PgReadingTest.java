package dev.gatehouse.sql.pg;

import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.RuleHit;
import dev.gatehouse.policy.Verdict;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Analyzer;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.catalog.SchemaCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Issue 11 as users and attackers meet it: what PostgreSQL text is decided when it is read by PostgreSQL's own
 * parser. Each case names the statement, the decision and the enforcing rules that fire, under a policy with one
 * column rule, a table rule, an unbounded-write rule and a privilege rule.
 */
class PgReadingTest {
    private static final String POLICY = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            rules:
              - { id: pii, match: { columns: ["*.users.ssn"] }, action: review }
              - { id: billing, match: { tables: ["billing.*"] }, action: deny }
              - { id: bulk, match: { kinds: [WRITE], unbounded: true }, action: review }
              - { id: privilege, match: { kinds: [PRIVILEGE] }, action: deny }
            """;
    private static final List<String> SCHEMA = List.of(
            "CREATE SCHEMA billing",
            "CREATE TABLE billing.invoices (id bigint PRIMARY KEY, customer_id bigint, amount numeric(12, 2))",
            "CREATE TABLE public.users (id bigint PRIMARY KEY, email text, name text, ssn text)",
            "CREATE TABLE public.people (id bigint, ssn text, nick text)",
            "CREATE TABLE public.orders (id bigint PRIMARY KEY, user_id bigint, status text, note text)",
            // a user table named like a catalog: the server still finds pg_catalog's first, so must Gatehouse
            "CREATE TABLE public.pg_authid (rolname text, rolsuper boolean)");

    private static final PolicyEngine ENGINE = engine();
    private static final Analyzer WITH_SCHEMA = new Analyzer(Dialect.POSTGRES,
            SchemaCatalog.fromStatements(SCHEMA, Dialect.POSTGRES, "public"));
    private static final Analyzer NO_SCHEMA = new Analyzer(Dialect.POSTGRES, Catalog.EMPTY);

    private static PolicyEngine engine() {
        try {
            return new PolicyEngine(Policy.parse("pg-reading.yaml", POLICY.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Arguments c(String name, String sql, String expect, String... rules) {
        return arguments(name, sql, expect, List.of(rules));
    }

    /** Everyday statements: never held for being unreadable, with or without a schema file. */
    static Stream<Arguments> everyday() {
        return Stream.of(
                c("begin", "BEGIN", "allow"),
                c("begin isolation level", "BEGIN ISOLATION LEVEL REPEATABLE READ", "allow"),
                c("start transaction", "START TRANSACTION", "allow"),
                c("end", "END", "allow"),
                c("commit and chain", "COMMIT AND CHAIN", "allow"),
                c("set transaction", "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "allow"),
                c("set search_path with TO", "SET search_path TO public", "allow"),
                c("set search_path with =", "SET search_path = public", "allow"),
                c("savepoint and release", "SAVEPOINT a; RELEASE a", "allow"),
                c("release savepoint", "RELEASE SAVEPOINT a", "allow"),
                c("rollback to savepoint", "ROLLBACK TO SAVEPOINT a", "allow"),
                c("listen", "LISTEN jobs", "allow"),
                c("notify", "NOTIFY jobs, 'x'", "allow"),
                c("unlisten", "UNLISTEN *", "allow"),
                c("declare fetch close", "DECLARE c CURSOR FOR SELECT id FROM orders; FETCH 10 FROM c; CLOSE c", "allow"),
                c("fetch alone", "FETCH FORWARD 5 FROM c", "allow"),
                c("move", "MOVE NEXT IN c", "allow"),
                c("explain", "EXPLAIN SELECT id FROM orders WHERE id = 1", "allow"),
                c("explain with options", "EXPLAIN (COSTS OFF, FORMAT JSON) SELECT id FROM orders", "allow"),
                c("prepare and execute", "PREPARE q (int) AS SELECT status FROM orders WHERE id = $1; EXECUTE q(1)", "allow"),
                c("deallocate", "DEALLOCATE q", "allow"),
                c("deallocate all", "DEALLOCATE ALL", "allow"),
                c("vacuum", "VACUUM orders", "allow"),
                c("analyze", "ANALYZE orders", "allow"),
                c("discard all", "DISCARD ALL", "allow"),
                c("set role none", "SET ROLE NONE", "allow"),
                c("flyway's set role 'none'", "SET ROLE 'none'", "allow"),
                c("reset all", "RESET ALL", "allow"),
                c("show", "SHOW search_path", "allow"),
                c("set application_name", "SET application_name = 'psql'", "allow"),
                c("escape string with escaped quote", "SELECT E'it\\'s'", "allow"),
                c("psql \\d users: regex operator with OPERATOR()",
                        "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n "
                                + "ON n.oid = c.relnamespace WHERE c.relname OPERATOR(pg_catalog.~) '^(users)$' COLLATE pg_catalog.default "
                                + "AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3", "allow"),
                c("pgjdbc's parameter status query", "SELECT current_setting('server_version_num')", "allow"),
                c("set constraints", "SET CONSTRAINTS ALL DEFERRED", "allow"),
                c("lock", "LOCK TABLE orders IN SHARE MODE", "allow"),
                c("checkpoint", "CHECKPOINT", "allow"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyday")
    void everydayStatementsWithSchema(String name, String sql, String expect, List<String> rules) {
        check(WITH_SCHEMA, name, sql, expect, rules);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyday")
    void everydayStatementsWithoutSchema(String name, String sql, String expect, List<String> rules) {
        check(NO_SCHEMA, name, sql, expect, rules);
    }

    /** Texts that hid protected columns, turned denials into reviews or missed rules when two readers disagreed. */
    static Stream<Arguments> adversary() {
        return Stream.of(
                c("nested block comment hides nothing from PostgreSQL",
                        "SELECT id, /* /* */ name FROM users -- */ ssn FROM users", "review", "pii"),
                c("a backslash reads two ways: what either shows counts",
                        "SELECT 'a\\', ssn FROM users --'", "review", "pii"),
                c("alias column list renames by position", "SELECT name FROM users AS u(a, b, c, name)", "review", "pii"),
                c("CTE column list renames by position",
                        "WITH u(a, b) AS (SELECT ssn, id FROM users) SELECT a FROM u", "review", "pii"),
                c("natural join compares every common column", "SELECT u.id FROM users u NATURAL JOIN people p", "review", "pii"),
                c("join using compares both sides", "SELECT u.id FROM users u JOIN people p USING (ssn)", "review", "pii"),
                c("whole-row reference", "SELECT u FROM users u", "review", "pii"),
                c("row_to_json of a whole row", "SELECT row_to_json(u) FROM users u", "review", "pii"),
                c("column only in WHERE", "SELECT id FROM users WHERE ssn LIKE '1%'", "review", "pii"),
                c("column only in ORDER BY of a subquery", "SELECT id FROM (SELECT id, ssn FROM users ORDER BY 2) s", "review", "pii"),
                c("explain reads what its statement reads", "EXPLAIN SELECT ssn FROM users", "review", "pii"),
                c("declare reads what its query reads", "DECLARE c CURSOR FOR SELECT ssn FROM users", "review", "pii"),
                c("prepare reads what its statement reads", "PREPARE p AS SELECT ssn FROM users", "review", "pii"),
                c("statistics catalog hands out column values",
                        "SELECT most_common_vals FROM pg_stats WHERE tablename = 'users' AND attname = 'ssn'", "review"),
                c("pg_statistic too", "SELECT stavalues1 FROM pg_catalog.pg_statistic", "review"),
                c("drop of two tables is denied, not reviewed", "DROP TABLE orders, billing.invoices", "deny", "billing"),
                c("truncate restart identity is denied", "TRUNCATE billing.invoices RESTART IDENTITY", "deny", "billing"),
                c("drop schema cascade reaches its tables", "DROP SCHEMA billing CASCADE", "deny", "billing"),
                c("alter schema rename reaches its tables", "ALTER SCHEMA billing RENAME TO paid", "deny", "billing"),
                c("write to pg_authid is a privilege change",
                        "UPDATE pg_authid SET rolsuper = true WHERE rolname = 'app'", "deny", "privilege"),
                c("insert into pg_db_role_setting is a privilege change",
                        "INSERT INTO pg_catalog.pg_db_role_setting VALUES (0, 0, '{role=postgres}')", "deny", "privilege"),
                c("where (select true) is every row", "DELETE FROM orders WHERE (SELECT true)", "review", "bulk"),
                c("where exists (select 1) is every row", "DELETE FROM orders WHERE EXISTS (SELECT 1)", "review", "bulk"),
                c("where true or a predicate is every row", "UPDATE orders SET note = '' WHERE status = 'x' OR 1 = 1", "review", "bulk"),
                c("merge on true is every row",
                        "MERGE INTO orders o USING users u ON true WHEN MATCHED THEN UPDATE SET note = 'x'", "review", "bulk"),
                c("bounded delete is not bulk", "DELETE FROM orders WHERE id = 7", "allow"),
                c("set role to another role is a privilege change", "SET ROLE postgres", "deny", "privilege"),
                c("reset role goes to the configured default role", "RESET ROLE", "deny", "privilege"),
                c("set_config of role through a cast", "SELECT set_config('role'::text, 'postgres', false)", "deny", "privilege"),
                c("query_to_xml text is read", "SELECT query_to_xml('SELECT ssn FROM users', true, true, '')", "review"),
                c("set_config moves the search path for later statements",
                        "SELECT set_config('search_path', 'billing, public', false); DROP TABLE invoices", "deny", "billing"),
                c("set_config to a computed search path leaves later names unresolved",
                        "SELECT set_config('search_path', current_setting('x'), false); SELECT ssn2 FROM invoices", "review"),
                c("set_config to a parameter alone is a setting (Flyway's current schema)",
                        "SELECT set_config('search_path', $1, false)", "allow"),
                c("unicode escape names the column", "SELECT U&\"\\0073sn\" FROM users", "review", "pii"),
                c("text the server rejects is unreadable", "SELECT 1 FROM", "review"),
                c("a DO block's statements reach their tables", "DO $$ BEGIN DELETE FROM billing.invoices; END $$", "deny", "billing"),
                c("a DO block's reads reach column rules",
                        "DO $$ DECLARE x text; BEGIN SELECT ssn INTO x FROM users WHERE id = 1; END $$", "review", "pii"),
                c("a nested DO block too",
                        "DO $a$ BEGIN EXECUTE 'SELECT 1'; DO $b$ BEGIN TRUNCATE billing.invoices; END $b$; END $a$", "deny", "billing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adversary")
    void adversaryTexts(String name, String sql, String expect, List<String> rules) {
        check(WITH_SCHEMA, name, sql, expect, rules);
    }

    /** No schema file (serve's default): a star names every column of its table, which only that table's rules can match. */
    static Stream<Arguments> withoutSchema() {
        return Stream.of(
                c("star over another table is not a possible ssn read", "SELECT * FROM orders", "allow"),
                c("star over users may read ssn", "SELECT * FROM users", "review", "pii"),
                c("TABLE users may read ssn", "TABLE users", "review", "pii"),
                c("whole row of users may read ssn", "SELECT row_to_json(u) FROM users u", "review", "pii"),
                c("catalog join with unqualified columns", "SELECT typname, nspname FROM pg_type t JOIN pg_namespace n "
                        + "ON typnamespace = n.oid WHERE typname = 'int4'", "allow"),
                c("delete from another table", "DELETE FROM orders WHERE id = 1", "allow"),
                c("insert without a column list into another table", "INSERT INTO orders VALUES (1, 2, 'x', 'y')", "allow"),
                c("copy users out may read ssn", "COPY users TO STDOUT", "review", "pii"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withoutSchema")
    void withoutSchema(String name, String sql, String expect, List<String> rules) {
        check(NO_SCHEMA, name, sql, expect, rules);
    }

    /** SET ROLE to the user the session logged in as changes nothing; the gate never shares it across users. */
    @Test
    void setRoleToTheSessionUserIsSessionForThatUserOnly() throws Exception {
        assertEquals(Set.of(Kind.SESSION), WITH_SCHEMA.analyze("SET ROLE app", "public", "app").get(0).kinds());
        assertEquals(Set.of(Kind.SESSION), WITH_SCHEMA.analyze("SET ROLE \"app\"", "public", "app").get(0).kinds());
        assertEquals(Set.of(Kind.PRIVILEGE), WITH_SCHEMA.analyze("SET ROLE app", "public", "bob").get(0).kinds());
        assertEquals(Set.of(Kind.PRIVILEGE), WITH_SCHEMA.analyze("SET ROLE app", "public", null).get(0).kinds());
        assertEquals(Set.of(Kind.PRIVILEGE), WITH_SCHEMA.analyze("SET ROLE \"App\"", "public", "app").get(0).kinds(),
                "a quoted name keeps its case: another role");
        Gate gate = new Gate(WITH_SCHEMA, Policy.parse("p.yaml", POLICY.getBytes(StandardCharsets.UTF_8)));
        Principal agent = Principal.of("agent");
        assertEquals(Action.ALLOW, gate.decide("SET ROLE app", "public", "app", agent).verdict().action());
        assertEquals(Action.DENY, gate.decide("SET ROLE app", "public", "bob", agent).verdict().action(),
                "another session user's cached answer is not reused");
        assertEquals(Action.DENY, gate.decide("SET ROLE app", "public", agent).verdict().action());
    }

    /** A DO block's body is read, so a harmless block's cached answer never stands for another body. */
    @Test
    void doBlocksNeverShareACachedAnswerByShape() throws Exception {
        String allowProcedural = POLICY + "  - { id: blocks, match: { kinds: [PROCEDURAL] }, action: allow }\n";
        Gate gate = new Gate(WITH_SCHEMA, Policy.parse("p.yaml", allowProcedural.getBytes(StandardCharsets.UTF_8)));
        Principal agent = Principal.of("agent");
        assertEquals(Action.ALLOW, gate.decide("DO $$ BEGIN PERFORM 1; END $$", "public", agent).verdict().action());
        assertEquals(Action.DENY, gate.decide("DO $$ BEGIN DELETE FROM billing.invoices; END $$", "public", agent)
                .verdict().action());
        assertEquals(Action.DENY, gate.decide("DO 'BEGIN DELETE FROM billing.invoices; END'", "public", agent)
                .verdict().action());
    }

    @Test
    void aLargeInsertGetsTheSameAnswerEveryTime() {
        StringBuilder b = new StringBuilder("INSERT INTO orders (id, status) VALUES ");
        for (int i = 0; i < 10_000; i++) {
            b.append(i == 0 ? "" : ", ").append('(').append(i).append(", 'new')");
        }
        String sql = b.toString();
        assertTrue(sql.length() > 100_000);
        for (int i = 0; i < 5; i++) {
            check(WITH_SCHEMA, "100 kB insert, run " + i, sql, "allow", List.of());
        }
    }

    /** Deep expressions the server may accept are unread here, never a crash, the same answer every time. */
    @Test
    void deepExpressionsAreUnreadWithAReason() {
        for (String sql : List.of("SELECT " + "1+".repeat(60_000) + "1", "SELECT " + "NOT ".repeat(9_000) + "true")) {
            for (int i = 0; i < 2; i++) {
                List<StatementInfo> infos = NO_SCHEMA.analyze(sql, "public");
                assertEquals(1, infos.size());
                assertTrue(infos.get(0).isUnknown(), infos.get(0).notes().toString());
            }
        }
    }

    /**
     * Large INSERTs: rows of constants after the first are not parsed (PgRows), anything else in any row still is,
     * and the statements reported are the text as sent.
     */
    @Test
    void largeValuesListsKeepEveryRowThatCanMatter() {
        StringBuilder rows = new StringBuilder("INSERT INTO orders (id, status, note) VALUES (0, 'new', NULL)");
        for (int i = 1; i < 20_000; i++) {
            rows.append(", (").append(i).append(", 'new', ").append(i % 2 == 0 ? "NULL" : "'-x'").append(')');
            if (i == 10_000) {
                rows.append(" /* a comment between rows */");
            }
        }
        String plain = rows.toString();
        assertTrue(plain.length() > PgRows.MIN_CHARS);
        List<StatementInfo> infos = WITH_SCHEMA.analyze(plain, "public");
        assertEquals(1, infos.size());
        assertEquals(plain, infos.get(0).sql(), "the statement as sent");
        check(WITH_SCHEMA, "20,000 rows of constants", plain, "allow", List.of());

        String middle = plain.replace("(9999, 'new', '-x')", "(9999, (SELECT ssn FROM users LIMIT 1), 'x')");
        check(WITH_SCHEMA, "a subquery in a middle row", middle, "review", List.of("pii"));
        String call = plain.replace("(15001, 'new', '-x')", "(15001, pg_read_file('/etc/passwd'), 'x')");
        assertTrue(WITH_SCHEMA.analyze(call, "public").get(0).kinds().contains(Kind.EXPORT));

        // rows that repeat the first row's calls: only constants standing directly in the row may differ
        StringBuilder calls = new StringBuilder("SELECT * FROM (VALUES (0, now(), set_config('work_mem', '1MB', false))");
        for (int i = 1; i < 5_000; i++) {
            calls.append(", (").append(i).append(", now(), set_config('work_mem', '1MB', false))");
        }
        String sameCalls = calls.append(") AS v (a, b, c)").toString();
        assertEquals(Set.of(Kind.READ, Kind.SESSION), WITH_SCHEMA.analyze(sameCalls, "public").get(0).kinds());
        String role = sameCalls.replace("(4321, now(), set_config('work_mem', '1MB', false))",
                "(4321, now(), set_config('role', 'postgres', false))");
        assertTrue(WITH_SCHEMA.analyze(role, "public").get(0).kinds().contains(Kind.PRIVILEGE),
                "a constant inside a call keeps its row");

        String two = plain + "; DROP TABLE billing.invoices";
        List<StatementInfo> both = WITH_SCHEMA.analyze(two, "public");
        assertEquals(2, both.size());
        assertEquals(plain, both.get(0).sql());
        assertEquals("DROP TABLE billing.invoices", both.get(1).sql());
        check(WITH_SCHEMA, "a drop after the rows", two, "deny", List.of("billing"));
    }

    @Test
    void textOverTheBoundIsUnreadWithAReason() {
        String sql = "SELECT '" + "x".repeat(PgAnalyzer.MAX_CHARS) + "'";
        List<StatementInfo> infos = WITH_SCHEMA.analyze(sql, "public");
        assertEquals(1, infos.size());
        assertTrue(infos.get(0).isUnknown());
        assertTrue(infos.get(0).notes().get(0).contains("larger than"), infos.get(0).notes().toString());
    }

    private static void check(Analyzer analyzer, String name, String sql, String expect, List<String> rules) {
        List<StatementInfo> infos = analyzer.analyze(sql, "public");
        Decision d = ENGINE.decide(infos, Principal.of("agent"));
        String action = switch (d.verdict()) {
            case Verdict.Allow a -> "allow";
            case Verdict.Review r -> "review";
            case Verdict.Deny x -> "deny";
        };
        List<String> notes = new ArrayList<>();
        for (StatementInfo i : infos) {
            notes.add(i.kinds() + " reads=" + i.reads() + " tables=" + i.tables() + " complete=" + i.lineageComplete()
                    + " notes=" + i.notes());
        }
        assertEquals(expect, action, () -> name + ": " + sql + " -> " + d.verdict() + " " + notes);
        Set<String> fired = new TreeSet<>();
        for (var s : d.statements()) {
            for (RuleHit hit : switch (s.verdict()) {
                case Verdict.Allow a -> a.hits();
                case Verdict.Review r -> r.hits();
                case Verdict.Deny x -> x.hits();
            }) {
                if (!hit.shadow() && hit.action() != dev.gatehouse.policy.Action.ALLOW) {
                    fired.add(hit.ruleId());
                }
            }
        }
        if (!rules.isEmpty()) {
            assertTrue(fired.containsAll(rules), () -> name + ": expected rules " + rules + " among " + fired + " " + notes);
        }
    }
}
