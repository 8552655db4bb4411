package dev.gatehouse.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.audit.AuditVerifier;
import dev.gatehouse.approvals.audit.CanonicalJson;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Verdict;
import dev.gatehouse.sql.Dialect;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Tampering with the audit table by plain SQL, behind the service's back, is reported at the first broken
 * record; on both stores.
 */
class AuditChainTest {
    private record Tamper(String name, String sql, long firstBad, String says) {
    }

    private static final List<Tamper> CASES = List.of(
            new Tamper("edit a record's text", "UPDATE gh_audit SET record = REPLACE(record, 'alice', 'mallory') WHERE seq = 2",
                    2, "edited"),
            new Tamper("edit a record and recompute nothing else", "UPDATE gh_audit SET hash = '" + "1".repeat(64) + "' WHERE seq = 3",
                    3, "edited"),
            new Tamper("delete a middle record", "DELETE FROM gh_audit WHERE seq = 2", 2, "deleted"),
            new Tamper("delete the last record", "DELETE FROM gh_audit WHERE seq = 4", 4, "deleted"),
            new Tamper("reorder two records", "UPDATE gh_audit SET seq = -1 WHERE seq = 2; UPDATE gh_audit SET seq = 2 WHERE seq = 3; UPDATE gh_audit SET seq = 3 WHERE seq = -1",
                    2, "reordered"));

    @TestFactory
    Stream<DynamicContainer> tamperingIsDetected() {
        return Stream.of("h2", "postgres", "mysql").map(kind -> DynamicContainer.dynamicContainer(kind, CASES.stream().map(t ->
                DynamicTest.dynamicTest(t.name(), () -> {
                    TestStores ts = TestStores.of(kind);
                    try (Store store = ts.open();
                         ApprovalService s = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null)) {
                        String id = s.open(Submissions.simple("select ssn from users", Submissions.dba(2))).requestId();
                        s.vote(id, "alice", Vote.Choice.APPROVE, "ok", "api");
                        s.vote(id, "bob", Vote.Choice.APPROVE, "ok", "api");
                        AuditVerifier.Result before = AuditVerifier.verify(store);
                        assertTrue(before.ok(), before.toString());
                        assertEquals(4, before.records());
                        ts.sql(t.sql());
                        AuditVerifier.Result after = AuditVerifier.verify(store);
                        assertEquals(t.firstBad(), after.problem().orElseThrow().seq(), after.toString());
                        assertTrue(after.problem().get().what().contains(t.says()), after.problem().get().what());
                    } finally {
                        ts.drop();
                    }
                }))));
    }

    private record AllowCase(String name, AuditSettings.AllowMode mode, int sampleEvery, long expectedRecords) {
    }

    @TestFactory
    Stream<DynamicTest> allowsAreAuditedAsConfiguredAndDenialsAlways() {
        return Stream.of(
                new AllowCase("off: only the denial", AuditSettings.AllowMode.OFF, 1, 1),
                new AllowCase("sampled one in five of ten allows, plus the denial", AuditSettings.AllowMode.SAMPLED, 5, 3),
                new AllowCase("all ten allows, plus the denial", AuditSettings.AllowMode.ALL, 1, 11))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    TestStores ts = TestStores.h2();
                    try (Store store = ts.open(); ApprovalService s = new ApprovalService(store, Submissions.APPROVERS,
                            ServiceOptions.defaults().withAudit(new AuditSettings(c.mode(), c.sampleEvery(), false)), null)) {
                        Source src = new Source(Source.Channel.PROXY, "", "", "shop");
                        Decision allow = new Decision(new Verdict.Allow(List.of()), List.of(), "p1");
                        for (int i = 0; i < 10; i++) {
                            s.auditDecision("app", null, src, "select " + i, List.of(), allow, "a1", Dialect.POSTGRES);
                        }
                        Decision deny = new Decision(new Verdict.Deny(List.of(), "no"), List.of(), "p1");
                        s.auditDecision("app", null, src, "drop table t", List.of(), deny, "a1", Dialect.POSTGRES);
                        AuditVerifier.Result r = AuditVerifier.verify(store);
                        assertTrue(r.ok(), r.toString());
                        assertEquals(c.expectedRecords(), r.records());
                    } finally {
                        ts.drop();
                    }
                }));
    }

    @Test
    void canonicalJsonSortsKeysAtEveryDepthAndHasNoWhiteSpace() {
        assertEquals("{\"a\":[1,{\"x\":null,\"y\":\"é \\\"q\\\"\"}],\"b\":true}",
                CanonicalJson.write(Map.of("b", true, "a", List.of(1, new java.util.HashMap<>(Map.of("y", "é \"q\"")) {{
                    put("x", null);
                }}))));
    }

    @Test
    void exportWritesOneJsonLinePerRecordAndRedactionHidesValues() throws Exception {
        TestStores ts = TestStores.h2();
        try (Store store = ts.open(); ApprovalService s = new ApprovalService(store, Submissions.APPROVERS,
                ServiceOptions.defaults().withAudit(new AuditSettings(AuditSettings.AllowMode.ALL, 1, true)), null)) {
            s.open(Submissions.under(Submissions.simple("select ssn from users where id = 'secret-literal'",
                    Submissions.dba(1)), "billing, public"));
            Decision allow = new Decision(new Verdict.Allow(List.of()), List.of(), "policy-v1");
            s.auditDecision("agent-7", null, new Source(Source.Channel.PROXY, "", "", "shop"),
                    "select 1 where 'secret-literal' = 'x'", List.of("secret-param"), allow, "analyzer-1", Dialect.POSTGRES);
            StringWriter out = new StringWriter();
            assertEquals(new AuditVerifier.Exported(2, 0), AuditVerifier.export(store, out));
            String[] lines = out.toString().split("\n");
            assertEquals(2, lines.length);
            Map<String, Object> first = CanonicalJson.read(lines[0]);
            assertEquals("request.created", first.get("type"));
            assertEquals("policy-v1", first.get("policy_version"));
            assertEquals("analyzer-1", first.get("analyzer_version"));
            assertTrue(first.containsKey("hash"));
            assertEquals("billing, public", ((Map<?, ?>) first.get("data")).get("search_path"),
                    "what an approval is bound to is in its audit record");
            assertEquals("decision.allow", CanonicalJson.read(lines[1]).get("type"));
            assertTrue(!out.toString().contains("secret-literal") && !out.toString().contains("secret-param"), out.toString());
        } finally {
            ts.drop();
        }
    }
}
