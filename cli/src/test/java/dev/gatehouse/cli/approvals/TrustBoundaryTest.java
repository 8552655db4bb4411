package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.audit.AuditVerifier;
import dev.gatehouse.approvals.audit.CanonicalJson;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.jdbc.ReviewPendingException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's "Done means", played as the adversary: an agent that holds exactly what the JDBC driver needs (its JDBC
 * URL, the policy file, the requester credential's file), and then someone holding a proxy host's configuration
 * (its config file, the policy, the requester credential), each with a statement of its own held for review, try
 * to mint a token, vote, approve through the API with every token they have or can make, edit a vote or a request,
 * and rewrite the audit. Every attempt fails, every one that reaches serve is in its audit, and the held statement
 * stays held until a real approver approves it.
 *
 * <p>Real everything: {@code serve} (API, H2 store behind a password), the operator's commands, the agent's
 * commands as processes of their own with the agent's environment, the JDBC driver over the real PostgreSQL on
 * 127.0.0.1:5432 (db {@code test}), {@code gatehouse proxy} in front of it.
 */
class TrustBoundaryTest {
    static final String POLICY = """
            version: 1
            defaults: { unparsed: deny, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: secrets
                match: { tables: ["*.gh_trust_secrets"] }
                action: review
                approvers: [dba]
                on_hold: fail
                reason: secrets are read with approval
            """;
    static final String DB = "jdbc:postgresql://127.0.0.1:5432/test";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static Serve.Running serve;
    static String storeUrl;
    static Path storePassword;
    static Path policy;
    static String alice;
    static String bob;

    @BeforeAll
    static void operator() throws Exception {
        try (Connection c = DriverManager.getConnection(DB, "postgres", null); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS gh_trust_secrets");
            s.execute("CREATE TABLE gh_trust_secrets (id int, secret text)");
            s.execute("INSERT INTO gh_trust_secrets VALUES (1, 'the launch codes')");
        }
        Path ops = Files.createDirectories(dir.resolve("operator"));
        policy = ops.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        storePassword = ops.resolve("store.password");
        Files.writeString(storePassword, "operator-only-" + System.nanoTime());
        storeUrl = "jdbc:h2:file:" + ops.resolve("store");
        StoreSettings store = new StoreSettings(storeUrl, null, new ValueSource.File(storePassword, "test"));
        serve = Serve.start(ServeSettings.defaults().withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                .withPolicy(policy).withStore(store), Map.<String, String>of()::get);
        alice = operator("approver", "token", "alice");
        bob = operator("approver", "token", "bob");
    }

    @AfterAll
    static void stop() throws Exception {
        serve.close();
        try (Connection c = DriverManager.getConnection(DB, "postgres", null); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS gh_trust_secrets");
        }
    }

    /** The operator's commands, with the store's URL and password file: the path requesters cannot reach. */
    private static String operator(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--store", storeUrl, "--store-password-file", storePassword.toString()));
        Ran r = Ran.main(all.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return r.out().strip();
    }

    private static String serveUrl() {
        return "http://127.0.0.1:" + serve.server().port();
    }

    @Test
    void anAgentWithExactlyTheDriversConfigurationCannotApproveItsOwnStatement() throws Exception {
        String credential = operator("requester", "token", "agent-host", "--principals", "agent-7");
        // Everything the agent is given: the policy file, the credential's file and the JDBC URL naming them.
        Path home = Files.createDirectories(dir.resolve("agent"));
        Path token = home.resolve("requester.token");
        Files.writeString(token, credential);
        Path agentPolicy = Files.copy(policy, home.resolve("policy.yaml"));
        String url = "jdbc:gatehouse:postgresql://127.0.0.1:5432/test?gatehouse.policy=" + enc(agentPolicy.toString())
                + "&gatehouse.approvals=" + enc(serveUrl()) + "&gatehouse.requester-token-file=" + enc(token.toString())
                + "&gatehouse.principal=agent-7";
        try (Connection agent = DriverManager.getConnection(url, "postgres", "")) {
            String sql = "SELECT secret FROM gh_trust_secrets";
            String id = held(agent, sql);
            attack(home, credential, id, () -> held(agent, sql));
            assertApprovedRunsOnce(id, () -> {
                try (Statement s = agent.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    assertTrue(rs.next());
                    return rs.getString(1);
                }
            });
        }
    }

    @Test
    void theSameFromAProxyHostsConfiguration() throws Exception {
        String credential = operator("requester", "token", "proxy-host", "--principals", "postgres");
        Path home = Files.createDirectories(dir.resolve("proxy-host"));
        Files.writeString(home.resolve("requester.token"), credential);
        Files.copy(policy, home.resolve("policy.yaml"));
        Files.writeString(home.resolve("proxy.yaml"), """
                version: 1
                policy: policy.yaml
                approvals: { url: "%s", token_file: requester.token }
                proxy: { listen: "127.0.0.1:0", upstream: "127.0.0.1:5432", hold_mode: fail, catalog: { user: postgres } }
                """.formatted(serveUrl()));
        try (ProxyCommand.Running proxy = ProxyCommand.start(ServeConfig.loadProxyHost(home.resolve("proxy.yaml")),
                Map.<String, String>of()::get);
             Connection client = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.proxy().port()
                     + "/test?sslmode=disable", "postgres", "")) {
            String sql = "SELECT secret FROM gh_trust_secrets WHERE id = 1";
            String id = heldByProxy(client, sql);
            attack(home, credential, id, () -> heldByProxy(client, sql));
            assertApprovedRunsOnce(id, () -> {
                try (Statement s = client.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    assertTrue(rs.next());
                    return rs.getString(1);
                }
            });
        }
    }

    /**
     * What the embedded default does not protect, said by a test: a driver that opens the store itself (here the
     * shared H2 file, as with no gatehouse.approvals at all) gives its host the store, so the attack works
     * there. That is why an agent is given serve's URL and a requester credential instead.
     */
    @Test
    void theEmbeddedDefaultGivesItsHostTheStore() throws Exception {
        Path home = Files.createDirectories(dir.resolve("embedded"));
        String shared = "jdbc:h2:file:" + home.resolve("store") + ";AUTO_SERVER=TRUE";
        Path agentPolicy = Files.copy(policy, home.resolve("policy.yaml"));
        try (Serve.Running local = Serve.start(ServeSettings.defaults().withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                .withPolicy(agentPolicy).withStore(new StoreSettings(shared, null, null)), Map.<String, String>of()::get);
             Connection agent = DriverManager.getConnection("jdbc:gatehouse:postgresql://127.0.0.1:5432/test?gatehouse.policy="
                     + enc(agentPolicy.toString()) + "&gatehouse.approvals=" + enc(shared) + "&gatehouse.principal=agent-7",
                     "postgres", "")) {
            String id = held(agent, "SELECT secret FROM gh_trust_secrets WHERE id > 0");
            Ran minted = cli(home, Map.of(), "approver", "token", "bob", "--replace", "--store", shared);
            assertEquals(0, minted.exit(), minted.err());
            HttpResponse<String> vote = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + local.server().port() + "/api/requests/" + id + "/approve")).header("Authorization", "Bearer "
                    + minted.out().strip()).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, vote.statusCode(), "the store's owner can do anything: " + vote.body());
            assertEquals(RequestState.APPROVED, local.service().find(id).orElseThrow().state());
        }
    }

    /** Runs a statement the policy holds in fail mode through the driver: the request's id. */
    private static String held(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            ReviewPendingException e = assertThrows(ReviewPendingException.class, () -> s.executeQuery(sql));
            return e.requestId();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** The same through the proxy: the client sees an error naming the request. */
    private static String heldByProxy(Connection c, String sql) {
        try (Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(sql));
            for (ApprovalRequest r : serve.service().list(RequestState.PENDING, "postgres", 50)) {
                if (r.sql().equals(sql) && e.getMessage().contains(r.id())) {
                    return r.id();
                }
            }
            throw new AssertionError("no pending request named in: " + e.getMessage());
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    interface Check<T> {
        T get() throws Exception;
    }

    /**
     * Everything the holder of a requester's configuration tries, from its own directory and environment. Each
     * attempt fails; each that reaches serve is audited; the request stays pending, without a vote.
     */
    private static void attack(Path home, String credential, String id, Check<String> stillHeld) throws Exception {
        int auditedBefore = records().size();
        Map<String, String> env = Map.of("GATEHOUSE_HOME", home.resolve(".gatehouse").toString());

        // 1. Mint a token. The only store its configuration opens is an empty one of its own making.
        Ran minted = cli(home, env, "approver", "token", "bob");
        assertEquals(0, minted.exit(), minted.err());
        String forged = minted.out().strip();
        assertTrue(forged.startsWith("ght_"), forged);
        Ran viaServe = cli(home, env, "approver", "token", "bob", "--store", serveUrl());
        assertEquals(2, viaServe.exit(), viaServe.out() + viaServe.err());
        assertTrue(viaServe.err().contains("--store wants the store's JDBC URL"), viaServe.err());
        // Even told where serve's store file is, it has no password for it (and serve holds the file).
        assertThrows(SQLException.class, () -> DriverManager.getConnection(storeUrl, "sa", "").close());

        // 2. Vote and approve through the API with every token it holds or can make.
        List<String> refused = new ArrayList<>();
        for (String choice : List.of("approve", "deny")) {
            for (String t : List.of(forged, credential)) {
                HttpResponse<String> r = http("POST", "/api/requests/" + id + "/" + choice, t, "{\"reason\":\"mine\"}");
                assertEquals(t == forged ? 401 : 403, r.statusCode(), r.body());
                refused.add("POST /api/requests/" + id + "/" + choice);
            }
        }
        for (String t : List.of(forged, credential)) {
            Ran cliVote = cli(home, Map.of("GATEHOUSE_TOKEN", t), "approvals", "approve", id, "--server", serveUrl());
            assertEquals(1, cliVote.exit(), cliVote.out() + cliVote.err());
            assertTrue(cliVote.err().contains(t == forged ? "401 bad token" : "403 not an approver"), cliVote.err());
            refused.add("POST /api/requests/" + id + "/approve");
        }
        for (String hook : List.of("/hooks/decision", "/hooks/slack/interactivity")) {
            String body = "{\"request_id\":\"" + id + "\",\"approver\":\"alice\",\"decision\":\"approve\"}";
            assertEquals(401, http("POST", hook, null, body).statusCode());
            refused.add("POST " + hook);
        }
        // 3. Edit a vote or the request, rewrite the audit: there is no route, and asking is audited.
        for (String[] attempt : new String[][] {
                {"PUT", "/api/requests/" + id, "{\"state\":\"approved\"}"},
                {"PATCH", "/api/requests/" + id + "/votes/alice", "{\"choice\":\"approve\"}"},
                {"POST", "/api/requests/" + id + "/votes", "{\"approver\":\"alice\",\"choice\":\"approve\"}"},
                {"DELETE", "/api/requests/" + id, null},
                {"POST", "/api/audit", "{\"records\":[]}"},
                {"DELETE", "/api/audit", null},
                {"POST", "/api/tokens", "{\"approver\":\"bob\"}"}}) {
            HttpResponse<String> r = http(attempt[0], attempt[1], credential, attempt[2]);
            assertEquals(404, r.statusCode(), attempt[0] + " " + attempt[1] + ": " + r.body());
            refused.add(attempt[0] + " " + attempt[1]);
        }
        // 4. What its credential does allow gets it nothing: a pending request cannot be claimed.
        HttpResponse<String> claim = http("POST", "/api/requester/requests/" + id + "/claim", credential,
                "{\"key\":\"" + "0".repeat(64) + "\"}");
        assertEquals(200, claim.statusCode(), claim.body());
        assertTrue(claim.body().contains("\"claimed\":false"), claim.body());

        // Its own statement stays held: re-running it joins the same pending request.
        assertEquals(id, stillHeld.get());
        ApprovalRequest r = serve.service().find(id).orElseThrow();
        assertEquals(RequestState.PENDING, r.state());
        assertTrue(r.votes().isEmpty(), r.votes().toString());
        // The real approvers' tokens were not replaced; the minted one is nobody's.
        TokenStore tokens = new TokenStore(serve.store());
        assertEquals(Optional.of(new TokenStore.Person("alice", false)), tokens.authenticate(alice));
        assertEquals(Optional.of(new TokenStore.Person("bob", false)), tokens.authenticate(bob));
        assertEquals(Optional.empty(), tokens.authenticate(forged));
        // Every attempt that reached serve is in its audit, in order, and the chain is intact.
        List<String> audited = new ArrayList<>();
        for (String line : records().subList(auditedBefore, records().size())) {
            Map<String, Object> rec = CanonicalJson.read(line);
            if ("access.refused".equals(rec.get("type"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> data = (Map<String, Object>) rec.get("data");
                audited.add(data.get("method") + " " + data.get("path"));
            }
        }
        assertEquals(refused, audited, "every refused attempt audited");
        assertTrue(AuditVerifier.verify(serve.store()).ok());
    }

    /** Only now, approved by a real approver, the statement runs, once. */
    private static void assertApprovedRunsOnce(String id, Check<String> run) throws Exception {
        assertEquals(200, http("POST", "/api/requests/" + id + "/approve", alice, "{\"reason\":\"checked\"}").statusCode());
        assertEquals("the launch codes", run.get());
        assertEquals(RequestState.CONSUMED, serve.service().find(id).orElseThrow().state());
    }

    private static List<String> records() {
        StringWriter out = new StringWriter();
        AuditVerifier.export(serve.store(), out);
        return out.toString().lines().toList();
    }

    private static HttpResponse<String> http(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(serveUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** bin/gatehouse as a process of the attacker's: its directory, its environment and nothing of the operator's. */
    private static Ran cli(Path home, Map<String, String> env, String... args) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "dev.gatehouse.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        pb.environment().putAll(new HashMap<>(env));
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command finished");
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
