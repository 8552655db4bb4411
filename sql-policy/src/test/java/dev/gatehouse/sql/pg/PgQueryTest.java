package dev.gatehouse.sql.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** libpg_query through the JNI shim: the real library, no stand-in. */
class PgQueryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void loaded() {
        assertTrue(PgQuery.available(), () -> "libpg_query not loaded: " + PgQuery.unavailableReason());
        assertNull(PgQuery.unavailableReason());
    }

    /** Run in a JVM of its own that believes it is on another platform: every call fails, naming it. */
    public static final class OtherPlatform {
        public static void main(String[] args) {
            PgParse p = PgQuery.parse("SELECT 1", true);
            PgScan s = PgQuery.scan("SELECT 1", true);
            System.out.println(PgQuery.available() + "|" + p.ok() + "|" + s.ok() + "|" + p.error() + "|" + s.error()
                    + "|" + PgQuery.unavailableReason());
        }
    }

    @Test
    void elsewhereEveryCallFailsNamingThePlatform() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dos.name=Darwin", "-Dos.arch=aarch64", "-cp", System.getProperty("java.class.path"),
                OtherPlatform.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        String reason = "libpg_query is built for Linux x86_64 only; this is Darwin/aarch64";
        assertTrue(out.contains("false|false|false|" + reason + "|" + reason + "|" + reason), out);
    }

    static JsonNode tree(PgParse p) throws Exception {
        assertTrue(p.ok(), () -> "parse failed: " + p.error());
        return JSON.readTree(p.json());
    }

    /** name, text, standard_conforming_strings, statements expected, the first string constant expected (or null). */
    static Stream<Arguments> parses() {
        return Stream.of(
                Arguments.of("nested block comments", "SELECT /* a /* b; */ c; */ 'k'; SELECT 2", true, 2, "k"),
                Arguments.of("dollar quote with a tag", "SELECT $t$ it's ; $$ $t$; SELECT 2", true, 2, " it's ; $$ "),
                Arguments.of("empty dollar tag", "SELECT $$a;b$$", true, 1, "a;b"),
                Arguments.of("E'' string escapes", "SELECT E'a\\'b;'; SELECT 2", true, 2, "a'b;"),
                Arguments.of("E'' string with scs off", "SELECT E'a\\'b;'; SELECT 2", false, 2, "a'b;"),
                Arguments.of("backslash is plain with scs on", "SELECT 'a\\'; SELECT 1 --'", true, 2, "a\\"),
                Arguments.of("backslash escapes with scs off", "SELECT 'a\\'; SELECT 1 --'", false, 1, "a'; SELECT 1 --"),
                Arguments.of("doubled quote", "SELECT 'it''s'", true, 1, "it's"),
                Arguments.of("quoted identifier holding a semicolon", "SELECT 1 AS \"a;b\"; SELECT 2", true, 2, null),
                Arguments.of("U& string", "SELECT U&'d\\0061t\\+000061'", true, 1, "data"),
                Arguments.of("non-ASCII string", "SELECT 'ä😀', 1; SELECT 2", true, 2, "ä😀"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parses")
    void parse(String name, String sql, boolean scs, int statements, String firstString) throws Exception {
        JsonNode t = tree(PgQuery.parse(sql, scs));
        assertEquals(statements, t.get("stmts").size(), name);
        if (firstString != null) assertEquals(firstString, t.findValue("sval").get("sval").asText(), name);
    }

    /** name, text, scs, error message start, char index the error points at. */
    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("syntax error", "SELECT * FROM WHERE", true, "syntax error at or near \"WHERE\"", 14),
                Arguments.of("syntax error after non-ASCII text", "SELECT 'ä😀' FRO x", true, "syntax error at or near \"x\"", 17),
                Arguments.of("end of input", "SELECT 'ä', 1 FROM", true, "syntax error at end of input", 18),
                Arguments.of("unterminated string with scs off", "SELECT 'a\\'", false, "unterminated quoted string", 7),
                Arguments.of("unterminated block comment", "SELECT 1 /* /* */", true, "unterminated /* comment", 9),
                Arguments.of("NUL refused", "SELECT 1\0; DROP TABLE t", true, "text holds a NUL character", 8),
                Arguments.of("lone high surrogate refused", "SELECT '\uD83D'", true, "text holds an unpaired surrogate", 8),
                Arguments.of("lone low surrogate refused", "SELECT 'a\uDE00'", true, "text holds an unpaired surrogate", 9));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void parseError(String name, String sql, boolean scs, String message, int at) {
        PgParse p = PgQuery.parse(sql, scs);
        assertFalse(p.ok(), name);
        assertNull(p.json());
        assertTrue(p.error().startsWith(message), () -> name + ": " + p.error());
        assertEquals(at, p.errorCharIndex(), name);
        PgScan s = PgQuery.scan(sql, scs);
        if (!s.ok()) assertTrue(s.errorCharIndex() >= -1, name);
    }

    @Test
    void statementLocationsAreBytesConvertedToChars() throws Exception {
        String sql = "SELECT 'ä', 1; SELECT 2";
        JsonNode second = tree(PgQuery.parse(sql, true)).get("stmts").get(1);
        int bytes = second.get("stmt_location").asInt();
        assertEquals(15, bytes);
        assertEquals(14, PgQuery.charIndex(sql, bytes));
        assertEquals(" SELECT 2", sql.substring(PgQuery.charIndex(sql, bytes)));
        PgOffsets o = PgOffsets.of("a😀b");
        assertFalse(o.ascii());
        assertEquals(6, o.byteLength());
        assertEquals(1, o.charIndex(1));
        assertEquals(1, o.charIndex(3));  // inside the emoji's bytes
        assertEquals(3, o.charIndex(5));
        assertEquals(6, o.byteOffset(4));
        assertEquals(7, PgQuery.charIndex("SELECT 1", 7));
        assertTrue(PgOffsets.of("SELECT 1").ascii());
    }

    @Test
    void scanGivesTokensInChars() {
        String sql = "SELECT 'ä' -- c\n/* x /* y */ */ , $1, x1 ;";
        PgScan s = PgQuery.scan(sql, true);
        assertTrue(s.ok(), s::error);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < s.count(); i++) {
            got.add(PgToken.name(s.token(i)) + ":" + sql.substring(s.start(i), s.end(i)) + ":" + s.keywordKind(i));
        }
        assertEquals(List.of("SELECT:SELECT:4", "SCONST:'ä':0", "SQL_COMMENT:-- c:0", "C_COMMENT:/* x /* y */ */:0",
                "ASCII_44:,:0", "PARAM:$1:0", "ASCII_44:,:0", "IDENT:x1:0", "ASCII_59:;:0"), got);
        assertEquals(PgToken.RESERVED_KEYWORD, s.keywordKind(0));
    }

    @Test
    void scanFollowsStandardConformingStrings() {
        String sql = "SELECT 'a\\'; SELECT 1 --'";
        assertEquals(PgToken.SCONST, PgQuery.scan(sql, false).token(1));
        assertEquals(2, PgQuery.scan(sql, false).count());  // SELECT, the string, nothing else
        PgScan on = PgQuery.scan(sql, true);
        assertEquals(6, on.count());
        assertEquals(PgToken.ASCII_59, on.token(2));
        assertEquals(PgToken.SQL_COMMENT, on.token(on.count() - 1));
    }

    @Test
    void plpgsql() throws Exception {
        PgParse p = PgQuery.parsePlpgsql("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN "
                + "EXECUTE 'DROP TABLE t'; RETURN 1; END $$");
        JsonNode t = JSON.readTree(p.json());
        assertTrue(t.toString().contains("PLpgSQL_stmt_dynexecute"), t::toString);
        assertFalse(PgQuery.parsePlpgsql("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN; $$").ok());
    }

    /** The flag is per call and per thread: concurrent calls with opposite settings each read the text their way. */
    @Test
    void concurrentParsesOnVirtualThreads() throws Exception {
        String sensitive = "SELECT 'a\\'; SELECT 1 --'";
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 16; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 125; i++) {
                        int n = thread * 1000 + i + 1;  // not 0: the JSON leaves zero values out
                        boolean scs = (n & 1) == 0;
                        JsonNode a = tree(PgQuery.parse("SELECT " + n + " AS c" + n + " FROM t" + thread, scs));
                        if (a.findValue("ival").get("ival").asInt() != n) return "wrong constant for " + n;
                        int statements = tree(PgQuery.parse(sensitive, scs)).get("stmts").size();
                        if (statements != (scs ? 2 : 1)) return "scs " + scs + " gave " + statements + " statements";
                        if (PgQuery.scan(sensitive, scs).count() != (scs ? 6 : 2)) return "scan disagreed at " + n;
                        if (i % 10 == 0) {  // long enough for a stack of its own
                            String chain = "SELECT " + n + "+1".repeat(3000) + (scs ? "" : ", 'a\\\\'");  // off: 'a\\' is a\
                            PgParse deep = PgQuery.parse(chain, scs);
                            if (!deep.ok() || !deep.json().contains("\"ival\":" + n + "}")) return "deep parse at " + n;
                        }
                    }
                    return "ok";
                }));
            }
            for (Future<String> f : results) assertEquals("ok", f.get());
        }
    }

    @Test
    void fourMebibyteInsert() throws Exception {
        StringBuilder sb = new StringBuilder("INSERT INTO big (id, body) VALUES ");
        int rows = 0;
        while (sb.length() < 4 << 20) {
            if (rows > 0) sb.append(", ");
            sb.append('(').append(rows++).append(", 'row ä ").append("x".repeat(40)).append("')");
        }
        String sql = sb.toString();
        JsonNode t = tree(PgQuery.parse(sql, true));
        assertEquals(rows, t.findValue("valuesLists").size());
        PgScan s = PgQuery.scan(sql, true);
        assertTrue(s.ok());
        assertEquals(sql.length(), s.end(s.count() - 1));
    }

    @Test
    void deepNestingIsAnErrorNotACrash() throws Exception {
        String sql = "SELECT " + "(".repeat(10_000) + "1" + ")".repeat(10_000);
        PgParse p = PgQuery.parse(sql, true);
        assertFalse(p.ok());
        assertTrue(p.error().contains("memory exhausted"), p.error());  // the grammar's own stack limit
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            PgParse v = pool.submit(() -> PgQuery.parse(sql, true)).get();
            assertFalse(v.ok(), "on a virtual thread's carrier too");
        }
        assertTrue(PgQuery.parse("SELECT " + "(".repeat(100) + "1" + ")".repeat(100), true).ok());
    }

    /**
     * Trees deeper than the grammar's limit (left-associative chains) are written out by recursion in libpg_query:
     * without the shim's stack sizing these crashed the JVM. Each runs on a platform thread, a virtual thread and a
     * thread with a small stack.
     */
    static Stream<Arguments> deepTrees() {
        return Stream.of(
                Arguments.of("64,000 additions", "SELECT 1" + "+1".repeat(64_000)),
                Arguments.of("9,000 NOTs", "SELECT " + "NOT ".repeat(9_000) + "true"),
                Arguments.of("20,000 casts", "SELECT 1" + "::int".repeat(20_000)),
                Arguments.of("2,000 nested subqueries", "SELECT " + "(SELECT ".repeat(2_000) + "1" + ")".repeat(2_000)),
                Arguments.of("512 KiB of additions", "SELECT 1" + "+1".repeat(256 << 10)),
                Arguments.of("1,000 additions (fits the caller's stack)", "SELECT 1" + "+1".repeat(1_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepTrees")
    void deepTreesParseWithoutCrashing(String name, String sql) throws Exception {
        assertTrue(PgQuery.parse(sql, true).ok(), name);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            assertTrue(pool.submit(() -> PgQuery.parse(sql, true).ok()).get(), name + " on a virtual thread");
        }
        boolean[] ok = new boolean[1];
        Thread small = new Thread(null, () -> ok[0] = PgQuery.parse(sql, true).ok(), "small-stack", 256 << 10);
        small.start();
        small.join();
        assertTrue(ok[0], name + " on a 256 KiB stack");
    }
}
