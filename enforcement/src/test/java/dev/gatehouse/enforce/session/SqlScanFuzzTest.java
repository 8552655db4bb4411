package dev.gatehouse.enforce.session;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.pg.PgQuery;
import dev.gatehouse.sql.pg.PgScan;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the session scan, both dialects. Input: the first byte picks the dialect (odd: MySQL,
 * even: PostgreSQL; the seeds start with 'M' or 'P'), the rest is the SQL text in UTF-8. Without JAZZER_FUZZ this
 * runs the seeds and every input fuzzing found, in {@code SqlScanFuzzTestInputs/scan}; {@code benchmarks/fuzz.sh}
 * runs it coverage-guided.
 *
 * <p>Properties, beyond "throws nothing":
 * <ul>
 * <li>the cached answer equals a fresh reading (the answer depends on the text alone);</li>
 * <li>an unreadable text touches the session and the schema, and has no other effect than being unreadable;</li>
 * <li>PostgreSQL: the token pre-check is sound: for either reading of backslashes, when it finds nothing that can
 *     change the session, the parse tree finds nothing either (or the parser refuses the text);</li>
 * <li>PostgreSQL: every prepared name fits in 63 bytes, and declaring each body again as the proxy does for the
 *     policy ({@code PREPARE "name" AS body}) reads back the same name and body; every EXECUTEd name quoted reads
 *     back the same.</li>
 * </ul>
 */
class SqlScanFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void scan(byte[] data) {
        Dialect dialect = data.length > 0 && (data[0] & 1) == 1 ? Dialect.MYSQL : Dialect.POSTGRES;
        String sql = data.length == 0 ? "" : new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
        SqlScan scan = SqlScan.of(sql, dialect);
        assertEquals(ScanCache.read(sql, dialect), scan, () -> "cached answer differs for " + quoted(sql));
        if (!scan.readable()) {
            assertEquals(SqlScan.UNREADABLE_TEXT, scan, () -> quoted(sql));
            assertTrue(scan.touchesSession() && scan.changesSchema());
        }
        if (dialect == Dialect.POSTGRES && PgQuery.available() && sql.length() <= 4096) {
            preCheckIsSound(sql, true);
            preCheckIsSound(sql, false);
            namesReadBack(scan, sql);
        }
    }

    private static void preCheckIsSound(String sql, boolean standardConformingStrings) {
        PgScan tokens = PgQuery.scan(sql, standardConformingStrings);
        if (!tokens.ok() || PgSessionReader.mayChangeSession(sql, tokens)) {
            return;
        }
        SqlScan tree = PgSessionReader.readTree(sql, tokens, standardConformingStrings);
        if (tree != null) {
            assertEquals(SqlScan.NONE, tree, () -> "the token pre-check missed what the tree shows in " + quoted(sql));
        }
    }

    private static void namesReadBack(SqlScan scan, String sql) {
        for (SessionEffect e : scan.effects()) {
            if (e instanceof SessionEffect.Prepare p) {
                assertTrue(p.name().getBytes(StandardCharsets.UTF_8).length <= 63, () -> "name " + p.name());
                SqlScan again = SqlScan.of("PREPARE " + quotedName(p.name()) + " AS " + p.body());
                // The same declaration; a body that calls set_config also shows that setting (read at PREPARE).
                List<SessionEffect> declared = new java.util.ArrayList<>();
                for (SessionEffect d : again.effects()) {
                    if (d instanceof SessionEffect.Prepare) {
                        declared.add(d);
                    }
                }
                assertEquals(List.of(p), declared, () -> "declared again from " + quoted(sql));
            }
        }
        for (String name : scan.executed()) {
            List<String> again = SqlScan.of("EXECUTE " + quotedName(name)).executed();
            assertEquals(List.of(name), again, () -> "EXECUTE name read back from " + quoted(sql));
        }
    }

    /** As the proxy's guard quotes a name when it declares a body for the policy. */
    private static String quotedName(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String quoted(String sql) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append('"').toString();
    }
}
