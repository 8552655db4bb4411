package dev.gatehouse.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Vote;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.enforce.checkpoint.Checkpoint;
import dev.gatehouse.approvals.http.ApiServer;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.enforce.guard.PolicyGuard;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statement text in the client's client_encoding, through the proxy as {@code serve} runs it (the production
 * {@link PolicyGuard}, a real approvals store and HTTP API, holds in fail mode) to the real PostgreSQL
 * (server encoding UTF8). Per encoding, a table whose name needs that encoding: psql with PGCLIENTENCODING sends
 * an INSERT with the name quoted and a literal in the encoding's bytes; the table's review rule matches, the
 * approval API shows the text as written, and once approved the identical statement runs with the client's
 * bytes (the server converts them: the stored value is the word). Protocol-level cases use a raw client.
 */
class ClientEncodingTest {
    private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Per encoding: the table's name (which needs the encoding) and a word for the literal. */
    private static final Map<String, String[]> WORDS = Map.of(
            "LATIN1", new String[] {"café", "crème brûlée"},
            "LATIN2", new String[] {"łódź", "żółć"},
            "LATIN9", new String[] {"prix€", "œuvre"},
            "WIN1250", new String[] {"čaj", "ďábel"},
            "WIN1251", new String[] {"таблица", "привет"},
            "WIN1252", new String[] {"naïve€", "‘quoted’"},
            "KOI8R", new String[] {"склад", "ёжик"},
            "ISO_8859_7", new String[] {"πίνακας", "καλημέρα"},
            "UTF8", new String[] {"café_ü", "日本語"});

    static ProxyServer proxy;
    static ProxyFixture plain;
    static Store store;
    static ApprovalService service;
    static ApiServer api;
    static String aliceToken;

    @BeforeAll
    static void start() throws Exception {
        StringBuilder yaml = new StringBuilder("""
                version: 1
                defaults: { unparsed: deny, otherwise: allow }
                approvers: { dba: [alice] }
                rules:
                """);
        for (var e : WORDS.entrySet()) {
            yaml.append("  - id: review-").append(e.getKey().toLowerCase()).append('\n')
                    .append("    match: { tables: [\"").append(table(e.getKey())).append("\"] }\n")
                    .append("    action: review\n    approvers: [dba]\n    on_hold: fail\n");
        }
        Policy policy = Policy.parse("encoding-policy.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8));
        store = Store.open("jdbc:h2:file:" + Files.createTempDirectory("gatehouse-encoding").resolve("store"), "sa", "", 4);
        service = new ApprovalService(store, policy.approvers(), ServiceOptions.defaults(), null);
        TokenStore tokens = new TokenStore(store);
        aliceToken = tokens.issue("alice");
        api = new ApiServer(service, tokens, null, null, new InetSocketAddress("127.0.0.1", 0)).start();
        Checkpoint checkpoint = new Checkpoint(policy, () -> service, AuditSettings.DEFAULT, Gate.DEFAULT_MAXIMUM_SIZE);
        PolicyGuard guard = new PolicyGuard(checkpoint.forClient(Dialect.POSTGRES, Catalog.EMPTY), policy,
                HoldMode.FAIL);
        proxy = new ProxyServer(new ProxyConfig(new InetSocketAddress("127.0.0.1", 0), ProxyFixture.POSTGRES, null,
                Limits.DEFAULTS, guard, null)).start();
        plain = new ProxyFixture();
        for (String encoding : WORDS.keySet()) {
            ProxyFixture.directly("CREATE TABLE \"" + table(encoding) + "\" (id int, note text)");
        }
        ProxyFixture.directly("CREATE OR REPLACE FUNCTION gh_enc_" + SUFFIX + "() RETURNS int LANGUAGE sql"
                + " AS $$ SELECT length(set_config('client_encoding', 'LATIN1', false)) $$");
        ProxyFixture.directly("CREATE OR REPLACE FUNCTION gh_sjis_" + SUFFIX + "() RETURNS int LANGUAGE sql"
                + " AS $$ SELECT length(set_config('client_encoding', 'SJIS', false)) FROM pg_sleep(0.5) $$");
        ProxyFixture.directly("CREATE TABLE gh_smuggled_" + SUFFIX + " (n int)");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
        plain.close();
        api.close();
        service.close();
        store.close();
        for (String encoding : WORDS.keySet()) {
            ProxyFixture.directly("DROP TABLE IF EXISTS \"" + table(encoding) + "\"");
        }
        ProxyFixture.directly("DROP FUNCTION IF EXISTS gh_enc_" + SUFFIX + "()");
        ProxyFixture.directly("DROP FUNCTION IF EXISTS gh_sjis_" + SUFFIX + "()");
        ProxyFixture.directly("DROP TABLE IF EXISTS gh_smuggled_" + SUFFIX);
    }

    private static String table(String encoding) {
        return WORDS.get(encoding)[0] + "_" + SUFFIX;
    }

    /** The Java charset a psql with that client_encoding writes and reads. */
    private static Charset charset(String encoding) {
        return Charset.forName(switch (encoding) {
            case "LATIN1" -> "ISO-8859-1";
            case "LATIN2" -> "ISO-8859-2";
            case "LATIN9" -> "ISO-8859-15";
            case "WIN1250" -> "windows-1250";
            case "WIN1251" -> "windows-1251";
            case "WIN1252" -> "windows-1252";
            case "KOI8R" -> "KOI8-R";
            case "ISO_8859_7" -> "ISO-8859-7";
            default -> "UTF-8";
        });
    }

    @ParameterizedTest(name = "psql {0}")
    @CsvSource({"LATIN1", "LATIN2", "LATIN9", "WIN1250", "WIN1251", "WIN1252", "KOI8R", "ISO_8859_7", "UTF8"})
    void psqlInTheClientEncodingIsReviewedShownAndRunAsSent(String encoding) throws Exception {
        String word = WORDS.get(encoding)[1];
        String sql = "INSERT INTO \"" + table(encoding) + "\" (id, note) VALUES (1, '" + word + "')";
        Charset cs = charset(encoding);
        assertTrue(cs.newEncoder().canEncode(sql), "the case's text must be writable in " + encoding);
        Map<String, String> env = Map.of("PGCLIENTENCODING", encoding);

        Cli.Result held = Cli.psql(proxy.port(), cs, env, sql + ";\n");
        Matcher id = Pattern.compile("request (\\S+) \\(").matcher(held.output());
        assertTrue(id.find(), held.output());
        assertTrue(held.output().contains("ZG001") || held.output().contains("holds the statement for review"),
                held.output());

        JsonNode request = get("/api/requests/" + id.group(1));
        assertEquals(sql + ";", request.get("sql").asText(), "the approver sees the text as the client wrote it");
        assertEquals("review-" + encoding.toLowerCase(), request.get("rules").get(0).get("id").asText(),
                "the rule on the table's name matched");
        service.vote(id.group(1), "alice", Vote.Choice.APPROVE, "ok", "test");

        Cli.Result ran = Cli.psql(proxy.port(), cs, env, sql + ";\n");
        assertTrue(ran.output().contains("INSERT 0 1"), ran.output());
        assertEquals(List.of(word), notes(table(encoding)), "the server read the client's bytes as the client meant");
    }

    @Test
    void pgjdbcUtf8IdentifierMatchesTheRuleAndShowsInTheApi() throws Exception {
        String sql = "UPDATE \"" + table("UTF8") + "\" SET note = ? WHERE id = 99";
        try (Connection c = connect(proxy.port(), "preferQueryMode=extended");
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "ünïcödé");
            SQLException e = assertThrows(SQLException.class, ps::executeUpdate);
            assertEquals("ZG001", e.getSQLState(), e.getMessage());
            Matcher id = Pattern.compile("request (\\S+) \\(").matcher(e.getMessage());
            assertTrue(id.find(), e.getMessage());
            JsonNode request = get("/api/requests/" + id.group(1));
            assertEquals(sql.replace("?", "$1"), request.get("sql").asText(), "as pgjdbc sends it");
            assertEquals("ünïcödé", request.get("parameters").get(0).asText());
        }
    }

    /** Raw protocol, through a proxy whose test guard records the text it was given. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            SET then text in the new encoding, pipelined         | SET client_encoding TO 'LATIN2'   | ISO-8859-2 | SELECT 'żółć'  | read
            SET NAMES                                             | SET NAMES 'WIN1251'               | windows-1251 | SELECT 'привет' | read
            set_config                                            | SELECT set_config('client_encoding', 'KOI8R', false) | KOI8-R | SELECT 'ёжик' | read
            RESET back to UTF8                                    | SET client_encoding TO 'LATIN1'; RESET client_encoding | UTF-8 | SELECT 'café' | read
            SQL_ASCII: the server converts nothing                | SET client_encoding TO 'SQL_ASCII' | ISO-8859-1 | SELECT 'café' | 22021
            LATIN6: Java has no charset for it                    | SET client_encoding TO 'LATIN6'   | ISO-8859-1 | SELECT 'café'  | 22021
            SQL_ASCII with ASCII text                             | SET client_encoding TO 'SQL_ASCII' | US-ASCII  | SELECT 'cafe'  | read
            """)
    void encodingChangesAreFollowed(String name, String set, String javaCharset, String select, String expect)
            throws Exception {
        Charset cs = Charset.forName(javaCharset);
        try (RawClient c = RawClient.started(plain.port())) {
            plain.guard.seen.clear();
            // Sent together: the proxy must wait for the server's client_encoding before reading the second.
            c.send(RawClient.query(set), RawClient.query(select, cs));
            List<String> seen = c.untilReady(2);
            if (expect.equals("read")) {
                assertTrue(seen.stream().noneMatch(m -> m.startsWith("E")), seen.toString());
                assertEquals(select, plain.guard.seen.get(plain.guard.seen.size() - 1).sql());
            } else {
                assertTrue(seen.contains("E:" + expect), seen.toString());
                assertTrue(plain.guard.seen.stream().noneMatch(e -> e.sql().equals(select)), "never decided");
            }
        }
    }

    @Test
    void changeInsideAnUnansweredPipelineRefusesTextThatIsNotAscii() throws Exception {
        try (RawClient c = RawClient.started(plain.port())) {
            Charset latin1 = StandardCharsets.ISO_8859_1;
            c.send(RawClient.parse("", "SET client_encoding TO 'LATIN1'"), RawClient.bind("", ""),
                    RawClient.execute(""), RawClient.parse("", "SELECT 'café'", latin1), RawClient.bind("", ""),
                    RawClient.execute(""), RawClient.sync());
            List<String> seen = c.untilReady(1);
            assertTrue(seen.contains("E:22021"), seen.toString());
            // The refusal's error rolled the implicit transaction back, SET included. Set again and settled (a
            // group of its own), the same text is read.
            c.send(RawClient.query("SET client_encoding TO 'LATIN1'"));
            c.untilReady(1);
            plain.guard.seen.clear();
            c.send(RawClient.query("SELECT 'café'", latin1));
            List<String> again = c.untilReady(1);
            assertTrue(again.stream().noneMatch(m -> m.startsWith("E")), again.toString());
            assertEquals("SELECT 'café'", plain.guard.seen.get(0).sql());
        }
    }

    /** A rollback reverts SET client_encoding, and the server reports it: expected, not behind the proxy's back. */
    @Test
    void rollbackOfABlockThatSetTheEncodingRevertsIt() throws Exception {
        try (RawClient c = RawClient.started(plain.port())) {
            for (String sql : List.of("BEGIN", "SET client_encoding TO 'LATIN2'", "ROLLBACK")) {
                c.send(RawClient.query(sql));
                List<String> seen = c.untilReady(1);
                assertTrue(seen.stream().noneMatch(m -> m.startsWith("E")), sql + ": " + seen);
            }
            plain.guard.seen.clear();
            c.send(RawClient.query("SELECT 'żółć'"));
            List<String> seen = c.untilReady(1);
            assertTrue(seen.stream().noneMatch(m -> m.startsWith("E")), seen.toString());
            assertEquals("SELECT 'żółć'", plain.guard.seen.get(0).sql(), "read as UTF-8 again");
        }
    }

    /**
     * A switch to SJIS behind the policy's back (a function calling set_config, slow enough that the next Query,
     * sent before its answer, would be decided and forwarded meanwhile): in SJIS the bytes 0x95 0x5C are one character (表), so the backslash that keeps the string open
     * for Gatehouse is gone for the server, and the INSERT after it would run. That text waits for the answers,
     * whose report of SJIS ends the session first.
     */
    @Test
    void textThatSplitsOtherwiseInAQuoteHidingEncodingWaitsForEarlierAnswers() throws Exception {
        String smuggled = "SELECT E'表' ; INSERT INTO gh_smuggled_" + SUFFIX + " VALUES (1) --'";
        try (RawClient c = RawClient.started(plain.port())) {
            c.send(RawClient.query("SELECT gh_sjis_" + SUFFIX + "()"), RawClient.query(smuggled, Charset.forName("Shift_JIS")));
            List<String> seen = untilClosed(c);
            assertTrue(seen.contains("E:0A000"), seen.toString());
        }
        try (Connection direct = ProxyFixture.direct(); java.sql.Statement s = direct.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM gh_smuggled_" + SUFFIX)) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the statement hidden behind the swallowed backslash never ran");
        }
    }

    /** Every message the proxy sends until it closes the session. */
    private static List<String> untilClosed(RawClient c) throws IOException {
        List<String> seen = new ArrayList<>();
        try {
            while (true) {
                seen.add(c.next());
            }
        } catch (java.io.EOFException | java.net.SocketException closed) {
            return seen;
        }
    }

    @Test
    void changeBehindThePolicysBackEndsTheSession() throws Exception {
        try (RawClient c = RawClient.started(plain.port())) {
            c.send(RawClient.query("SELECT gh_enc_" + SUFFIX + "()"));
            List<String> seen = untilClosed(c);
            assertTrue(seen.contains("E:0A000"), seen.toString());
        }
    }

    @Test
    void refusalsAreWrittenInTheClientEncoding() throws Exception {
        String encoding = "LATIN1";
        Cli.Result r = Cli.psql(plain.port(), charset(encoding), Map.of("PGCLIENTENCODING", encoding),
                "SELECT 'gh_deny', 'café';\nSELECT 'crème' AS ok;\n");
        assertTrue(r.output().contains("Gatehouse denied"), r.output());
        assertTrue(r.output().contains("crème"), "psql's output, read as LATIN1: " + r.output());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Authorization", "Bearer " + aliceToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static List<String> notes(String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ProxyFixture.direct(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT note FROM \"" + table + "\" ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Connection connect(int port, String mode) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return java.sql.DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/test?sslmode=disable&" + mode, p);
    }
}
