package dev.gatehouse.sql.pg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The decision cache's shape of PostgreSQL text: plain text is keyed without the JNI scan, and that key must be
 * exactly the one PostgreSQL's scanner gives, or the cache would group texts the server reads differently.
 */
class PgFingerprintTest {

    static Stream<Arguments> plain() {
        return Stream.of(
                arguments("pgbench select", "SELECT abalance FROM pgbench_accounts WHERE aid = 12345;"),
                arguments("pgbench update", "UPDATE pgbench_accounts SET abalance = abalance + -42 WHERE aid = 7;"),
                arguments("insert with strings", "INSERT INTO t (a, b) VALUES (1, 'it''s'), (2, 'x\ny')"),
                arguments("comparison pairs", "SELECT a FROM t WHERE a <= 1 AND b >= 2 AND c <> 3 AND d < 4 AND e > 5"),
                arguments("arithmetic", "SELECT a*2, b/3, c%4, (d-1)+e FROM t"),
                arguments("arrays and dots", "SELECT t.a[1], s.t.b FROM s.t"),
                arguments("largest int", "SELECT 2147483647"),
                arguments("one past the largest int is a float constant", "SELECT 2147483648"),
                arguments("leading zeros", "SELECT 00000000000000012"),
                arguments("two statements", "BEGIN; SELECT 1; COMMIT"),
                arguments("string then name", "SELECT 'a'b"),
                arguments("number then string", "SELECT 1'a'"),
                arguments("non-ASCII inside a string is only its value", "SELECT 'é'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plain")
    void plainTextIsKeyedWithoutTheScannerAndAsTheScannerKeysIt(String name, String sql) {
        String plain = PgFingerprint.plainKey(sql);
        assertNotNull(plain, "plain text");
        assertEquals(PgFingerprint.scanned(sql), plain);
    }

    static Stream<Arguments> notPlain() {
        return Stream.of(
                arguments("line comment", "SELECT 1 -- x"),
                arguments("block comment", "SELECT /* x */ 1"),
                arguments("strings a newline joins", "SELECT 'a'\n'b'"),
                arguments("escape string", "SELECT E'x'"),
                arguments("unicode name", "SELECT U&\"x\""),
                arguments("quoted name", "SELECT \"a\" FROM t"),
                arguments("dollar quote", "SELECT $$x$$"),
                arguments("parameter", "SELECT $1"),
                arguments("cast", "SELECT 1::int"),
                arguments("decimal", "SELECT 1.5"),
                arguments("exponent", "SELECT 1e5"),
                arguments("trailing junk", "SELECT 123abc"),
                arguments("longer operator", "SELECT a FROM t WHERE b =- 1"),
                arguments("not equals with bang", "SELECT a != b"),
                arguments("json operator", "SELECT a->>'k' FROM t"),
                arguments("non-ASCII name", "SELECT é FROM t"),
                arguments("vertical tab", "SELECT 1;\u000bDROP TABLE t"),
                arguments("unterminated string", "SELECT 'x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notPlain")
    void anythingElseIsLeftToTheScanner(String name, String sql) {
        assertNull(PgFingerprint.plainKey(sql));
    }

    @Test
    void intAndFloatConstantsNeverShareAShape() {
        assertNotEquals(PgFingerprint.of("SELECT 2147483647"), PgFingerprint.of("SELECT 2147483648"));
    }

    /** Random texts over the plain alphabet and its near misses: wherever the plain key exists it is the scanner's. */
    @Test
    void generatedTextsAgreeWithTheScanner() {
        String[] parts = {"SELECT", "select", "FROM", "t", "a_1", "x9", "WHERE", " ", "  ", "\n", "\t", "\r\n", "\f",
                "1", "0", "007", "2147483647", "2147483648", "99999999999", "'s'", "'it''s'", "''", "'a\nb'", "'",
                "=", "<", ">", "<=", ">=", "<>", "+", "-", "*", "/", "%", ",", "(", ")", "[", "]", ";", ".", "..",
                "!", "~", "@", "#", "^", "&", "|", "`", "?", ":", "::", "$", "$1", "\"", "\\", "e", "E", "U", "&",
                "1.5", ".5", "1e3", "--", "/*", "*/", "\u000b", "é", "_"};
        SplittableRandom random = new SplittableRandom(11);
        int plain = 0;
        for (int n = 0; n < 100_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int i = 0; i < length; i++) {
                b.append(parts[random.nextInt(parts.length)]);
            }
            String sql = b.toString();
            String key = PgFingerprint.plainKey(sql);
            if (key != null) {
                plain++;
                assertEquals(PgFingerprint.scanned(sql), key, () -> "plain key differs from the scanner's for " + sql);
            }
        }
        assertTrue(plain > 10_000, "enough plain texts were generated: " + plain);
    }

    /** PostgreSQL 15's regression statements, where the corpus is beside the checkout (as in CI). */
    @Test
    void theRegressionCorpusAgreesWithTheScanner() throws Exception {
        Path corpus = Path.of("../../shared/corpus/pg15-regress/corpus.jsonl");
        if (!Files.isRegularFile(corpus)) {
            corpus = Path.of("../shared/corpus/pg15-regress/corpus.jsonl");
        }
        ObjectMapper json = new ObjectMapper();
        int checked = 0;
        if (Files.isRegularFile(corpus)) {
            try (BufferedReader r = Files.newBufferedReader(corpus)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    JsonNode row = json.readTree(line);
                    String sql = row.path("sql").asText();
                    if (sql.length() > PgFingerprint.MAX_SHAPED_CHARS || sql.indexOf('\\') >= 0) {
                        continue;
                    }
                    String key = PgFingerprint.plainKey(sql);
                    if (key != null) {
                        checked++;
                        assertEquals(PgFingerprint.scanned(sql), key, () -> "plain key differs for " + sql);
                    }
                }
            }
        }
        // the statements of this class's own tables always run; the corpus adds thousands where present
        for (String sql : new String[] {"SELECT abalance FROM pgbench_accounts WHERE aid = 12345;",
                "UPDATE pgbench_tellers SET tbalance = tbalance + 5 WHERE tid = 3;"}) {
            assertEquals(PgFingerprint.scanned(sql), PgFingerprint.plainKey(sql));
            checked++;
        }
        assertTrue(checked > 1);
    }
}
