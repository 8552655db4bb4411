package dev.gatehouse.policy;

import dev.gatehouse.sql.analysis.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyLoaderTest {

    static final String ISSUE_EXAMPLE = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: protect-billing
                match: { kinds: [DDL], operations: [DROP, TRUNCATE], tables: ["billing.*"] }
                action: deny
              - id: pii
                match: { columns: ["*.users.ssn"] }
                except: { principals: ["dba-*"] }
                action: review
                approvers: [dba]
                quorum: 1
              - id: bulk-writes
                match: { kinds: [WRITE], unbounded: true }
                action: review
            """;

    static Policy parse(String yaml) throws PolicyException {
        return Policy.parse("policy.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheIssueExample() throws PolicyException {
        Policy p = parse(ISSUE_EXAMPLE);
        assertEquals(new Policy.Defaults(Action.REVIEW, Action.ALLOW), p.defaults());
        assertEquals(Map.of("dba", List.of("alice", "bob")), p.approvers());
        assertEquals(List.of("protect-billing", "pii", "bulk-writes"), p.rules().stream().map(Rule::id).toList());
        Rule billing = p.rules().get(0);
        assertEquals(Set.of(Kind.DDL), billing.match().kinds());
        assertEquals(List.of("DROP", "TRUNCATE"), billing.match().operations());
        assertEquals(List.of("billing", "*"), billing.match().tables().get(0).parts());
        assertEquals(Action.DENY, billing.action());
        Rule pii = p.rules().get(1);
        assertEquals(List.of("dba-*"), pii.except().orElseThrow().principals());
        assertEquals(Set.of("dba"), pii.review().approverGroups());
        assertEquals(Boolean.TRUE, p.rules().get(2).match().unbounded());
        assertFalse(p.shadow());
        assertEquals(12, p.version().length());
    }

    @Test
    void readsExtensions() throws PolicyException {
        Policy p = parse("""
                version: 1
                mode: shadow
                approvers: { dba: [alice, bob, carol], sec: [carol, dave] }
                rules:
                  - id: exports
                    description: data leaving the database
                    match: { kinds: [export] }
                    action: review
                    approvers: [dba, sec]
                    quorum: 4
                    expires: 2h
                    approval_expires: 90s
                    on_hold: fail
                    reason: Exports need two people
                """);
        Rule r = p.rules().get(0);
        assertTrue(r.shadow(), "policy-level shadow applies to every rule");
        assertEquals(new ReviewSpec(Set.of("dba", "sec"), 4, Duration.ofHours(2), Duration.ofSeconds(90), ReviewSpec.HoldMode.FAIL), r.review());
        assertEquals("Exports need two people", r.reason());
        assertEquals(new Policy.Defaults(Action.REVIEW, Action.ALLOW), p.defaults(), "defaults fail closed when omitted");
    }

    @Test
    void readsMaxRows() throws PolicyException {
        Policy p = parse("""
                version: 1
                defaults: { max_rows: 1000 }
                rules:
                  - id: orders
                    match: { kinds: [WRITE], tables: [orders] }
                    max_rows: 10
                    action: review
                  - id: deletes
                    match: { operations: [delete, MERGE] }
                    max_rows: 0
                    action: deny
                  - id: plain
                    match: { kinds: [WRITE], unbounded: true }
                    action: review
                """);
        assertEquals(1000L, p.defaults().maxRows());
        assertEquals(10L, p.rules().get(0).maxRows());
        assertEquals(0L, p.rules().get(1).maxRows());
        assertEquals(null, p.rules().get(2).maxRows(), "a rule without max_rows applies whenever it matches");
        assertEquals(null, parse("version: 1\n").defaults().maxRows());
    }

    @Test
    void anEmptyRuleListIsAPolicyOfDefaults() throws PolicyException {
        Policy p = parse("version: 1\ndefaults: { unparsed: deny, otherwise: review }\nrules: []\n");
        assertEquals(List.of(), p.rules());
        assertEquals(new Policy.Defaults(Action.DENY, Action.REVIEW), p.defaults());
    }

    @Test
    void versionIsAHashOfTheBytes() throws PolicyException {
        assertEquals(parse(ISSUE_EXAMPLE).version(), parse(ISSUE_EXAMPLE).version());
        assertNotEquals(parse(ISSUE_EXAMPLE).version(), parse(ISSUE_EXAMPLE + "# a comment\n").version());
    }

    @Test
    void filesAreReadWithABound(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path missing = dir.resolve("missing.yaml");
        assertEquals(missing + ": no such policy file", assertThrows(PolicyException.class, () -> Policy.load(missing)).getMessage());
        java.nio.file.Path huge = dir.resolve("huge.yaml");
        java.nio.file.Files.writeString(huge, "version: 1\n" + "#".repeat((int) Policy.MAX_FILE_BYTES));
        assertTrue(assertThrows(PolicyException.class, () -> Policy.load(huge)).getMessage().contains("larger than"));
        java.nio.file.Path ok = dir.resolve("ok.yaml");
        java.nio.file.Files.writeString(ok, ISSUE_EXAMPLE);
        assertEquals(ok.toString(), Policy.load(ok).source());
    }

    static Stream<Arguments> badPolicies() {
        return Stream.of(
                Arguments.of("unknown match field", """
                        version: 1
                        rules:
                          - id: a
                            match:
                              kinds: [DDL]
                            action: deny
                          - id: b
                            match:
                              kindz: [DDL]
                            action: deny
                        """, "policy.yaml:9:7: rules[1].match.kindz: unknown field (expected one of kinds, operations, tables, columns, functions, principals, unbounded)"),
                Arguments.of("unknown top-level key", "version: 1\nrulez: []\n",
                        "policy.yaml:2:1: rulez: unknown field (expected one of version, mode, defaults, approvers, rules)"),
                Arguments.of("unknown rule key", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: deny\n    severity: high\n",
                        "policy.yaml:6:5: rules[0].severity: unknown field (expected one of id, description, match, except, action, reason, mode, approvers, quorum, expires, approval_expires, on_hold, max_rows)"),
                Arguments.of("rules not a list", "version: 1\nrules: {id: a}\n", "policy.yaml:2:8: rules: expected a list, found a mapping"),
                Arguments.of("version absent", "defaults: {unparsed: deny}\n", "policy.yaml:1:1: version: missing (required)"),
                Arguments.of("unknown version", "version: 2\n", "policy.yaml:1:10: version: unsupported policy version 2 (this Gatehouse reads version 1)"),
                Arguments.of("version as text", "version: \"1\"\n", "policy.yaml:1:10: version: expected a whole number, found the text '1'"),
                Arguments.of("bad kind", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL, DELETE]}\n    action: deny\n",
                        "policy.yaml:4:26: rules[0].match.kinds[1]: 'DELETE' is not valid (expected one of READ, WRITE, DDL, PRIVILEGE, EXPORT, SESSION, PROCEDURAL, UNKNOWN)"),
                Arguments.of("bad action", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: block\n",
                        "policy.yaml:5:13: rules[0].action: 'block' is not valid (expected one of allow, review, deny)"),
                Arguments.of("missing action", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n",
                        "policy.yaml:3:5: rules[0].action: missing (required)"),
                Arguments.of("unparsed allow is refused", "version: 1\ndefaults: {unparsed: allow}\n",
                        "policy.yaml:2:22: defaults.unparsed: 'allow' is not valid (expected one of review, deny)"),
                Arguments.of("duplicate rule id", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: deny\n  - id: a\n    match: {kinds: [WRITE]}\n    action: deny\n",
                        "policy.yaml:6:5: rules[1].id: duplicate rule id 'a' (first used at line 3)"),
                Arguments.of("duplicate yaml key", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: deny\n    action: allow\n",
                        "policy.yaml:6:5: rules[0].action: duplicate key (first written at line 5)"),
                Arguments.of("unknown approver group", "version: 1\napprovers: {dba: [alice]}\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: review\n    approvers: [dbas]\n",
                        "policy.yaml:7:16: rules[0].approvers[0]: unknown approver group 'dbas' (known groups: dba)"),
                Arguments.of("quorum zero", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: review\n    quorum: 0\n",
                        "policy.yaml:6:13: rules[0].quorum: must be at least 1"),
                Arguments.of("quorum above members", "version: 1\napprovers: {dba: [alice, bob], ops: [bob]}\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: review\n    approvers: [dba, ops]\n    quorum: 3\n",
                        "policy.yaml:8:13: rules[0].quorum: quorum 3 is more than the 2 distinct approvers who could vote"),
                Arguments.of("quorum as text", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: review\n    quorum: two\n",
                        "policy.yaml:6:13: rules[0].quorum: expected a whole number, found the text 'two'"),
                Arguments.of("empty match", "version: 1\nrules:\n  - id: a\n    match: {}\n    action: deny\n",
                        "policy.yaml:4:12: rules[0].match: empty (name at least one of kinds, operations, tables, columns, functions, principals, unbounded)"),
                Arguments.of("empty except", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    except: {}\n    action: deny\n",
                        "policy.yaml:5:13: rules[0].except: empty (name at least one of kinds, operations, tables, columns, functions, principals, unbounded)"),
                Arguments.of("empty list", "version: 1\nrules:\n  - id: a\n    match: {tables: []}\n    action: deny\n",
                        "policy.yaml:4:21: rules[0].match.tables: empty list (leave the field out instead)"),
                Arguments.of("match not a mapping", "version: 1\nrules:\n  - id: a\n    match: DDL\n    action: deny\n",
                        "policy.yaml:4:12: rules[0].match: expected a mapping of keys, found the text 'DDL'"),
                Arguments.of("unbounded not boolean", "version: 1\nrules:\n  - id: a\n    match: {unbounded: yes please}\n    action: deny\n",
                        "policy.yaml:4:24: rules[0].match.unbounded: expected true or false, found the text 'yes please'"),
                Arguments.of("principal as number", "version: 1\nrules:\n  - id: a\n    match: {principals: [42]}\n    action: deny\n",
                        "policy.yaml:4:26: rules[0].match.principals[0]: expected text, found the number 42 (quote it to make it text)"),
                Arguments.of("table pattern with too many dots", "version: 1\nrules:\n  - id: a\n    match: {tables: [a.b.c]}\n    action: deny\n",
                        "policy.yaml:4:22: rules[0].match.tables[0]: 'a.b.c' is not a table pattern (expected schema.table, or fewer trailing parts)"),
                Arguments.of("bad duration", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: review\n    expires: soon\n",
                        "policy.yaml:6:14: rules[0].expires: 'soon' is not a duration (a positive whole number followed by s, m, h or d, e.g. 15m)"),
                Arguments.of("bad on_hold", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: review\n    on_hold: block\n",
                        "policy.yaml:6:14: rules[0].on_hold: 'block' is not valid (expected one of wait, fail)"),
                Arguments.of("review key on deny rule", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: deny\n    quorum: 1\n",
                        "policy.yaml:6:5: rules[0].quorum: only allowed on a rule with action: review"),
                Arguments.of("empty approver group", "version: 1\napprovers:\n  dba: []\n",
                        "policy.yaml:3:8: approvers.dba: empty list (leave the field out instead)"),
                Arguments.of("approver group not a list", "version: 1\napprovers:\n  dba: alice\n",
                        "policy.yaml:3:8: approvers.dba: expected a list, found the text 'alice'"),
                Arguments.of("bad mode", "version: 1\nmode: dry-run\n",
                        "policy.yaml:2:7: mode: 'dry-run' is not valid (expected one of enforce, shadow)"),
                Arguments.of("bad rule id", "version: 1\nrules:\n  - id: my rule\n    match: {kinds: [DDL]}\n    action: deny\n",
                        "policy.yaml:3:5: rules[0].id: 'my rule' may only contain letters, digits, '-', '_' and '.'"),
                Arguments.of("max_rows on an allow rule", "version: 1\nrules:\n  - id: a\n    match: {kinds: [WRITE]}\n    action: allow\n    max_rows: 10\n",
                        "policy.yaml:6:5: rules[0].max_rows: needs action: review or deny (it applies to a write that touches more rows)"),
                Arguments.of("max_rows on DDL", "version: 1\nrules:\n  - id: a\n    match: {kinds: [DDL]}\n    action: review\n    max_rows: 10\n",
                        "policy.yaml:6:5: rules[0].max_rows: a savepoint can count and undo writes of rows only, never DDL: a rule with max_rows matches kinds: [WRITE] alone, not [DDL]"),
                Arguments.of("max_rows on writes and DDL", "version: 1\nrules:\n  - id: a\n    match: {kinds: [WRITE, DDL]}\n    action: deny\n    max_rows: 10\n",
                        "policy.yaml:6:5: rules[0].max_rows: a savepoint can count and undo writes of rows only, never DDL: a rule with max_rows matches kinds: [WRITE] alone, not [DDL, WRITE]"),
                Arguments.of("max_rows on TRUNCATE", "version: 1\nrules:\n  - id: a\n    match: {operations: [DELETE, TRUNCATE]}\n    action: deny\n    max_rows: 10\n",
                        "policy.yaml:6:5: rules[0].max_rows: a savepoint can count and undo writes of rows only: a rule with max_rows names operations among INSERT, UPDATE, DELETE, MERGE, REPLACE, not TRUNCATE"),
                Arguments.of("max_rows without saying which writes", "version: 1\nrules:\n  - id: a\n    match: {tables: [orders]}\n    action: review\n    max_rows: 10\n",
                        "policy.yaml:6:5: rules[0].max_rows: a rule with max_rows says which writes it limits: match kinds: [WRITE] or operations among INSERT, UPDATE, DELETE, MERGE, REPLACE"),
                Arguments.of("max_rows below zero", "version: 1\nrules:\n  - id: a\n    match: {kinds: [WRITE]}\n    action: review\n    max_rows: -1\n",
                        "policy.yaml:6:15: rules[0].max_rows: must be at least 0"),
                Arguments.of("max_rows as text", "version: 1\nrules:\n  - id: a\n    match: {kinds: [WRITE]}\n    action: review\n    max_rows: ten\n",
                        "policy.yaml:6:15: rules[0].max_rows: expected a whole number, found the text 'ten'"),
                Arguments.of("defaults.max_rows below zero", "version: 1\ndefaults: {max_rows: -5}\n",
                        "policy.yaml:2:22: defaults.max_rows: must be at least 0"),
                Arguments.of("not yaml", "version: 1\nrules: [\n", null),
                Arguments.of("empty file", "", "policy.yaml:1:1: the file is empty"),
                Arguments.of("document not a mapping", "- a\n", "policy.yaml:1:1: (document): expected a mapping of keys, found a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPolicies")
    void rejectsWithFileLineAndField(String name, String yaml, String expected) {
        PolicyException e = assertThrows(PolicyException.class, () -> parse(yaml));
        if (expected == null) {
            assertTrue(e.getMessage().startsWith("policy.yaml:2:9: not valid YAML: while parsing a flow node"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        } else {
            assertEquals(expected, e.getMessage());
        }
    }
}
