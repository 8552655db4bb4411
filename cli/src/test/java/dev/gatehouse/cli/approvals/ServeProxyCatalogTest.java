package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: {@code serve}'s proxy with no schema file reads each database's live catalog as its catalog user, so a
 * {@code SELECT *} is decided column by column and approvers read real schema-qualified names; DDL that passes
 * through the proxy is seen by the next statement; a catalog user that cannot sign in refuses every statement
 * (ZG003), never allows one. Real serve, real psql, the real PostgreSQL (a database of its own), the real HTTP API.
 */
class ServeProxyCatalogTest {
    static final String DB = "gh_catalog_psql";
    /** Column rules on other tables' columns, and on a column orders does not have yet. */
    static final String POLICY_OTHER_COLUMNS = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: users-ssn
                match: { kinds: [READ], columns: ["*.users.ssn"] }
                action: review
                approvers: [dba]
              - id: orders-note2
                match: { kinds: [READ], columns: ["*.orders.note2"] }
                action: review
                approvers: [dba]
            """;
    static final String POLICY_NOTE = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: orders-note
                match: { kinds: [READ], columns: ["*.orders.note"] }
                action: review
                approvers: [dba]
            """;

    @TempDir
    static Path dir;
    static Serve.Running otherColumns;
    static Serve.Running note;
    static Serve.Running unreadable;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        ServeProxyTest.direct("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)", "CREATE DATABASE " + DB);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DB, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id int PRIMARY KEY, total int, note text)");
            s.execute("INSERT INTO orders VALUES (1, 30, 'leave at the door')");
            s.execute("CREATE TABLE users (id int PRIMARY KEY, name text, ssn text)");
        }
        Files.writeString(dir.resolve("other.yaml"), POLICY_OTHER_COLUMNS);
        Files.writeString(dir.resolve("note.yaml"), POLICY_NOTE);
        otherColumns = Serve.start(settings("other", CatalogSettings.DEFAULT.withUser("postgres")), Map.<String, String>of()::get);
        note = Serve.start(settings("note", CatalogSettings.DEFAULT.withUser("postgres")), Map.<String, String>of()::get);
        unreadable = Serve.start(settings("other", CatalogSettings.DEFAULT.withUser("gh_no_such_catalog_user")),
                Map.<String, String>of()::get);
        token = new TokenStore(note.store()).issue("alice");
    }

    /** A serve with its proxy in fail mode (a held statement answers ZG001 at once), no schema file. */
    static ServeSettings settings(String policy, CatalogSettings catalog) {
        return ServeSettings.defaults().withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                .withPolicy(dir.resolve(policy + ".yaml"))
                .withStore(new StoreSettings("jdbc:h2:file:" + dir.resolve("store-" + policy + "-" + catalog.user()), null, null))
                .withProxy(ProxySettings.DEFAULT.withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                        .withHoldMode(HoldMode.FAIL).withCatalog(catalog));
    }

    @AfterAll
    static void stop() throws Exception {
        for (Serve.Running r : new Serve.Running[] {otherColumns, note, unreadable}) {
            if (r != null) {
                r.close();
            }
        }
        ServeProxyTest.direct("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
    }

    @Test
    void aStarRunsUnderAColumnRuleOnAnotherTable() throws Exception {
        String out = psql(otherColumns, "SELECT * FROM orders;");
        assertTrue(out.contains("leave at the door"), out);
        assertFalse(out.contains("Gatehouse"), out);
    }

    @Test
    void aStarIsHeldUnderAColumnRuleOnOneOfItsColumnsAndApproversReadPublicOrders() throws Exception {
        String out = psql(note, "SELECT * FROM orders /* held */;");
        assertTrue(out.contains("Gatehouse holds the statement for review"), out);
        ApprovalRequest request = pending(note, "SELECT * FROM orders /* held */");
        assertEquals(List.of("orders-note"), ruleIds(request), "the rule itself decided, not the unparsed default");
        JsonNode shown = new ObjectMapper().readTree(get(note, "/api/requests/" + request.id()));
        assertEquals("[\"public.orders\"]", shown.path("tables").toString(), shown.toString());
        assertEquals("[\"public.orders.id\",\"public.orders.note\",\"public.orders.total\"]", shown.path("reads").toString(),
                "the star read column by column: " + shown);
    }

    @Test
    void ddlThroughTheProxyIsSeenByTheNextStatement() throws Exception {
        try {
            String out = psql(otherColumns, """
                    SELECT * FROM orders /* before */;
                    ALTER TABLE orders ADD COLUMN note2 text;
                    SELECT * FROM orders /* after */;
                    """);
            assertTrue(out.contains("ALTER TABLE"), out);
            assertTrue(out.contains("Gatehouse holds the statement for review"), out);
            assertEquals(List.of("orders-note2"), ruleIds(pending(otherColumns, "SELECT * FROM orders /* after */")));
            // A session of its own: the first one's confirmed DDL reached the catalog every session shares.
            out = psql(otherColumns, "ALTER TABLE orders DROP COLUMN note2;");
            assertTrue(out.contains("ALTER TABLE"), out);
            out = psql(otherColumns, "SELECT * FROM orders /* dropped */;");
            assertTrue(out.contains("leave at the door"), out);
        } finally {
            direct("ALTER TABLE orders DROP COLUMN IF EXISTS note2");
        }
    }

    /** The same through pgjdbc's extended protocol (Parse, Bind, Execute, Sync): the DDL is confirmed at its Sync. */
    @Test
    void ddlThroughTheExtendedProtocolIsSeenByTheNextStatement() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + otherColumns.proxy().port() + "/" + DB
                + "?sslmode=disable&preferQueryMode=extended";
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            assertTrue(s.execute("SELECT * FROM orders /* extended before */"));
            s.execute("ALTER TABLE orders ADD COLUMN note2 text");
            java.sql.SQLException held = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> s.execute("SELECT * FROM orders /* extended after */"));
            assertEquals("ZG001", held.getSQLState(), held.getMessage());
            s.execute("ALTER TABLE orders DROP COLUMN note2");
            assertTrue(s.execute("SELECT * FROM orders /* extended dropped */"));
        } finally {
            direct("ALTER TABLE orders DROP COLUMN IF EXISTS note2");
        }
    }

    /**
     * DDL in a transaction block reaches the catalog's own connection only at COMMIT: a lookup inside the block
     * reads the table as committed, and the COMMIT makes the catalog read it again.
     */
    @Test
    void ddlInATransactionBlockIsSeenAfterItsCommit() throws Exception {
        try {
            String out = psql(otherColumns, """
                    BEGIN;
                    ALTER TABLE orders ADD COLUMN note2 text;
                    SELECT id FROM orders /* in the block */;
                    COMMIT;
                    SELECT * FROM orders /* committed */;
                    """);
            assertTrue(out.contains("COMMIT"), out);
            assertEquals(List.of("orders-note2"), ruleIds(pending(otherColumns, "SELECT * FROM orders /* committed */")));
        } finally {
            direct("ALTER TABLE orders DROP COLUMN IF EXISTS note2");
            psql(otherColumns, "ALTER TABLE orders DROP COLUMN IF EXISTS note2;"); // the catalog reads it again too
        }
    }

    @Test
    void aCatalogUserThatCannotSignInRefusesEveryStatement() throws Exception {
        long start = System.nanoTime();
        String out = psql(unreadable, "\\set VERBOSITY verbose\nSELECT id FROM orders;\nSELECT 1;");
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 30, "bounded, not hung");
        assertEquals(2, count(out, "ZG003"), out);
        assertTrue(out.contains("Gatehouse cannot read the catalog of database \"" + DB + "\""), out);
        assertFalse(out.contains("gh_no_such_catalog_user"), "the catalog user is the operator's business: " + out);
        assertFalse(out.contains("?column?"), "nothing ran: " + out);
    }

    // ------------------------------------------------------------------ helpers

    /** psql through the serve's proxy into the test's database; output and errors together. */
    static String psql(Serve.Running serve, String input) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-h", "127.0.0.1", "-p", String.valueOf(serve.proxy().port()),
                "-U", "postgres", "-d", DB));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGCONNECT_TIMEOUT", "10");
        pb.environment().put("PGSSLMODE", "disable");
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "psql did not end: " + out);
        return out;
    }

    static ApprovalRequest pending(Serve.Running serve, String sql) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (ApprovalRequest r : serve.service().list(RequestState.PENDING, null, 100)) {
                if (r.sql().contains(sql)) {
                    return r;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no pending request for " + sql);
    }

    static List<String> ruleIds(ApprovalRequest r) {
        return r.summary().rules().stream().map(dev.gatehouse.approvals.RequestSummary.Rule::ruleId).toList();
    }

    static String get(Serve.Running serve, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.server().port() + path))
                .header("Authorization", "Bearer " + token).GET().build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        }
    }

    static void direct(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DB, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
