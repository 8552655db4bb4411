package dev.gatehouse.gate;

import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.Stmt;
import dev.gatehouse.policy.Verdict;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Analyzer;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.analysis.TableUse;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.catalog.Relation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GateTest {
    static final Principal ALICE = Principal.of("alice");
    static final Principal BOB = Principal.of("bob");
    /** Text no analyzer reads as SQL: its decision comes from the policy's defaults and principal rules alone. */
    static final String UNREADABLE = "FROB the database";

    static Policy policy(String yaml) throws PolicyException {
        return Policy.parse("p.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    }

    static final String ALICE_DENIED = """
            version: 1
            rules:
              - id: no-alice
                match: { principals: [alice] }
                action: deny
            """;

    /** A catalog with one table whose version is chosen by the test. */
    static Catalog catalog(long version) {
        return new Catalog() {
            @Override public Optional<Relation> find(TableName name) { return Optional.empty(); }
            @Override public boolean hasSchema(String schema) { return "public".equals(schema); }
            @Override public long version() { return version; }
        };
    }

    /** Trims and replaces every digit run with '?': enough of a fingerprint to exercise the second cache level. */
    static String digitsOut(String submission, Dialect dialect) {
        String sql = submission.strip();
        StringBuilder out = new StringBuilder(sql.length());
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (Character.isDigit(c)) {
                if (out.isEmpty() || out.charAt(out.length() - 1) != '?') {
                    out.append('?');
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A gate over stated analyses, counting how often analysis really runs. */
    static Gate counting(AtomicInteger calls, Gate.Analysis analysis, String policyYaml) throws PolicyException {
        Gate.Analysis counted = (sql, schema, user) -> {
            calls.incrementAndGet();
            return analysis.analyze(sql, schema, user);
        };
        return new Gate(Gate.newCache(100), Dialect.POSTGRES, Catalog.EMPTY, counted, GateTest::digitsOut,
                new PolicyEngine(policy(policyYaml)));
    }

    @Test
    void repeatedTextIsAnsweredFromTheCache() throws PolicyException {
        Gate gate = new Gate(new Analyzer(Dialect.POSTGRES, Catalog.EMPTY), policy(ALICE_DENIED));
        Decision first = gate.decide("SELECT 1", "public", BOB);
        assertSame(first, gate.decide("SELECT 1", "public", BOB));
        assertSame(first, gate.decide("SELECT 1", "public", Principal.of("bob")), "equal principals share entries");
    }

    @Test
    void aDifferentPrincipalNeverReusesAnEntry() throws PolicyException {
        Gate gate = new Gate(new Analyzer(Dialect.POSTGRES, Catalog.EMPTY), policy(ALICE_DENIED));
        assertEquals(Action.DENY, gate.decide(UNREADABLE, "public", ALICE).verdict().action());
        // Not SQL, so bob falls to defaults.unparsed, not alice's deny.
        assertEquals(Action.REVIEW, gate.decide(UNREADABLE, "public", BOB).verdict().action());
        assertEquals(Action.REVIEW, gate.decide(UNREADABLE, "public", new Principal("bob", "alice")).verdict().action(),
                "acting for alice is another principal, and does not make bob alice");
    }

    @Test
    void aDifferentPolicyVersionNeverReusesAnEntry() throws PolicyException {
        Gate gate = new Gate(new Analyzer(Dialect.POSTGRES, Catalog.EMPTY), policy(ALICE_DENIED));
        Decision before = gate.decide(UNREADABLE, "public", ALICE);
        Gate relaxed = gate.withPolicy(policy("version: 1\n"));
        Decision after = relaxed.decide(UNREADABLE, "public", ALICE);
        assertEquals(Action.DENY, before.verdict().action());
        assertEquals(Action.REVIEW, after.verdict().action());
        assertEquals(relaxed.policy().version(), after.policyVersion());
        assertSame(before, gate.withPolicy(policy(ALICE_DENIED)).decide(UNREADABLE, "public", ALICE),
                "the same policy content shares the cache entry");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "search path differs      | public     | app,public",
            "search path order        | a,b        | b,a",
            "no default schema        | public     | ",
    })
    void aDifferentSearchPathNeverReusesAnEntry(String name, String first, String second) throws PolicyException {
        AtomicInteger calls = new AtomicInteger();
        Gate gate = counting(calls, (sql, schema, user) -> List.of(Stmt.of("SELECT", Kind.READ).sql(sql + " in " + schema).build()), "version: 1\n");
        Decision a = gate.decide("SELECT 1", first, BOB);
        Decision b = gate.decide("SELECT 1", second, BOB);
        assertNotSame(a, b);
        assertEquals(2, calls.get());
        assertEquals("SELECT 1 in " + second, b.statements().get(0).statement().sql());
    }

    @Test
    void aDifferentCatalogVersionNeverReusesAnEntry() throws PolicyException {
        Gate gate = new Gate(new Analyzer(Dialect.POSTGRES, catalog(1)), policy(ALICE_DENIED));
        Decision v1 = gate.decide("SELECT 1", "public", BOB);
        assertNotSame(v1, gate.withCatalog(catalog(2)).decide("SELECT 1", "public", BOB));
        assertSame(v1, gate.withCatalog(catalog(1)).decide("SELECT 1", "public", BOB));
    }

    @Test
    void textsDifferingInLiteralsShareOneAnalysis() throws PolicyException {
        AtomicInteger calls = new AtomicInteger();
        Gate gate = counting(calls, (sql, schema, user) -> List.of(Stmt.of("SELECT", Kind.READ).sql(sql)
                .table("public.users", TableUse.READ).read("public.users.ssn").build()),
                "version: 1\nrules:\n  - id: pii\n    match: {columns: [ssn]}\n    action: review\n");
        Decision first = gate.decide("SELECT ssn FROM users WHERE id = 1", "public", BOB);
        Decision second = gate.decide("  SELECT ssn FROM users WHERE id = 22  ", "public", BOB);
        assertEquals(1, calls.get(), "the second text was decided by its fingerprint");
        assertSame(first.verdict(), second.verdict());
        assertEquals("SELECT ssn FROM users WHERE id = 22", second.statements().get(0).statement().sql(),
                "the caller sees its own text, not the text that filled the cache");
        assertEquals(List.of("pii"), second.verdict().hits().stream().map(h -> h.ruleId()).toList());
        gate.decide("  SELECT ssn FROM users WHERE id = 22  ", "public", ALICE);
        assertEquals(2, calls.get(), "the fingerprint entry is per principal too");
    }

    @Test
    void theDecisionForAVerdictAnswersLikeTheDecisionOnEveryPathAndReportsTheOwnTextOnDemand() throws PolicyException {
        AtomicInteger calls = new AtomicInteger();
        Gate gate = counting(calls, (sql, schema, user) -> sql.contains("boom") ? failAnalysis()
                : List.of(Stmt.of("SELECT", Kind.READ).sql(sql).table("public.users", TableUse.READ)
                        .read("public.users.ssn").build()),
                "version: 1\nrules:\n  - id: pii\n    match: {columns: [ssn]}\n    action: review\n");
        Decision fresh = gate.decideForVerdict("SELECT ssn FROM users WHERE id = 1", "public", BOB);
        Decision exact = gate.decideForVerdict("SELECT ssn FROM users WHERE id = 1", "public", BOB);
        Decision byShape = gate.decideForVerdict("SELECT ssn FROM users WHERE id = 7", "public", BOB);
        assertEquals(1, calls.get(), "the repeat and the other literal came from the cache");
        Verdict.Review review = assertInstanceOf(Verdict.Review.class, fresh.verdict());
        assertSame(review, exact.verdict());
        assertSame(review, byShape.verdict());
        assertSame(review, gate.decide("SELECT ssn FROM users WHERE id = 9", "public", BOB).verdict());
        assertSame(exact, Gate.reporting(exact, "SELECT ssn FROM users WHERE id = 1"), "its own text already");
        assertEquals("SELECT ssn FROM users WHERE id = 1", byShape.statements().get(0).statement().sql(),
                "shared by shape: as cached");
        Decision own = Gate.reporting(byShape, " SELECT ssn FROM users WHERE id = 7;");
        assertEquals("SELECT ssn FROM users WHERE id = 7", own.statements().get(0).statement().sql());
        assertSame(review, own.verdict());
        assertEquals(1, calls.get(), "reporting the own text analyses nothing");
        Verdict.Deny failed = assertInstanceOf(Verdict.Deny.class,
                gate.decideForVerdict("SELECT boom", "public", BOB).verdict(),
                "an internal error still denies when only the verdict is asked for");
        assertEquals("internal error: IllegalStateException: boom", failed.reason());
    }

    private static List<StatementInfo> failAnalysis() {
        throw new IllegalStateException("boom");
    }

    @Test
    void literalsThatMatterAreNeverSharedByShape() throws PolicyException {
        AtomicInteger calls = new AtomicInteger();
        Gate gate = counting(calls, (sql, schema, user) -> List.of(Stmt.of("UPDATE", Kind.WRITE).sql(sql).literalsMatter().build()), "version: 1\n");
        gate.decide("UPDATE t SET a = 1 WHERE 1 = 1", "public", BOB);
        gate.decide("UPDATE t SET a = 1 WHERE 1 = 2", "public", BOB);
        assertEquals(2, calls.get());
        gate.decide("UPDATE t SET a = 1 WHERE 1 = 2", "public", BOB);
        assertEquals(2, calls.get(), "the exact text is still cached");
    }

    @Test
    void multiStatementSubmissionsAreNotSharedByShape() throws PolicyException {
        AtomicInteger calls = new AtomicInteger();
        Gate gate = counting(calls, (sql, schema, user) -> List.of(Stmt.of("SELECT", Kind.READ).build(), Stmt.of("SELECT", Kind.READ).build()), "version: 1\n");
        gate.decide("SELECT 1; SELECT 2", "public", BOB);
        gate.decide("SELECT 3; SELECT 4", "public", BOB);
        assertEquals(2, calls.get());
    }

    @Test
    void anInternalErrorDeniesAndIsNotCached() throws PolicyException {
        AtomicInteger calls = new AtomicInteger();
        Gate gate = counting(calls, (sql, schema, user) -> {
            throw new IllegalStateException("boom");
        }, "version: 1\ndefaults: {otherwise: allow}\n");
        Decision d = gate.decide("SELECT 1", "public", BOB);
        Verdict.Deny deny = assertInstanceOf(Verdict.Deny.class, d.verdict());
        assertEquals("internal error: IllegalStateException: boom", deny.reason());
        assertEquals("SELECT 1", d.statements().get(0).statement().sql());
        gate.decide("SELECT 1", "public", BOB);
        assertEquals(2, calls.get(), "errors are retried, not remembered");
    }

    @Test
    void aStackOverflowInAnalysisDenies() throws PolicyException {
        Gate gate = counting(new AtomicInteger(), (sql, schema, user) -> {
            throw new StackOverflowError();
        }, "version: 1\n");
        assertInstanceOf(Verdict.Deny.class, gate.decide("SELECT ((((1))))", "public", BOB).verdict());
    }

    @Test
    void theCacheIsBounded() throws PolicyException {
        Gate gate = new Gate(new Analyzer(Dialect.POSTGRES, Catalog.EMPTY), policy("version: 1\n"), 10);
        for (int i = 0; i < 200; i++) {
            gate.decide("SELECT " + i, "public", BOB);
        }
        assertTrue(gate.cachedEntries() <= 10, "entries: " + gate.cachedEntries());
    }

    @Test
    void hugeTextsAreDecidedButNotCached() throws PolicyException {
        AtomicInteger calls = new AtomicInteger();
        Gate gate = counting(calls, (sql, schema, user) -> List.of(Stmt.of("SELECT", Kind.READ).build()), "version: 1\n");
        String huge = "SELECT '" + "x".repeat(Gate.MAX_CACHED_LENGTH) + "'";
        gate.decide(huge, "public", BOB);
        gate.decide(huge, "public", BOB);
        assertEquals(2, calls.get());
        assertEquals(0, gate.cachedEntries());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "plain                 | SELECT 1           | SELECT 1",
            "terminating semicolon | 'SELECT 1;'        | SELECT 1",
            "surrounding space     | '  SELECT 1 ;\n '  | SELECT 1",
    })
    void statementTextTrimsLikeTheSplitter(String name, String submission, String expected) {
        assertEquals(expected, Gate.statementText(submission));
    }

    @Test
    void unreadStatementsGetTheUnparsedDefault() throws PolicyException {
        Gate gate = new Gate(new Analyzer(Dialect.MYSQL, Catalog.EMPTY), policy("version: 1\ndefaults: {unparsed: deny, otherwise: allow}\n"));
        StatementInfo s = gate.decide("FROB the database", "test", BOB).statements().get(0).statement();
        // Holds whatever the analyzer makes of it once built: anything it cannot read is UNKNOWN and denied here.
        if (s.isUnknown()) {
            assertEquals(Action.DENY, gate.decide("FROB the database", "test", BOB).verdict().action());
        } else {
            throw new AssertionError("'FROB the database' is not SQL, yet was read as " + s.kinds());
        }
    }
}
