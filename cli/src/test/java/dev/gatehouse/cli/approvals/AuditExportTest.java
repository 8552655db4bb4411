package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.audit.AuditLog;
import dev.gatehouse.approvals.audit.AuditRecord;
import dev.gatehouse.approvals.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 through the commands: {@code audit export} renders every record (a lone surrogate, NUL, an edited
 * record) and never stops; {@code audit verify} and {@code export} agree. A real H2 store file.
 */
class AuditExportTest {
    @TempDir
    Path dir;

    @Test
    void exportRendersEveryRecordAndAgreesWithVerify() throws Exception {
        String store = "jdbc:h2:file:" + dir.resolve("store");
        try (Store s = Store.open(store, "sa", "", 2)) {
            AuditLog.append(s, new AuditRecord("decision.deny", null, "p1", "a1", 1L, Map.of("sql", "select '\uD800'")));
            AuditLog.append(s, new AuditRecord("decision.deny", null, "p1", "a1", 2L, Map.of("sql", "select 'a\u0000\u001b'",
                    "parameters", List.of("\uDC00x"))));
            AuditLog.append(s, new AuditRecord("decision.deny", null, "p1", "a1", 3L, Map.of("sql", "select 3")));
        }
        Path out = dir.resolve("audit.jsonl");
        Ran verify = Ran.main("audit", "verify", "--store", store);
        assertEquals(0, verify.exit(), verify.err());
        assertTrue(verify.out().contains("3 records, chain intact"), verify.out());
        Ran export = Ran.main("audit", "export", "--out", out.toString(), "--store", store);
        assertEquals(0, export.exit(), export.err());
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), "as many lines as verify counted records");
        assertTrue(lines.get(0).contains("select '\\uD800'"), lines.get(0));
        assertTrue(lines.get(1).contains("\\u0000\\u001B") && lines.get(1).contains("\\uDC00x"), lines.get(1));

        // An edited record: verify names it, export still renders every record and says so (exit 1 both).
        try (Connection c = DriverManager.getConnection(store, "sa", ""); Statement st = c.createStatement()) {
            st.execute("UPDATE gh_audit SET record = 'edited, not JSON' WHERE seq = 2");
        }
        Ran broken = Ran.main("audit", "verify", "--store", store);
        assertEquals(1, broken.exit(), broken.out());
        assertTrue(broken.out().contains("BROKEN at record 2"), broken.out());
        Ran exportBroken = Ran.main("audit", "export", "--out", out.toString(), "--store", store);
        assertEquals(1, exportBroken.exit(), exportBroken.err());
        assertTrue(exportBroken.err().contains("1 records are not JSON objects"), exportBroken.err());
        lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), "it did not stop at record 2");
        assertTrue(lines.get(1).contains("\"raw\":\"edited, not JSON\"") && lines.get(1).contains("\"unreadable\""), lines.get(1));
        assertTrue(lines.get(2).contains("select 3"), lines.get(2));
    }
}
