package dev.gatehouse.approvals.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.store.Store;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit's bounds and escaping; export and verify on a real H2 store. */
class AuditTextTest {
    @Test
    void aCutNeverSplitsACharacterAndStaysWithinTheBound() {
        String s = "ab\uD83D\uDE00é";  // 1 + 1 + 4 + 2 bytes
        assertEquals(2, AuditText.prefixLength(s, 5), "the pair does not fit in 3 bytes: not split");
        assertEquals(4, AuditText.prefixLength(s, 6));
        assertEquals(4, AuditText.prefixLength(s, 7), "é needs 2 bytes");
        assertEquals(5, AuditText.prefixLength(s, 8));
        assertEquals(1, AuditText.prefixLength("a\uD800b", 3), "a lone surrogate counts 3 bytes");
        assertEquals(8, AuditText.utf8Length(s));
    }

    @Test
    void theHashIsSha256OfUtf8AndTellsLoneSurrogatesApart() throws Exception {
        String s = "select 'naïve \uD83D\uDE00'";
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))),
                AuditText.sha256(s));
        assertNotEquals(AuditText.sha256("x\uD800"), AuditText.sha256("x?"), "String.getBytes would make them equal");
        assertNotEquals(AuditText.sha256("x\uD800"), AuditText.sha256("x\uD801"));
        String big = "é".repeat(10_000) + "\uD83D\uDE00".repeat(3_000); // crosses the 8 KiB buffer mid-character
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big.getBytes(StandardCharsets.UTF_8))),
                AuditText.sha256(big));
    }

    @Test
    void shortTextIsKeptAsItIsAndValuesShareOneBudget() {
        Map<String, Object> m = new LinkedHashMap<>();
        AuditText.putSql(m, "sql", "select 1");
        AuditText.putParameters(m, List.of("a", "b"));
        assertEquals(Map.of("sql", "select 1", "parameters", List.of("a", "b")), m, "ordinary records look as before");

        Map<String, Object> big = new LinkedHashMap<>();
        String half = "x".repeat(AuditText.MAX_PARAMETER_BYTES / 2);
        java.util.ArrayList<String> values = new java.util.ArrayList<>(List.of(half, half + "y", "z"));
        values.add(1, null);
        AuditText.putParameters(big, values);
        assertEquals(java.util.Arrays.asList(half, null, half), big.get("parameters"), "cut where the budget ends");
        assertEquals(true, big.get("parameters_truncated"));
        assertEquals(4, big.get("parameters_count"));
    }

    @Test
    void unpairedSurrogatesAreEscapedAndReadBackAsTheSameString() {
        Map<String, Object> m = Map.of("k\uDC00", List.of("\uD800", "a\uD83D\uDE00b", "\uDFFF\uD800", "nul\u0000"));
        String json = CanonicalJson.write(m);
        assertFalse(CanonicalJson.hasUnpairedSurrogate(json), json);
        assertEquals("{\"k\\uDC00\":[\"\\uD800\",\"a\uD83D\uDE00b\",\"\\uDFFF\\uD800\",\"nul\\u0000\"]}", json);
        assertEquals(m, CanonicalJson.read(json));
        assertEquals(json, CanonicalJson.write(CanonicalJson.read(json)), "canonical: a fixed point");
    }

    @Test
    void exportGoesPastARecordItCannotReadAndVerifyNamesTheSameRecord() throws Exception {
        TestStores ts = TestStores.h2();
        try (Store store = ts.open()) {
            for (int i = 0; i < 3; i++) {
                AuditLog.append(store, new AuditRecord("decision.deny", null, "p1", "a1", i, Map.of("sql", "select " + i)));
            }
            ts.sql("UPDATE gh_audit SET record = 'not json \u0001' WHERE seq = 2");
            AuditVerifier.Result r = AuditVerifier.verify(store);
            assertEquals(2, r.problem().orElseThrow().seq());
            StringWriter out = new StringWriter();
            assertEquals(new AuditVerifier.Exported(3, 1), AuditVerifier.export(store, out));
            String[] lines = out.toString().split("\n");
            assertEquals(3, lines.length);
            Map<String, Object> bad = CanonicalJson.read(lines[1]);
            assertEquals(2, bad.get("seq"));
            assertEquals("not json \u0001", bad.get("raw"));
            assertTrue(bad.containsKey("unreadable") && bad.containsKey("hash"), lines[1]);
            assertEquals("select 2", ((Map<?, ?>) CanonicalJson.read(lines[2]).get("data")).get("sql"));
        } finally {
            ts.drop();
        }
    }
}
