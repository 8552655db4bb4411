package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check command end to end, in-process. Until the classifier is merged every statement is UNKNOWN, so
 * these assert what does not depend on classification: the unparsed default, principals, output shape,
 * streaming and errors.
 */
class CheckCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Text no analyzer reads as SQL: its decision comes from the policy's defaults and principal rules alone. */
    static final String UNREADABLE = "FROB the database";
    static final String POLICY = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            rules:
              - id: no-mallory
                match: { principals: [mallory] }
                action: deny
                reason: suspended account
              - id: watch-everything
                match: { kinds: [UNKNOWN] }
                action: deny
                mode: shadow
            """;

    @TempDir
    Path dir;

    Path policy(String yaml) throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void unreadStatementGetsTheUnparsedDefault() throws IOException {
        Cli r = Cli.run("FROB the database", "check", "--policy", policy(POLICY).toString());
        assertEquals(0, r.code(), r.err());
        JsonNode out = JSON.readTree(r.out());
        assertEquals("review", out.get("decision").asText());
        JsonNode s = out.get("statements").get(0);
        for (String key : List.of("sql", "kinds", "operation", "decision", "rules", "tables", "reads", "writes", "functions", "unbounded")) {
            assertTrue(s.has(key), key + " in " + s);
        }
        assertEquals("FROB the database", s.get("sql").asText());
        assertEquals("[\"UNKNOWN\"]", s.get("kinds").toString());
        assertEquals("review", s.get("decision").asText());
        assertEquals("[]", s.get("rules").toString());
        assertEquals("[\"watch-everything\"]", s.get("shadow_rules").toString(), "shadow hits are reported apart");
        assertFalse(s.get("lineage_complete").asBoolean());
        assertTrue(s.get("reason").asText().startsWith("statement not understood"), s.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "review without --exit-code | anonymous | false | 0",
            "deny without --exit-code   | mallory   | false | 0",
            "review with --exit-code    | anonymous | true  | 3",
            "deny with --exit-code      | mallory   | true  | 4",
    })
    void exitCodes(String name, String principal, boolean exitCode, int expected) throws IOException {
        List<String> args = new ArrayList<>(List.of("check", "--policy", policy(POLICY).toString(), "--principal", principal));
        if (exitCode) {
            args.add("--exit-code");
        }
        Cli r = Cli.run(UNREADABLE, args.toArray(String[]::new));
        assertEquals(expected, r.code(), r.err());
        assertEquals(principal.equals("mallory") ? "deny" : "review", JSON.readTree(r.out()).get("decision").asText());
    }

    @Test
    void deniedSubmissionsExplainWhy() throws IOException {
        Cli r = Cli.run("SELECT 1", "check", "--policy", policy(POLICY).toString(), "--principal=mallory");
        JsonNode out = JSON.readTree(r.out());
        assertEquals("deny", out.get("decision").asText());
        assertEquals("no-mallory: suspended account", out.get("reason").asText());
        JsonNode hit = out.get("statements").get(0).get("hits").get(0);
        assertEquals("no-mallory", hit.get("rule").asText());
        assertEquals("[\"principal mallory\"]", hit.get("facts").toString());
    }

    @Test
    void aBadPolicyNamesFileLineAndField() throws IOException {
        Path p = policy("version: 1\nrules:\n  - id: a\n    match: {kindz: [DDL]}\n    action: deny\n");
        Cli r = Cli.run("SELECT 1", "check", "--policy", p.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(p + ":4:13: rules[0].match.kindz: unknown field"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void theExamplePolicyLoads() {
        // The README points users at it; it must stay valid as the loader evolves.
        Cli r = Cli.run("SELECT 1", "check", "--policy", Path.of("..", "examples", "policy.yaml").toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aMissingPolicyIsAClearError() {
        Cli r = Cli.run("SELECT 1", "check", "--policy", dir.resolve("nope.yaml").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.yaml: no such policy file"), r.err());
    }

    @Test
    void aSchemaFileResolvesStarsToColumns() throws IOException {
        Path schema = dir.resolve("schema.sql");
        Files.writeString(schema, "CREATE TABLE t (a int, ssn text);\nCREATE VIEW v AS SELECT a FROM t;");
        Cli r = Cli.run("SELECT * FROM t; SELECT * FROM v", "check", "--policy", policy(POLICY).toString(), "--schema", schema.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode statements = JSON.readTree(r.out()).get("statements");
        assertEquals("[\"public.t.a\",\"public.t.ssn\"]", statements.get(0).get("reads").toString());
        assertTrue(statements.get(0).get("lineage_complete").asBoolean());
        assertEquals("[\"public.t.a\"]", statements.get(1).get("reads").toString(), "a view reads its base columns");
    }

    /** A write limited by its rows is allowed before it is counted, and says which limits a front end guards. */
    @Test
    void maxRowsShowsTheLimitsAFrontEndCountsAgainst() throws IOException {
        Path p = policy("""
                version: 1
                defaults: { max_rows: 100 }
                rules:
                  - id: orders-rows
                    match: { kinds: [WRITE], tables: [orders] }
                    max_rows: 10
                    action: review
                """);
        Cli r = Cli.run("DELETE FROM orders WHERE id = id; INSERT INTO orders VALUES (1); TRUNCATE orders", "check",
                "--policy", p.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode statements = JSON.readTree(r.out()).get("statements");
        assertEquals("allow", statements.get(0).get("decision").asText(), "decided by its count, once counted");
        assertEquals("counted", statements.get(0).get("row_count").asText());
        assertEquals("[{\"rule\":\"orders-rows\",\"max_rows\":10,\"action\":\"review\"},"
                + "{\"rule\":\"defaults.max_rows\",\"max_rows\":100,\"action\":\"review\"}]",
                statements.get(0).get("max_rows").toString());
        assertEquals("listed", statements.get(1).get("row_count").asText());
        assertEquals("[]", statements.get(1).get("max_rows").toString(), "INSERT ... VALUES adds what it lists");
        assertEquals("uncounted", statements.get(2).get("row_count").asText());
        assertEquals("review", statements.get(2).get("decision").asText(), "a write nobody can count: fail closed");
    }

    @Test
    void aBadSchemaFileNamesTheStatement() throws IOException {
        Path schema = dir.resolve("schema.sql");
        Files.writeString(schema, "CREATE TABLE ok (a int);\nCREATE TABLE broken (a int,, b);");
        Cli r = Cli.run("SELECT 1", "check", "--policy", policy(POLICY).toString(), "--schema", schema.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(schema + ": statement 2"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anUnusableSchemaFileIsAClearError() throws IOException {
        Path schema = dir.resolve("missing-schema.sql");
        Cli r = Cli.run("SELECT 1", "check", "--policy", policy(POLICY).toString(), "--schema", schema.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(schema.toString()), r.err());
        assertEquals("", r.out());
    }

    @Test
    void jsonlGivesOneLinePerInputLineAndSurvivesBadLines() throws IOException {
        String input = String.join("\n",
                "{\"sql\": \"FROB 1\", \"id\": 1}",
                "{\"sql\": \"FROB 1\", \"principal\": \"mallory\", \"id\": \"two\"}",
                "this is not json",
                "{\"sql\": 42}",
                "[1, 2]",
                "",
                "{\"sql\": \"SELECT 2\", \"principal\": \"\"}",
                "{\"sql\": \"FROB 3\", \"default_schema\": \"app\"}") + "\n";
        Cli r = Cli.run(input, "check", "--jsonl", "--policy", policy(POLICY).toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(8, lines.size(), r.out());
        assertEquals("review", JSON.readTree(lines.get(0)).get("decision").asText());
        assertEquals(1, JSON.readTree(lines.get(0)).get("id").asInt());
        assertEquals("deny", JSON.readTree(lines.get(1)).get("decision").asText(), "the line's principal applies");
        assertEquals("two", JSON.readTree(lines.get(1)).get("id").asText());
        assertError(lines.get(2), 3, "not JSON");
        assertError(lines.get(3), 4, "expected a text field \"sql\"");
        assertError(lines.get(4), 5, "expected a JSON object");
        assertError(lines.get(5), 6, "expected a JSON object");
        assertError(lines.get(6), 7, "\"principal\" must be a non-blank text");
        assertEquals("review", JSON.readTree(lines.get(7)).get("decision").asText());
    }

    @Test
    void jsonlBadLinesCountAsDenyForExitCode() throws IOException {
        Cli r = Cli.run("{\"sql\": \"SELECT 1\"}\nnope\n", "check", "--jsonl", "--exit-code", "--policy", policy(POLICY).toString());
        assertEquals(4, r.code());
    }

    @Test
    void jsonlAnswersEachLineBeforeTheNextArrives() throws Exception {
        Path p = policy(POLICY);
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(feed);
        PipedInputStream results = new PipedInputStream(1 << 16);
        PrintStream stdout = new PrintStream(new PipedOutputStream(results), false, StandardCharsets.UTF_8);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> code = threads.submit(() -> Main.run(new String[] {"check", "--jsonl", "--policy", p.toString()},
                    new Terminal(stdin, stdout, System.err)));
            BufferedReader reader = new BufferedReader(new InputStreamReader(results, StandardCharsets.UTF_8));
            feed.write("{\"sql\": \"SELECT 1\", \"id\": 1}\n".getBytes(StandardCharsets.UTF_8));
            feed.flush();
            // Input is still open: this line can only arrive if check flushed it on its own.
            assertEquals(1, JSON.readTree(nextLine(threads, reader, code)).get("id").asInt());
            feed.write("{\"sql\": \"SELECT 2\", \"id\": 2}\n".getBytes(StandardCharsets.UTF_8));
            feed.flush();
            assertEquals(2, JSON.readTree(nextLine(threads, reader, code)).get("id").asInt());
            feed.close();
            assertEquals(0, code.get(30, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }
    }

    /** A line of output within a bounded wait; if the command died instead, its failure. */
    private static String nextLine(ExecutorService threads, BufferedReader reader, Future<Integer> command) throws Exception {
        Future<String> line = threads.submit(reader::readLine);
        for (int waited = 0; waited < 300; waited++) {
            if (line.isDone()) {
                return line.get();
            }
            if (command.isDone()) {
                throw new AssertionError("check ended before printing a line, exit " + command.get());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no output line within 30 s");
    }

    @Test
    void overlongJsonlLinesAreReportedNotHeld() throws IOException {
        String huge = "{\"sql\": \"" + "x".repeat(CheckCommand.MAX_LINE_CHARS + 10) + "\"}";
        Cli r = Cli.run(huge + "\n{\"sql\": \"FROB 1\"}\n", "check", "--jsonl", "--policy", policy(POLICY).toString());
        Iterator<String> lines = r.out().lines().iterator();
        assertError(lines.next(), 1, "line longer than");
        assertEquals("review", JSON.readTree(lines.next()).get("decision").asText());
        assertFalse(lines.hasNext());
    }

    private static void assertError(String line, int number, String message) throws IOException {
        JsonNode error = JSON.readTree(line);
        assertEquals(number, error.get("line").asInt(), line);
        assertTrue(error.get("error").asText().contains(message), line);
        assertFalse(error.has("decision"), line);
    }
}
