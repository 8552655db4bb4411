package dev.gatehouse.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test command in-process, with cases whose outcome does not depend on classification. */
class PolicyTestCommandTest {
    static final String POLICY = """
            version: 1
            defaults: { unparsed: review }
            rules:
              - id: no-mallory
                match: { principals: [mallory] }
                action: deny
              - id: watch
                match: { kinds: [UNKNOWN] }
                action: deny
                mode: shadow
            """;

    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void passingCasesExitZero() throws IOException {
        write("policies/p.yaml", POLICY);
        Path tests = write("policies/p-test.yaml", """
                policy: p.yaml
                principal: agent-7
                cases:
                  - name: unread text is held
                    sql: FROB the database
                    expect: review
                    rules: []
                    shadow_rules: [watch]
                  - name: mallory is denied
                    sql: FROB
                    principal: mallory
                    expect: deny
                    rules: [no-mallory]
                """);
        Cli r = Cli.run("", "test", tests.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("  ok    unread text is held"), r.out());
        assertTrue(r.out().contains("  ok    mallory is denied"), r.out());
        assertTrue(r.out().endsWith("2 passed, 0 failed\n"), r.out());
    }

    @Test
    void failuresShowADiffAndExitOne() throws IOException {
        write("p.yaml", POLICY);
        Path tests = write("t.yaml", """
                policy: p.yaml
                cases:
                  - name: wrong decision
                    sql: FROB
                    expect: allow
                  - name: wrong rules
                    sql: FROB
                    principal: mallory
                    expect: deny
                    rules: [someone-else]
                  - name: right
                    sql: FROB
                    expect: review
                """);
        Cli r = Cli.run("", "test", tests.toString());
        assertEquals(1, r.code(), r.out());
        String out = r.out();
        assertTrue(out.contains("  FAIL  wrong decision\n"), out);
        assertTrue(out.contains("expected: allow\n"), out);
        assertTrue(out.contains("actual:   review, rules [] (statement not understood"), out);
        assertTrue(out.contains("expected: deny, rules [someone-else]\n"), out);
        assertTrue(out.contains("actual:   deny, rules [no-mallory]"), out);
        assertTrue(out.contains("rule no-mallory (deny): principal mallory"), out);
        assertTrue(out.contains("  ok    right\n"), out);
        assertTrue(out.endsWith("1 passed, 2 failed\n"), out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown key           | 'policy: p.yaml\ncases:\n  - name: a\n    sql: x\n    expect: deny\n    expct: allow\n' | t.yaml:6:5: cases[0].expct: unknown field",
            "bad expectation       | 'policy: p.yaml\ncases:\n  - name: a\n    sql: x\n    expect: block\n'               | t.yaml:5:13: cases[0].expect: 'block' is not valid (expected one of allow, review, deny)",
            "duplicate case name   | 'policy: p.yaml\ncases:\n  - {name: a, sql: x, expect: deny}\n  - {name: a, sql: y, expect: deny}\n' | t.yaml:4:6: cases[1].name: duplicate case name 'a'",
            "missing policy        | 'cases:\n  - {name: a, sql: x, expect: deny}\n'                                        | t.yaml:1:1: policy: missing (required)",
            "policy file missing   | 'policy: nope.yaml\ncases:\n  - {name: a, sql: x, expect: deny}\n'                     | nope.yaml: no such policy file",
            "bad dialect           | 'policy: p.yaml\ndialect: oracle\ncases:\n  - {name: a, sql: x, expect: deny}\n'     | t.yaml:2:10: dialect: 'oracle' is not valid (expected one of postgres, mysql)",
            "no cases              | 'policy: p.yaml\n'                                                                     | t.yaml:1:1: cases: missing (required)",
            "schema unavailable    | 'policy: p.yaml\nschema: s.sql\ncases:\n  - {name: a, sql: x, expect: deny}\n'       | t.yaml:2:1: schema: ",
    })
    void unusableTestFilesExitTwo(String name, String yaml, String message) throws IOException {
        write("p.yaml", POLICY);
        Path tests = write("t.yaml", yaml.replace("\\n", "\n"));
        Cli r = Cli.run("", "test", tests.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
    }

    @Test
    void aMissingTestFileIsReportedAndOthersStillRun() throws IOException {
        write("p.yaml", POLICY);
        Path good = write("good.yaml", "policy: p.yaml\ncases:\n  - {name: a, sql: FROB, expect: review}\n");
        Cli r = Cli.run("", "test", dir.resolve("missing.yaml").toString(), good.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing.yaml: no such test file"), r.err());
        assertTrue(r.out().endsWith("1 passed, 0 failed\n"), r.out());
    }
}
