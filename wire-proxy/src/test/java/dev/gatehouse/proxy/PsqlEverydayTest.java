package dev.gatehouse.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a person does in psql every day, through the proxy under {@code examples/policy.yaml} (which has column
 * rules, and no schema file, as {@code serve} runs by default): the describe commands and the session statements
 * of an ordinary session. None of it touches a column the policy protects, so none of it may be held or denied:
 * each runs with psql through the proxy and directly, and the two outputs must be the same. Holds are answered
 * at once (fail mode), so a held statement shows as a Gatehouse error in the output.
 *
 * <p>Everything runs in a database of its own, so other tests' tables never change what {@code \dt} lists.
 */
class PsqlEverydayTest {
    static final String DB = "gh_everyday_psql";
    /** What psql 15 sends for each describe command, captured from the real client (see its header). */
    static final String CAPTURE = "psql15-describe.sql";

    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        ProxyFixture.directly("DROP DATABASE IF EXISTS " + DB);
        ProxyFixture.directly("CREATE DATABASE " + DB);
        // The objects of the capture (set up directly: DDL through this policy is reviewed, by design).
        Cli.Result made = Cli.psql(5432, """
                CREATE TABLE gh_owner (id int PRIMARY KEY, name text NOT NULL);
                CREATE TABLE gh_items (id int PRIMARY KEY, owner_id int REFERENCES gh_owner, note text DEFAULT 'n/a');
                CREATE INDEX gh_items_note ON gh_items (note);
                CREATE VIEW gh_items_v AS SELECT id, note FROM gh_items;
                CREATE FUNCTION gh_double(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2';
                CREATE SCHEMA gh_side;
                INSERT INTO gh_owner VALUES (1, 'alice');
                INSERT INTO gh_items VALUES (1, 1, 'a'), (2, 1, 'b'), (3, NULL, 'c');
                """, "-d", DB, "-v", "ON_ERROR_STOP=1");
        assertEquals(0, made.exit(), made.output());
        proxy = ProxyFixture.underPolicy(ProxyFixture.EXAMPLE_POLICY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        ProxyFixture.directly("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
    }

    /** One describe command and the queries psql 15 sent for it when captured. */
    record Describe(String command, List<String> queries) {
    }

    @TestFactory
    Stream<DynamicTest> describeCommandsRunAsTheyDoDirectly() throws IOException {
        return captured().stream().map(d -> DynamicTest.dynamicTest("psql " + d.command(), () -> {
            Cli.Result direct = psql(5432, d.command());
            assertEquals(0, direct.exit(), direct.output());
            // The capture is what this psql sends: a newer client's queries need a new capture, not a guess.
            assertEquals(withoutOids(d.queries()), withoutOids(echoed(direct.output())),
                    CAPTURE + " is not what this psql sends for " + d.command());
            Cli.Result proxied = psql(proxy.port(), d.command());
            assertNotRefused(proxied);
            assertEquals(0, proxied.exit(), proxied.output());
            assertSameAsDirect(direct, proxied, () -> psql(5432, d.command()));
        }));
    }

    /**
     * Each captured query alone, as psql sends it (a simple Query message), so that every query a describe
     * command needs is judged, not only the first one held (psql gives up on a command at its first error).
     */
    @TestFactory
    Stream<DynamicTest> everyCapturedQueryRunsAlone() throws IOException {
        return captured().stream().flatMap(d -> java.util.stream.IntStream.range(0, d.queries().size()).mapToObj(i ->
                DynamicTest.dynamicTest(d.command() + ", query " + (i + 1) + " of " + d.queries().size(), () -> {
                    try (Connection c = proxy.connect("preferQueryMode=simple"); Statement st = c.createStatement()) {
                        st.execute(d.queries().get(i));
                    }
                })));
    }

    /** A named psql session: its input, which must run through the proxy exactly as it does directly. */
    record Session(String name, String input) {
    }

    static final List<Session> SESSIONS = List.of(
            new Session("BEGIN; SELECT; COMMIT", """
                    BEGIN;
                    SELECT note FROM gh_items WHERE id = 1;
                    COMMIT;
                    """),
            new Session("START TRANSACTION; SELECT; END", """
                    START TRANSACTION;
                    SELECT count(id) FROM gh_items;
                    END;
                    """),
            new Session("SET TRANSACTION ISOLATION LEVEL in a transaction", """
                    BEGIN;
                    SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
                    SHOW transaction_isolation;
                    COMMIT;
                    """),
            new Session("SET search_path TO public", """
                    SET search_path TO public;
                    SELECT note FROM gh_items WHERE id = 2;
                    """),
            new Session("SHOW search_path", "SHOW search_path;\n"),
            new Session("SAVEPOINT a; RELEASE a; ROLLBACK TO SAVEPOINT", """
                    BEGIN;
                    SAVEPOINT a;
                    RELEASE a;
                    SAVEPOINT b;
                    ROLLBACK TO SAVEPOINT b;
                    RELEASE SAVEPOINT b;
                    COMMIT;
                    """),
            new Session("LISTEN, NOTIFY, UNLISTEN", """
                    LISTEN gh_everyday;
                    NOTIFY gh_everyday, 'hello';
                    UNLISTEN gh_everyday;
                    UNLISTEN *;
                    """),
            new Session("DECLARE a cursor; FETCH 2; CLOSE", """
                    BEGIN;
                    DECLARE c CURSOR FOR SELECT id, note FROM gh_items ORDER BY id;
                    FETCH 2 FROM c;
                    CLOSE c;
                    COMMIT;
                    """),
            new Session("MOVE, FETCH NEXT, FETCH ALL", """
                    BEGIN;
                    DECLARE c CURSOR FOR SELECT id, note FROM gh_items ORDER BY id;
                    MOVE FORWARD 1 IN c;
                    FETCH NEXT FROM c;
                    FETCH ALL FROM c;
                    CLOSE ALL;
                    COMMIT;
                    """),
            new Session("EXPLAIN a SELECT", "EXPLAIN SELECT note FROM gh_items WHERE id = 1;\n"),
            // Options that change nothing of what runs; timings are left out so the output is repeatable.
            new Session("EXPLAIN (ANALYZE) a SELECT",
                    "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT note FROM gh_items WHERE id = 1;\n"),
            new Session("EXPLAIN (FORMAT JSON) a SELECT",
                    "EXPLAIN (FORMAT JSON, COSTS OFF) SELECT note FROM gh_items WHERE id = 1;\n"),
            // Neither table is users, so the policy's users.ssn cannot be among the columns, whichever table has them.
            new Session("a join naming columns without their table",
                    "SELECT note, name FROM gh_items JOIN gh_owner ON gh_owner.id = gh_items.owner_id ORDER BY note;\n"),
            new Session("a dollar-quoted string", "SELECT $$it's$$ AS said;\n"),
            new Session("a U&'' string", "SELECT U&'d\\0061t\\+000061' AS said;\n"),
            new Session("PREPARE; EXECUTE; DEALLOCATE", """
                    PREPARE p AS SELECT note FROM gh_items WHERE id = $1;
                    EXECUTE p(2);
                    DEALLOCATE p;
                    """),
            new Session("VACUUM a table", "VACUUM gh_items;\n"),
            new Session("DISCARD ALL (what a pool runs between clients)", "DISCARD ALL;\n"),
            new Session("an E'' string with a backslash-escaped quote", "SELECT E'it\\'s' AS said;\n"),
            new Session("RESET ROLE", "RESET ROLE;\n"),
            // What Flyway sends to put back the role it found (SHOW ROLE said none).
            new Session("SET ROLE 'none'", "SET ROLE 'none';\n"),
            // postgres is the session user here: switching to it changes no privilege.
            new Session("SET ROLE to the session user", """
                    SET ROLE postgres;
                    SELECT current_user;
                    RESET ROLE;
                    """));

    @TestFactory
    Stream<DynamicTest> sessionStatementsRunAsTheyDoDirectly() {
        return SESSIONS.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            Cli.Result direct = Cli.psql(5432, s.input(), "-d", DB);
            assertFalse(direct.output().contains("ERROR"), "the case itself is wrong: " + direct.output());
            Cli.Result proxied = Cli.psql(proxy.port(), s.input(), "-d", DB);
            assertNotRefused(proxied);
            assertSameAsDirect(direct, proxied, () -> Cli.psql(5432, s.input(), "-d", DB));
        }));
    }

    /**
     * The example policy reviews every export on purpose (two security approvers), so {@code \copy ... TO} out of
     * an ordinary table is held by that rule: by that rule only, not also as a possible read of personal data.
     */
    @Test
    void backslashCopyOutIsHeldByTheExportRuleAlone(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("items.csv");
        Cli.Result r = Cli.psql(proxy.port(), "\\copy (SELECT id, note FROM gh_items ORDER BY id) TO '" + out
                + "' WITH (FORMAT csv)\n", "-d", DB);
        assertTrue(r.output().contains("ERROR:  Gatehouse holds the statement for review: request "), r.output());
        assertTrue(r.output().contains("(exports: data leaving the database needs two security approvers)"), r.output());
        assertFalse(r.output().contains("pii"), r.output());
        assertFalse(Files.exists(out) && Files.size(out) > 0, "nothing was exported");
    }

    private static Cli.Result psql(int port, String command) throws Exception {
        return Cli.psql(port, "", "-d", DB, "-E", "-c", command);
    }

    /** The proxy's refusals and holds all name Gatehouse; no direct output does. */
    private static void assertNotRefused(Cli.Result proxied) {
        assertFalse(proxied.output().contains("Gatehouse"), "held or denied through the proxy:\n" + proxied.output());
    }

    interface Run {
        Cli.Result run() throws Exception;
    }

    /**
     * The proxied output equals the direct one (run before it, or once more after it: {@code \l} and {@code \du}
     * list the whole server, which other tests change meanwhile). Backend PIDs and plan costs are not compared.
     */
    private static void assertSameAsDirect(Cli.Result direct, Cli.Result proxied, Run again) throws Exception {
        String got = comparable(proxied.output());
        if (!got.equals(comparable(direct.output()))) {
            assertEquals(comparable(again.run().output()), got, "not what psql shows directly");
        }
    }

    private static String comparable(String output) {
        return output.replaceAll("server process with PID \\d+", "server process with PID ?")
                .replaceAll("cost=[0-9.]+ rows=\\d+ width=\\d+", "cost=?");
    }

    /** The queries psql -E printed, in order. */
    static List<String> echoed(String output) {
        List<String> queries = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\*{9} QUERY \\*{10}\\n(.*?)\\n\\*{26}$", Pattern.DOTALL).matcher(output);
        while (m.find()) {
            queries.add(m.group(1).stripTrailing());
        }
        return queries;
    }

    private static List<String> withoutOids(List<String> queries) {
        return queries.stream().map(q -> q.replaceAll("'\\d+'", "'<oid>'")).toList();
    }

    /** The capture file: '-- psql: X' starts a command, a blank line ends each query, leading comments are its header. */
    static List<Describe> captured() throws IOException {
        String text;
        try (InputStream in = PsqlEverydayTest.class.getResourceAsStream(CAPTURE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Describe> all = new ArrayList<>();
        StringBuilder query = new StringBuilder();
        for (String line : (text + "\n\n").split("\n", -1)) {
            if (line.startsWith("-- psql: ")) {
                all.add(new Describe(line.substring("-- psql: ".length()), new ArrayList<>()));
            } else if (line.isEmpty()) {
                if (!query.isEmpty()) {
                    all.get(all.size() - 1).queries().add(query.toString().stripTrailing());
                    query.setLength(0);
                }
            } else if (!all.isEmpty()) {
                query.append(line).append('\n');
            }
        }
        return all;
    }
}
