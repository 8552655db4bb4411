package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code serve} with its wire proxy, end to end: real clients (pgjdbc simple and extended, psql, pgbench) through
 * the proxy to the real PostgreSQL on 127.0.0.1:5432 (db {@code test}), a real policy file, a real H2 store, and
 * approvals made through the real HTTP API with an approver token.
 */
class ServeProxyTest {
    static final String POLICY = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: privileges
                match: { kinds: [PRIVILEGE] }
                action: deny
                reason: roles and grants are managed elsewhere
              - id: keep-ledger
                match: { kinds: [WRITE], tables: ["*.gh_sp_ledger"] }
                action: deny
                reason: the ledger is append-only through the app
              - id: bulk-writes
                match: { kinds: [WRITE], unbounded: true }
                action: review
                approvers: [dba]
                reason: UPDATE or DELETE without a WHERE
              - id: bulk-load
                match: { kinds: [WRITE], tables: ["*.gh_sp_copy"] }
                action: review
                approvers: [dba]
                reason: loads into the copy table are reviewed
              - id: secrets
                match: { kinds: [READ], tables: ["*.gh_sp_secrets"] }
                action: review
                approvers: [dba]
                on_hold: fail
                reason: secrets are read with approval
            """;
    static final String DB_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    /** pgbench's tables live in their own database, made directly (its DDL would be reviewed through the proxy). */
    static final String BENCH_DB = "gh_serve_proxy_bench";

    /**
     * The clients that wait (for an approval, for a cancel) run here, never in the common pool: with two cores
     * that pool has one thread, and Selenium completes its DevTools websocket handshake there, so a client
     * blocked in it stalled ChromeDriver's start for its 3-minute timeout.
     */
    static final ExecutorService CLIENTS = Executors.newVirtualThreadPerTaskExecutor();

    @TempDir
    static Path dir;
    static Serve.Running serve;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        direct("DROP TABLE IF EXISTS gh_sp_items, gh_sp_ledger, gh_sp_secrets",
                "CREATE TABLE gh_sp_items (id int PRIMARY KEY, n int NOT NULL)",
                "INSERT INTO gh_sp_items VALUES (1, 0), (2, 0)",
                "CREATE TABLE gh_sp_ledger (id int PRIMARY KEY, amount int)",
                "INSERT INTO gh_sp_ledger VALUES (1, 10)",
                "CREATE TABLE gh_sp_secrets (id int PRIMARY KEY, secret text)",
                "INSERT INTO gh_sp_secrets VALUES (1, 'swordfish')",
                "DROP TABLE IF EXISTS gh_sp_copy", "CREATE TABLE gh_sp_copy (id int, note text)");
        direct("DROP DATABASE IF EXISTS " + BENCH_DB, "CREATE DATABASE " + BENCH_DB);
        Process init = new ProcessBuilder("pgbench", "-i", "-s", "1", "-q", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres",
                BENCH_DB).redirectErrorStream(true).start();
        String initOut = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(init.waitFor(60, TimeUnit.SECONDS) && init.exitValue() == 0, initOut);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        ServeSettings settings = ServeSettings.defaults().withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                .withPolicy(policy).withStore(new StoreSettings("jdbc:h2:file:" + dir.resolve("store"), null, null))
                .withProxy(ProxySettings.DEFAULT.withListen(new ServeSettings.HostPort("127.0.0.1", 0)).withCatalog(CatalogSettings.DEFAULT.withUser("postgres")));
        serve = Serve.start(settings, Map.<String, String>of()::get);
        token = new TokenStore(serve.store()).issue("alice");
    }

    @AfterAll
    static void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
        CLIENTS.shutdownNow();
        direct("DROP TABLE IF EXISTS gh_sp_items, gh_sp_ledger, gh_sp_secrets, gh_sp_copy",
                "DROP DATABASE IF EXISTS " + BENCH_DB);
    }

    @ParameterizedTest(name = "pgjdbc {0}: an allowed statement runs, with and without bound values")
    @ValueSource(strings = {"simple", "extended"})
    void allowedRuns(String mode) throws Exception {
        try (Connection c = proxied(mode); PreparedStatement ps = c.prepareStatement("SELECT amount FROM gh_sp_ledger WHERE id = ?")) {
            ps.setInt(1, 1);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(10, rs.getInt(1));
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM gh_sp_items")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
            }
        }
    }

    @ParameterizedTest(name = "pgjdbc {0}: a denied statement is 42501 with the rule id, and never reaches the server")
    @ValueSource(strings = {"simple", "extended"})
    void deniedNeverRuns(String mode) throws Exception {
        try (Connection c = proxied(mode); PreparedStatement ps = c.prepareStatement("UPDATE gh_sp_ledger SET amount = ? WHERE id = 1")) {
            ps.setInt(1, 999);
            SQLException e = assertThrows(SQLException.class, ps::executeUpdate);
            assertEquals("42501", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("keep-ledger"), e.getMessage());
            try (Statement s = c.createStatement()) {
                SQLException grant = assertThrows(SQLException.class, () -> s.execute("GRANT SELECT ON gh_sp_items TO PUBLIC"));
                assertTrue(grant.getMessage().contains("privileges"), grant.getMessage());
                // The session goes on after a refusal.
                try (ResultSet rs = s.executeQuery("SELECT 1")) {
                    assertTrue(rs.next());
                }
            }
        }
        assertEquals(10, directInt("SELECT amount FROM gh_sp_ledger WHERE id = 1"));
    }

    @ParameterizedTest(name = "pgjdbc {0}: a held statement waits, and runs once after approval through the HTTP API")
    @ValueSource(strings = {"simple", "extended"})
    void heldUntilApprovedOverHttp(String mode) throws Exception {
        int before = directInt("SELECT sum(n) FROM gh_sp_items");
        String sql = "UPDATE gh_sp_items SET n = n + 1 /* " + mode + " */";
        CompletableFuture<Integer> update = CompletableFuture.supplyAsync(() -> {
            try (Connection c = proxied(mode); Statement s = c.createStatement()) {
                return s.executeUpdate(sql);
            } catch (SQLException e) {
                throw new RuntimeException(e);
            }
        }, CLIENTS);
        ApprovalRequest request = pendingFor(sql);
        assertEquals("postgres", request.principal());
        assertEquals("test", request.source().database());
        assertEquals(before, directInt("SELECT sum(n) FROM gh_sp_items"), "nothing runs while held");
        assertEquals(200, vote(request.id(), "approve").statusCode());
        assertEquals(2, update.get(30, TimeUnit.SECONDS));
        assertEquals(before + 2, directInt("SELECT sum(n) FROM gh_sp_items"));
    }

    /**
     * Issue 11: a 3 MiB INSERT (over the H2 store's old 1,000,000-character column, under the proxy's 64 MiB
     * message limit) is held as a request holding its whole text, approved through the API, and runs once.
     */
    @Test
    void aThreeMibHeldInsertIsKeptWholeApprovedOverHttpAndRunsOnce() throws Exception {
        String note = "0123456789abcdéf".repeat(3 * 1024 * 1024 / 16);
        String sql = "INSERT INTO gh_sp_copy /* big-3mib */ VALUES (3003, '" + note + "')";
        CompletableFuture<Integer> insert = CompletableFuture.supplyAsync(() -> {
            try (Connection c = proxied("simple"); Statement s = c.createStatement()) {
                return s.executeUpdate(sql);
            } catch (SQLException e) {
                throw new RuntimeException(e);
            }
        }, CLIENTS);
        ApprovalRequest request = pendingFor("/* big-3mib */");
        assertEquals(sha256(sql), sha256(request.sql()), "the request holds the whole statement");
        assertEquals(0, directInt("SELECT count(*) FROM gh_sp_copy WHERE id = 3003"), "nothing runs while held");
        assertEquals(200, vote(request.id(), "approve").statusCode());
        assertEquals(1, insert.get(60, TimeUnit.SECONDS));
        assertEquals(1, directInt("SELECT count(*) FROM gh_sp_copy WHERE id = 3003"), "it ran once");
        assertEquals(note.length(), directInt("SELECT length(note) FROM gh_sp_copy WHERE id = 3003"));
        assertEquals(RequestState.CONSUMED, serve.service().find(request.id()).orElseThrow().state());
        var verified = dev.gatehouse.approvals.audit.AuditVerifier.verify(serve.store());
        assertTrue(verified.ok(), verified.toString());
        direct("DELETE FROM gh_sp_copy WHERE id = 3003");
    }

    private static String sha256(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void failModeAnswersZg001AndTheIdenticalResendRunsOnceAfterApproval() throws Exception {
        try (Connection c = proxied("extended"); PreparedStatement ps = c.prepareStatement("SELECT secret FROM gh_sp_secrets WHERE id = ?")) {
            ps.setInt(1, 1);
            SQLException held = assertThrows(SQLException.class, ps::executeQuery);
            assertEquals("ZG001", held.getSQLState(), held.getMessage());
            ApprovalRequest request = pendingFor("SELECT secret FROM gh_sp_secrets WHERE id = $1");
            assertTrue(held.getMessage().contains(request.id()), held.getMessage());
            assertEquals(List.of("1"), request.parameters(), "the bound value is what approvers see");
            assertEquals(200, vote(request.id(), "approve").statusCode());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("swordfish", rs.getString(1));
            }
            SQLException again = assertThrows(SQLException.class, ps::executeQuery);
            assertEquals("ZG001", again.getSQLState(), "an approval releases one run");
            ps.setInt(1, 2);
            SQLException other = assertThrows(SQLException.class, ps::executeQuery);
            assertEquals("ZG001", other.getSQLState(), "another value is another request");
        }
    }

    @Test
    void psqlSeesTheNoticeThenTheResultAfterApproval() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-h", "127.0.0.1", "-p", String.valueOf(serve.proxy().port()),
                "-U", "postgres", "-d", "test", "-c", "UPDATE gh_sp_items SET n = n + 10 /* psql */");
        pb.environment().put("PGSSLMODE", "disable");
        Path err = dir.resolve("psql.err");
        Process p = pb.redirectError(err.toFile()).start();
        ApprovalRequest request = pendingFor("UPDATE gh_sp_items SET n = n + 10 /* psql */");
        String notice = awaitText(err, request.id());
        assertTrue(notice.contains("NOTICE:  Gatehouse holds the statement for approval: request " + request.id()), notice);
        assertTrue(notice.contains("http://127.0.0.1:0/"), "the approval URL is serve's public URL: " + notice);
        assertEquals(200, vote(request.id(), "approve").statusCode());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(err));
        assertEquals("UPDATE 2", out.trim());
    }

    @ParameterizedTest(name = "pgbench select-only through serve's proxy, protocol {0}")
    @ValueSource(strings = {"simple", "extended", "prepared"})
    void pgbenchSelectOnly(String mode) throws Exception {
        Process p = new ProcessBuilder("pgbench", "-n", "-S", "-c", "4", "-j", "2", "-t", "200", "-M", mode, "-h", "127.0.0.1",
                "-p", String.valueOf(serve.proxy().port()), "-U", "postgres", BENCH_DB).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("number of transactions actually processed: 800/800"), out);
        assertTrue(out.contains("number of failed transactions: 0"), out);
    }

    @Test
    void aHeldStatementIsReleasedByAnApprovalOnTheDbaPage() throws Exception {
        String sql = "DELETE FROM gh_sp_items /* page */";
        CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(() -> {
            try (Connection c = proxied("extended"); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                int n = s.executeUpdate(sql);
                c.rollback(); // the table stays for the other tests; that the DELETE ran is what counts
                return n;
            } catch (SQLException e) {
                throw new RuntimeException(e);
            }
        }, CLIENTS);
        ApprovalRequest request = pendingFor(sql);
        Path profile = Files.createTempDirectory(dir, "chrome-");
        org.openqa.selenium.chrome.ChromeOptions o = new org.openqa.selenium.chrome.ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,2000", "--user-data-dir=" + profile);
        var driver = new org.openqa.selenium.chrome.ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        org.openqa.selenium.WebDriver browser = new org.openqa.selenium.chrome.ChromeDriver(driver, o);
        try {
            browser.get("http://127.0.0.1:" + serve.server().port() + "/");
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(10));
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated(
                    org.openqa.selenium.By.id("token"))).sendKeys(token);
            browser.findElement(org.openqa.selenium.By.id("sign-in")).click();
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
                    org.openqa.selenium.By.id("r-" + request.id())));
            var card = browser.findElement(org.openqa.selenium.By.id("r-" + request.id()));
            String source = card.findElement(org.openqa.selenium.By.className("source")).getText();
            assertTrue(source.contains("proxy from 127.0.0.1:") && source.contains("(serve-proxy-test) on database test"), source);
            assertTrue(card.findElement(org.openqa.selenium.By.className("rules")).getText().contains("bulk-writes"),
                    card.getText());
            card.findElement(org.openqa.selenium.By.className("vote-reason")).sendKeys("fine, rolled back anyway");
            card.findElement(org.openqa.selenium.By.className("approve")).click();
            assertEquals(2, delete.get(30, TimeUnit.SECONDS), "the held DELETE ran once approved on the page");
        } finally {
            browser.quit();
        }
    }

    @Test
    void copyRunsBothWaysAndADeniedCopyWritesNothing() throws Exception {
        try (Connection c = proxied("extended")) {
            var copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            // COPY FROM's lineage is its target table (read as INSERT INTO it): the bulk-load rule holds it; its
            // data flows once approved.
            String copyIn = "COPY gh_sp_copy FROM STDIN";
            CompletableFuture<Long> in = CompletableFuture.supplyAsync(() -> {
                try {
                    return copy.copyIn(copyIn, new java.io.StringReader("1\tone\n2\ttwo\n3\tthree\n"));
                } catch (SQLException | java.io.IOException e) {
                    throw new RuntimeException(e);
                }
            }, CLIENTS);
            ApprovalRequest request = pendingFor(copyIn);
            assertTrue(request.summary().reason().contains("bulk-load"), request.summary().reason());
            assertEquals(0, directInt("SELECT count(*) FROM gh_sp_copy"), "nothing copied while held");
            assertEquals(200, vote(request.id(), "approve").statusCode());
            assertEquals(3, in.get(30, TimeUnit.SECONDS));
            java.io.StringWriter out = new java.io.StringWriter();
            assertEquals(3, copy.copyOut("COPY (SELECT id, note FROM gh_sp_copy ORDER BY id) TO STDOUT", out));
            assertEquals("1\tone\n2\ttwo\n3\tthree\n", out.toString());
            // The ledger's deny rule names COPY's target table, so the COPY is refused outright: 42501, nothing written.
            SQLException e = assertThrows(SQLException.class,
                    () -> copy.copyIn("COPY gh_sp_ledger FROM STDIN", new java.io.StringReader("7\t70\n")));
            assertEquals("42501", e.getSQLState(), String.valueOf(e));
            assertTrue(e.getMessage().contains("keep-ledger"), e.getMessage());
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM gh_sp_copy")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getInt(1), "the session goes on after a refused COPY");
            }
        }
        assertEquals(1, directInt("SELECT count(*) FROM gh_sp_ledger"), "the refused COPY wrote nothing");
        assertEquals(3, directInt("SELECT count(*) FROM gh_sp_copy"));
    }

    @Test
    void cancelReachesTheRunningStatementsBackend() throws Exception {
        try (Connection c = proxied("extended"); Statement s = c.createStatement()) {
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (directInt("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(25) /* cancel */'"
                            + " AND state = 'active'") == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    s.cancel(); // pgjdbc sends a CancelRequest with the key the proxy gave it
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, CLIENTS);
            long started = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, () -> s.execute("SELECT pg_sleep(25) /* cancel */"));
            assertEquals("57014", e.getSQLState(), e.getMessage());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(20).toNanos(), "canceled, not run to its end");
            cancel.get(5, TimeUnit.SECONDS);
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next(), "the session goes on after the cancel");
            }
        }
    }

    @Test
    void cancelOfAHeldStatementWithdrawsItsRequest() throws Exception {
        String sql = "DELETE FROM gh_sp_items /* canceled while held */";
        try (Connection c = proxied("simple"); Statement s = c.createStatement()) {
            CompletableFuture<SQLException> delete = CompletableFuture.supplyAsync(() -> {
                try {
                    s.executeUpdate(sql);
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            }, CLIENTS);
            ApprovalRequest request = pendingFor(sql);
            s.cancel();
            SQLException e = delete.get(30, TimeUnit.SECONDS);
            assertEquals("57014", e == null ? "ran" : e.getSQLState(), String.valueOf(e));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (serve.service().find(request.id()).orElseThrow().state() == RequestState.PENDING
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(RequestState.WITHDRAWN, serve.service().find(request.id()).orElseThrow().state());
        }
        assertEquals(2, directInt("SELECT count(*) FROM gh_sp_items"), "the canceled DELETE never ran");
    }

    @Test
    void executeOfANameTheSessionNeverPreparedIsDenied() throws Exception {
        try (Connection c = proxied("simple"); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.execute("EXECUTE gh_never_prepared(1)"));
            assertEquals("42501", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("has not seen prepared"), e.getMessage());
        }
    }

    @Test
    void aFunctionCallMessageIsDeniedUnlessAnAllowRuleNamesIt() throws Exception {
        try (Connection c = proxied("extended")) {
            c.setAutoCommit(false);
            var pg = c.unwrap(org.postgresql.PGConnection.class);
            // pgjdbc first looks the lo_* OIDs up in pg_proc joined to pg_namespace: a catalog read that no rule
            // here holds (its unqualified columns can only be those catalogs' columns), so it just runs.
            var lobs = pg.getLargeObjectAPI();
            SQLException e = assertThrows(SQLException.class, lobs::createLO);
            assertEquals("42501", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("match.functions as gatehouse_function_call_"), e.getMessage());
            c.rollback();
        }
    }

    @Test
    void serveRefusesAProxyWithoutAPolicy() {
        ServeSettings settings = ServeSettings.defaults().withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                .withStore(new StoreSettings("jdbc:h2:mem:unused", null, null)).withProxy(ProxySettings.DEFAULT);
        var e = assertThrows(dev.gatehouse.cli.UsageException.class, () -> Serve.start(settings, Map.<String, String>of()::get));
        assertTrue(e.getMessage().contains("policy"), e.getMessage());
    }

    @Test
    void flagsTurnTheProxyOnAndAreValidated() throws Exception {
        var ok = ServeCommand.settings(dev.gatehouse.cli.Options.parse(List.of("--proxy-listen", "127.0.0.1:7432",
                "--proxy-hold-mode", "fail"), ServeCommand.OPTIONS, false));
        assertEquals(new ServeSettings.HostPort("127.0.0.1", 7432), ok.proxy().listen());
        assertEquals(ProxySettings.DEFAULT_UPSTREAM, ok.proxy().upstream());
        assertEquals(HoldMode.FAIL, ok.proxy().holdMode());
        var none = ServeCommand.settings(dev.gatehouse.cli.Options.parse(List.of(), ServeCommand.OPTIONS, false));
        assertEquals(null, none.proxy(), "serve without proxy settings runs no proxy");
        var bad = assertThrows(dev.gatehouse.cli.UsageException.class, () -> ServeCommand.settings(
                dev.gatehouse.cli.Options.parse(List.of("--proxy-hold-mode", "later"), ServeCommand.OPTIONS, false)));
        assertTrue(bad.getMessage().contains("wait or fail"), bad.getMessage());
    }

    // ------------------------------------------------------------------ helpers

    static Connection proxied(String mode) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + serve.proxy().port() + "/test?sslmode=disable&preferQueryMode=" + mode
                + "&prepareThreshold=1&ApplicationName=serve-proxy-test";
        return DriverManager.getConnection(url, "postgres", "");
    }

    /** The pending request for {@code sql}, read from the store as the page would list it (bounded wait). */
    static ApprovalRequest pendingFor(String sql) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (ApprovalRequest r : serve.service().list(RequestState.PENDING, null, 100)) {
                if (r.sql().contains(sql)) {
                    return r;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no pending request for " + sql);
    }

    static HttpResponse<String> vote(String id, String verdict) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.server().port()
                        + "/api/requests/" + id + "/" + verdict))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"looked at it\"}")).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    static String awaitText(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String s = "";
        while (System.nanoTime() < deadline) {
            s = Files.exists(file) ? Files.readString(file) : "";
            if (s.contains(text)) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never saw " + text + " in: " + s);
    }

    static void direct(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(DB_URL, "postgres", ""); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    static int directInt(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(DB_URL, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
