package dev.gatehouse.policy;

import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.analysis.TableUse;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyEngineTest {

    /** One rule, so each case shows exactly which field decides. */
    static String oneRule(String match, String action) {
        return "version: 1\ndefaults: {unparsed: review, otherwise: allow}\nrules:\n  - id: r\n    match: " + match
                + "\n    action: " + action + "\n";
    }

    static Policy policy(String yaml) {
        try {
            return Policy.parse("test.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    record Case(String name, String policy, StatementInfo statement, Principal principal, Action expected,
                List<String> hitIds, List<String> facts) {
    }

    static final Principal AGENT = Principal.of("agent-7");

    static Stream<Case> cases() {
        StatementInfo dropInvoices = Stmt.of("DROP", Kind.DDL).table("billing.invoices", TableUse.DDL).build();
        StatementInfo selectSsn = Stmt.of("SELECT", Kind.READ).table("public.users", TableUse.READ)
                .read("public.users.ssn").read("public.users.id").build();
        StatementInfo updateAll = Stmt.of("UPDATE", Kind.WRITE).table("public.orders", TableUse.WRITE)
                .write("public.orders.status").unbounded().build();
        StatementInfo readFile = Stmt.of("SELECT", Kind.READ, Kind.EXPORT).function("pg_catalog.pg_read_file").build();
        StatementInfo incompleteSelect = Stmt.of("SELECT", Kind.READ).table("public.orders", TableUse.READ).incomplete().build();
        return Stream.of(
                new Case("kinds match", oneRule("{kinds: [DDL]}", "deny"), dropInvoices, AGENT, Action.DENY, List.of("r"), List.of("kind DDL")),
                new Case("kinds are any-of", oneRule("{kinds: [WRITE, EXPORT]}", "deny"), readFile, AGENT, Action.DENY, List.of("r"), List.of("kind EXPORT")),
                new Case("kinds miss", oneRule("{kinds: [WRITE]}", "deny"), dropInvoices, AGENT, Action.ALLOW, List.of(), null),
                new Case("operations glob ignoring case", oneRule("{operations: [dr*]}", "deny"), dropInvoices, AGENT, Action.DENY, List.of("r"), List.of("operation DROP")),
                new Case("operations miss", oneRule("{operations: [TRUNCATE]}", "deny"), dropInvoices, AGENT, Action.ALLOW, List.of(), null),
                new Case("tables schema.glob", oneRule("{tables: [\"billing.*\"]}", "deny"), dropInvoices, AGENT, Action.DENY, List.of("r"), List.of("table billing.invoices")),
                new Case("tables bare name in any schema", oneRule("{tables: [invoices]}", "deny"), dropInvoices, AGENT, Action.DENY, List.of("r"), List.of("table billing.invoices")),
                new Case("tables other schema misses", oneRule("{tables: [\"public.*\"]}", "deny"), dropInvoices, AGENT, Action.ALLOW, List.of(), null),
                new Case("columns any schema", oneRule("{columns: [\"*.users.ssn\"]}", "review"), selectSsn, AGENT, Action.REVIEW, List.of("r"), List.of("column public.users.ssn")),
                new Case("columns table.column", oneRule("{columns: [users.ssn]}", "review"), selectSsn, AGENT, Action.REVIEW, List.of("r"), List.of("column public.users.ssn")),
                new Case("columns bare column", oneRule("{columns: [ssn]}", "review"), selectSsn, AGENT, Action.REVIEW, List.of("r"), List.of("column public.users.ssn")),
                new Case("columns match writes too", oneRule("{columns: [status]}", "review"), updateAll, AGENT, Action.REVIEW, List.of("r"), List.of("column public.orders.status")),
                new Case("columns miss", oneRule("{columns: [\"*.users.password\"]}", "review"), selectSsn, AGENT, Action.ALLOW, List.of(), null),
                new Case("functions bare name matches qualified call", oneRule("{functions: [pg_read_file]}", "deny"), readFile, AGENT, Action.DENY, List.of("r"), List.of("function pg_catalog.pg_read_file")),
                new Case("functions qualified pattern", oneRule("{functions: [\"pg_catalog.pg_*\"]}", "deny"), readFile, AGENT, Action.DENY, List.of("r"), List.of("function pg_catalog.pg_read_file")),
                new Case("functions miss", oneRule("{functions: [lo_export]}", "deny"), readFile, AGENT, Action.ALLOW, List.of(), null),
                new Case("principals glob", oneRule("{principals: [\"agent-*\"]}", "review"), selectSsn, AGENT, Action.REVIEW, List.of("r"), List.of("principal agent-7")),
                new Case("principals are case sensitive", oneRule("{principals: [\"AGENT-*\"]}", "review"), selectSsn, AGENT, Action.ALLOW, List.of(), null),
                new Case("principals ignore acting-for", oneRule("{principals: [alice]}", "allow"), selectSsn, new Principal("agent-7", "alice"), Action.ALLOW, List.of(), null),
                new Case("unbounded true", oneRule("{kinds: [WRITE], unbounded: true}", "review"), updateAll, AGENT, Action.REVIEW, List.of("r"), List.of("kind WRITE", "unbounded")),
                new Case("unbounded true misses bounded", oneRule("{unbounded: true}", "review"), selectSsn, AGENT, Action.ALLOW, List.of(), null),
                new Case("unbounded false matches bounded", oneRule("{unbounded: false}", "review"), selectSsn, AGENT, Action.REVIEW, List.of("r"), List.of("bounded")),
                new Case("all fields must hold", oneRule("{kinds: [DDL], tables: [\"public.*\"]}", "deny"), dropInvoices, AGENT, Action.ALLOW, List.of(), null),
                new Case("except exempts", "version: 1\nrules:\n  - id: pii\n    match: {columns: [ssn]}\n    except: {principals: [\"dba-*\"]}\n    action: review\n",
                        selectSsn, Principal.of("dba-alice"), Action.ALLOW, List.of(), null),
                new Case("except does not exempt others", "version: 1\nrules:\n  - id: pii\n    match: {columns: [ssn]}\n    except: {principals: [\"dba-*\"]}\n    action: review\n",
                        selectSsn, AGENT, Action.REVIEW, List.of("pii"), List.of("column public.users.ssn")),
                new Case("except on tables cannot be proven with incomplete lineage", "version: 1\nrules:\n  - id: no-reads\n    match: {kinds: [READ]}\n    except: {tables: [\"public.*\"]}\n    action: deny\n",
                        Stmt.of("SELECT", Kind.READ).table("other.t", TableUse.READ).incomplete().build(), AGENT, Action.DENY, List.of("no-reads"),
                        List.of("kind READ", "except not proven: lineage incomplete")),
                new Case("unknown gets unparsed default", oneRule("{kinds: [DDL]}", "deny"), Stmt.unknown("FROB x"), AGENT, Action.REVIEW, List.of(), null),
                new Case("unknown: table rules are not listed as possible matches", oneRule("{tables: [\"billing.*\"]}", "deny"), Stmt.unknown("FROB x"), AGENT, Action.REVIEW, List.of(), null),
                new Case("unknown with unparsed deny", "version: 1\ndefaults: {unparsed: deny}\n", Stmt.unknown("FROB x"), AGENT, Action.DENY, List.of(), null),
                new Case("allow rule cannot lower an unknown statement", oneRule("{principals: [\"*\"]}", "allow"), Stmt.unknown("FROB x"), AGENT, Action.REVIEW, List.of("r"), null),
                new Case("rule on UNKNOWN kind is stricter than the default", oneRule("{kinds: [UNKNOWN]}", "deny"), Stmt.unknown("FROB x"), AGENT, Action.DENY, List.of("r"), List.of("kind UNKNOWN")),
                new Case("otherwise deny with no rule", "version: 1\ndefaults: {otherwise: deny}\n", selectSsn, AGENT, Action.DENY, List.of(), null),
                new Case("allow rule whitelists under otherwise deny", "version: 1\ndefaults: {otherwise: deny}\nrules:\n  - id: reads\n    match: {kinds: [READ]}\n    action: allow\n",
                        selectSsn, AGENT, Action.ALLOW, List.of("reads"), List.of("kind READ")),
                new Case("incomplete lineage: table rule is a possible match", oneRule("{kinds: [READ], tables: [\"billing.*\"]}", "deny"), incompleteSelect, AGENT,
                        Action.REVIEW, List.of("r"), List.of("kind READ", "lineage incomplete")),
                new Case("incomplete lineage: known table still matches for real", oneRule("{tables: [\"public.orders\"]}", "deny"), incompleteSelect, AGENT,
                        Action.DENY, List.of("r"), List.of("table public.orders")),
                new Case("incomplete lineage: other criteria must still hold", oneRule("{kinds: [WRITE], tables: [\"billing.*\"]}", "deny"), incompleteSelect, AGENT,
                        Action.ALLOW, List.of(), null),
                new Case("incomplete lineage: allow rule is not granted on a guess", "version: 1\ndefaults: {otherwise: deny}\nrules:\n  - id: r\n    match: {tables: [\"billing.*\"]}\n    action: allow\n",
                        incompleteSelect, AGENT, Action.DENY, List.of(), null),
                new Case("complete lineage: table miss is a miss", oneRule("{tables: [\"billing.*\"]}", "deny"),
                        Stmt.of("SELECT", Kind.READ).table("public.orders", TableUse.READ).build(), AGENT, Action.ALLOW, List.of(), null),
                new Case("shadow rule is reported not enforced", "version: 1\nrules:\n  - id: r\n    match: {kinds: [DDL]}\n    action: deny\n    mode: shadow\n",
                        dropInvoices, AGENT, Action.ALLOW, List.of("r"), List.of("kind DDL")),
                new Case("shadow policy is reported not enforced", "version: 1\nmode: shadow\nrules:\n  - id: r\n    match: {kinds: [DDL]}\n    action: deny\n",
                        dropInvoices, AGENT, Action.ALLOW, List.of("r"), List.of("kind DDL")));
    }

    @TestFactory
    Stream<DynamicTest> decides() {
        return cases().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            StatementDecision d = new PolicyEngine(policy(c.policy())).decide(c.statement(), c.principal());
            assertEquals(c.expected(), d.verdict().action(), () -> "verdict " + d.verdict());
            assertEquals(c.hitIds(), d.verdict().hits().stream().map(RuleHit::ruleId).toList());
            if (c.facts() != null) {
                assertEquals(c.facts(), d.verdict().hits().get(0).facts());
            }
            assertEquals(c.statement(), d.statement());
        }));
    }

    static final String MANY = """
            version: 1
            approvers: { dba: [alice, bob, carol], sec: [dave] }
            rules:
              - id: ddl-review
                match: { kinds: [DDL] }
                action: review
                approvers: [dba]
                quorum: 2
                expires: 2h
              - id: billing-deny
                match: { tables: ["billing.*"] }
                action: deny
                reason: billing is append-only
              - id: drops-review
                match: { operations: [DROP] }
                action: review
                approvers: [sec]
                expires: 10m
                approval_expires: 5m
                on_hold: fail
              - id: ddl-allow
                match: { kinds: [DDL] }
                action: allow
              - id: new-idea
                match: { kinds: [DDL] }
                action: deny
                mode: shadow
            """;

    @Test
    void strictestWinsWhateverTheRuleOrder() {
        StatementInfo drop = Stmt.of("DROP", Kind.DDL).table("billing.invoices", TableUse.DDL).build();
        List<String> blocks = ruleBlocks(MANY);
        String header = MANY.substring(0, MANY.indexOf("  - id:"));
        for (int rotation = 0; rotation < blocks.size(); rotation++) {
            List<String> order = new ArrayList<>(blocks);
            Collections.rotate(order, rotation);
            Policy p = policy(header + String.join("", order));
            StatementDecision d = new PolicyEngine(p).decide(drop, AGENT);
            Verdict.Deny deny = assertInstanceOf(Verdict.Deny.class, d.verdict(), "rotation " + rotation);
            assertEquals("billing-deny: billing is append-only", deny.reason());
            assertEquals(Set.of("ddl-review", "billing-deny", "drops-review", "ddl-allow", "new-idea"),
                    Set.copyOf(deny.hits().stream().map(RuleHit::ruleId).toList()));
            assertTrue(deny.hits().stream().filter(h -> h.ruleId().equals("new-idea")).allMatch(RuleHit::shadow));
        }
    }

    @Test
    void reviewRulesMergeTheirNeeds() {
        StatementInfo drop = Stmt.of("DROP", Kind.DDL).table("public.t", TableUse.DDL).build();
        StatementDecision d = new PolicyEngine(policy(MANY)).decide(drop, AGENT);
        Verdict.Review review = assertInstanceOf(Verdict.Review.class, d.verdict());
        assertEquals(new ReviewSpec(Set.of("dba", "sec"), 2, Duration.ofMinutes(10), Duration.ofMinutes(5), ReviewSpec.HoldMode.FAIL), review.review());
        assertEquals("ddl-review; drops-review", review.reason());
    }

    @Test
    void submissionIsTheStrictestStatement() {
        Policy p = policy(MANY);
        StatementInfo read = Stmt.of("SELECT", Kind.READ).table("public.t", TableUse.READ).build();
        StatementInfo alter = Stmt.of("ALTER", Kind.DDL).table("public.t", TableUse.DDL).build();
        StatementInfo drop = Stmt.of("DROP", Kind.DDL).table("billing.x", TableUse.DDL).build();
        Decision reviewOnly = new PolicyEngine(p).decide(List.of(read, alter), AGENT);
        assertInstanceOf(Verdict.Allow.class, reviewOnly.statements().get(0).verdict());
        Verdict.Review r = assertInstanceOf(Verdict.Review.class, reviewOnly.verdict());
        assertEquals(2, r.review().quorum());
        assertEquals(p.version(), reviewOnly.policyVersion());
        Decision denied = new PolicyEngine(p).decide(List.of(read, alter, drop), AGENT);
        Verdict.Deny deny = assertInstanceOf(Verdict.Deny.class, denied.verdict());
        assertEquals("billing-deny: billing is append-only", deny.reason());
        assertEquals(3, denied.statements().size());
        assertEquals(denied.statements().get(1).verdict().hits().size() + denied.statements().get(2).verdict().hits().size(),
                deny.hits().size(), "the submission carries every statement's hits");
    }

    @Test
    void aPossibleMatchSaysSoInTheReason() {
        Policy p = policy("version: 1\ndefaults: {unparsed: deny}\nrules:\n  - id: billing\n    match: {tables: [\"billing.*\"]}\n    action: review\n    reason: money\n");
        StatementInfo s = Stmt.of("SELECT", Kind.READ).table("public.t", TableUse.READ).incomplete().build();
        Verdict.Deny deny = assertInstanceOf(Verdict.Deny.class, new PolicyEngine(p).decide(s, AGENT).verdict(),
                "a possible match contributes defaults.unparsed, here deny");
        assertEquals("billing (possible match, lineage incomplete): money", deny.reason());
    }

    @Test
    void emptySubmissionAllows() {
        Decision d = new PolicyEngine(policy(MANY)).decide(List.of(), AGENT);
        assertInstanceOf(Verdict.Allow.class, d.verdict());
    }

    @Test
    void unknownStatementExplainsItself() {
        Decision d = new PolicyEngine(policy("version: 1\n")).decide(List.of(Stmt.unknown("FROB")), AGENT);
        Verdict.Review r = assertInstanceOf(Verdict.Review.class, d.verdict());
        assertEquals("statement not understood, defaults.unparsed applies (could not read it)", r.reason());
        assertEquals(ReviewSpec.DEFAULT, r.review());
    }

    private static List<String> ruleBlocks(String yaml) {
        List<String> blocks = new ArrayList<>();
        int at = yaml.indexOf("  - id:");
        while (at >= 0) {
            int next = yaml.indexOf("  - id:", at + 1);
            blocks.add(next < 0 ? yaml.substring(at) : yaml.substring(at, next));
            at = next;
        }
        return blocks;
    }
}
