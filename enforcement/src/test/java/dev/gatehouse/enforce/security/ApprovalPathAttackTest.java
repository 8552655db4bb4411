package dev.gatehouse.enforce.security;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.audit.AuditVerifier;
import dev.gatehouse.enforce.checkpoint.Caller;
import dev.gatehouse.enforce.checkpoint.Checkpoint;
import dev.gatehouse.enforce.checkpoint.ClientCheckpoint;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.approvals.events.InboundVerifier;
import dev.gatehouse.approvals.hooks.InboundConfig;
import dev.gatehouse.approvals.hooks.InboundDecisions;
import dev.gatehouse.approvals.hooks.Secret;
import dev.gatehouse.approvals.hooks.TestSigning;
import dev.gatehouse.approvals.http.ApiServer;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks on the approval path (issue 6's security review; docs/threat-model.md names each test): approval
 * reuse for another statement, parameter set, principal, database or search path; reuse after use or expiry;
 * self-approval through groups, delegation or a differently spelled name; token forgery; web-hook replay
 * within one instance and across instances; audit tampering. Everything goes through the real checkpoint, the
 * real (H2) store and the real HTTP API; votes are cast over loopback HTTP only.
 */
class ApprovalPathAttackTest {
    static final String POLICY = """
            version: 1
            defaults: { unparsed: deny, otherwise: allow }
            approvers: { dba: [alice, bob], ops: [carol] }
            rules:
              - id: writes
                match: { kinds: [WRITE] }
                action: review
                approvers: [dba]
                on_hold: fail
              - id: quick
                match: { kinds: [WRITE], principals: ["quick-*"] }
                action: review
                approvers: [dba]
                approval_expires: 1s
                on_hold: fail
            """;
    static final String DECISION_SECRET = "decision-secret-for-tests-only-0123456789";
    static final Source SOURCE = new Source(Source.Channel.PROXY, "10.1.2.3", "agent", "shop");

    static TestStores stores;
    static Store store;
    static ApprovalService service;
    static ClientCheckpoint checkpoint;
    static TokenStore tokens;
    static ApiServer api;
    static ApiServer secondInstance;
    static String alice;
    static String bob;
    static String carol;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        stores = TestStores.h2();
        store = stores.open();
        Policy policy = Policy.parse("attack.yaml", POLICY.getBytes(StandardCharsets.UTF_8));
        service = new ApprovalService(store, policy.approvers(), ServiceOptions.defaults(), null);
        checkpoint = new Checkpoint(policy, () -> service, AuditSettings.DEFAULT, 1000).forClient(Dialect.POSTGRES, Catalog.EMPTY);
        tokens = new TokenStore(store);
        alice = tokens.issue("alice");
        bob = tokens.issue("bob");
        carol = tokens.issue("carol");
        api = new ApiServer(service, tokens, null, signedVerifier(), new InetSocketAddress("127.0.0.1", 0)).start();
        // A second Gatehouse instance over the same store: its own replay memory, as after a restart.
        secondInstance = new ApiServer(service, tokens, null, signedVerifier(), new InetSocketAddress("127.0.0.1", 0)).start();
    }

    @AfterAll
    static void stop() {
        api.close();
        secondInstance.close();
        service.close();
        store.close();
    }

    private static InboundVerifier signedVerifier() {
        InboundDecisions inbound = new InboundDecisions(new InboundConfig(null, Map.of(), Secret.of(DECISION_SECRET)));
        return (headers, body) -> inbound.verifySigned(headers, body)
                .map(v -> new InboundVerifier.Inbound(v.requestId(), v.approver(), v.approve(), v.reason(), v.channel()));
    }

    private static Caller caller(String name, String actingFor, Source source) {
        return new Caller(new Principal(name, actingFor), source, HoldMode.FAIL);
    }

    /** A statement no other test sends, held in fail mode: its request id. */
    private static String held(String sql, List<?> params, String path, Caller who) {
        return assertInstanceOf(Outcome.Review.class, checkpoint.check(sql, params, path, who)).requestId();
    }

    static int vote(ApiServer server, String requestId, String choice, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/requests/" + requestId + "/" + choice))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"attack test\"}"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static HttpResponse<String> signedDecision(ApiServer server, String body, String timestamp, String secret) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hooks/decision"))
                .header("X-Gatehouse-Timestamp", timestamp)
                .header("X-Gatehouse-Signature", TestSigning.gatehouse(secret, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // ------------------------------------------------------------------ approval reuse

    /** One attempt to run an approved statement in another scope: it must be held again, never run. */
    record Reuse(String name, String sql, List<?> params, String path, Caller who) {
    }

    @TestFactory
    Stream<DynamicTest> anApprovalRunsOnlyItsOwnScope() throws Exception {
        String table = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String sql = "UPDATE " + table + " SET n = $1 WHERE id = $2"; // as the driver hands it over: pgjdbc's own text
        Caller agent = caller("agent-7", "dave", SOURCE);
        String id = held(sql, List.of(1, 2), "public", agent);
        assertEquals(200, vote(api, id, "approve", alice));
        List<Reuse> attempts = List.of(
                new Reuse("another statement text", sql + " ", List.of(1, 2), "public", agent),
                new Reuse("another parameter value", sql, List.of(1, 3), "public", agent),
                new Reuse("another parameter type rendering", sql, List.of("1", "2 "), "public", agent),
                new Reuse("one parameter fewer", sql, List.of(1), "public", agent),
                new Reuse("another principal", sql, List.of(1, 2), "public", caller("agent-8", "dave", SOURCE)),
                new Reuse("another human behind the agent", sql, List.of(1, 2), "public", caller("agent-7", "erin", SOURCE)),
                new Reuse("no human behind the agent", sql, List.of(1, 2), "public", caller("agent-7", null, SOURCE)),
                new Reuse("another database", sql, List.of(1, 2), "public",
                        caller("agent-7", "dave", new Source(Source.Channel.PROXY, "10.1.2.3", "agent", "shop_prod"))),
                new Reuse("another search path", sql, List.of(1, 2), "billing, public", agent));
        Stream<DynamicTest> others = attempts.stream().map(a -> DynamicTest.dynamicTest(a.name(), () -> {
            Outcome o = checkpoint.check(a.sql(), a.params(), a.path(), a.who());
            Outcome.Review again = assertInstanceOf(Outcome.Review.class, o, "must be held again, not run");
            assertNotEquals(id, again.requestId());
            assertEquals(RequestState.APPROVED, service.find(id).orElseThrow().state(), "the approval is still unused");
        }));
        Stream<DynamicTest> own = Stream.of(
                DynamicTest.dynamicTest("the approved scope runs once", () -> {
                    assertSame(Outcome.ALLOW, checkpoint.check(sql, List.of(1, 2), "public", agent));
                    assertEquals(RequestState.CONSUMED, service.find(id).orElseThrow().state());
                }),
                DynamicTest.dynamicTest("and never twice", () ->
                        assertInstanceOf(Outcome.Review.class, checkpoint.check(sql, List.of(1, 2), "public", agent))));
        return Stream.concat(others, own);
    }

    @Test
    void anApprovalRunsOutAfterItsApprovalExpiry() throws Exception {
        Caller agent = caller("quick-agent", null, SOURCE);
        String sql = "DELETE FROM quick WHERE id = " + System.nanoTime();
        String id = held(sql, List.of(), "public", agent);
        assertEquals(200, vote(api, id, "approve", alice));
        Thread.sleep(1_200); // approval_expires: 1s
        assertInstanceOf(Outcome.Review.class, checkpoint.check(sql, List.of(), "public", agent));
        assertNotEquals(RequestState.CONSUMED, service.find(id).orElseThrow().state());
    }

    @Test
    void concurrentIdenticalRerunsConsumeOneApprovalOnce() throws Exception {
        Caller agent = caller("agent-7", null, SOURCE);
        String sql = "DELETE FROM race WHERE id = " + System.nanoTime();
        String id = held(sql, List.of(), "public", agent);
        assertEquals(200, vote(api, id, "approve", bob));
        List<Outcome> outcomes;
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Outcome>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> checkpoint.check(sql, List.of(), "public", agent)));
            }
            outcomes = new java.util.ArrayList<>();
            for (var r : runs) {
                outcomes.add(r.get());
            }
        }
        assertEquals(1, outcomes.stream().filter(o -> o == Outcome.ALLOW).count(), outcomes.toString());
    }

    // ------------------------------------------------------------------ self-approval

    /** Who tries to approve a request by {@code principal} acting for {@code actingFor}, and the HTTP answer. */
    record SelfVote(String name, String principal, String actingFor, String token, int status) {
    }

    @TestFactory
    Stream<DynamicTest> nobodyApprovesTheirOwnRequest() {
        return Stream.of(
                new SelfVote("the requester, a member of the group", "alice", null, "alice", 403),
                new SelfVote("the requester under another case", "Alice", null, "alice", 403),
                new SelfVote("the requester with padding", " alice ", null, "alice", 403),
                new SelfVote("the requester in full-width letters", "\uFF41lice", null, "alice", 403),
                new SelfVote("the human an agent acts for", "agent-7", "bob", "bob", 403),
                new SelfVote("the human an agent acts for, other case", "agent-7", "BOB", "bob", 403),
                new SelfVote("an approver outside the rule's groups", "agent-7", null, "carol", 403),
                new SelfVote("no token", "agent-7", null, null, 401),
                new SelfVote("an eligible approver", "agent-7", "dave", "bob", 200)
        ).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String id = held("DELETE FROM self WHERE id = " + System.nanoTime(), List.of(), "public",
                    caller(c.principal(), c.actingFor(), SOURCE));
            String token = c.token() == null ? null : switch (c.token()) {
                case "alice" -> alice;
                case "bob" -> bob;
                default -> carol;
            };
            assertEquals(c.status(), vote(api, id, "approve", token));
            assertEquals(c.status() == 200 ? RequestState.APPROVED : RequestState.PENDING, service.find(id).orElseThrow().state());
        }));
    }

    // ------------------------------------------------------------------ tokens

    @Test
    void forgedAndReplacedTokensAreRefused() throws Exception {
        String id = held("DELETE FROM tok WHERE id = " + System.nanoTime(), List.of(), "public", caller("agent-7", null, SOURCE));
        String aliceSecret = alice.substring(alice.indexOf('.'));
        String bobName = bob.substring(0, bob.indexOf('.'));
        assertEquals(401, vote(api, id, "approve", bobName + aliceSecret), "bob's name with alice's secret");
        assertEquals(401, vote(api, id, "approve", alice + "x"), "a token with a byte more");
        assertEquals(401, vote(api, id, "approve", alice.substring(0, alice.length() - 1)), "a token with a byte less");
        assertEquals(401, vote(api, id, "approve", "ght_" + "A".repeat(2000)), "an oversized token");
        String old = tokens.issue("bob");
        String fresh = tokens.issue("bob");
        assertEquals(401, vote(api, id, "approve", old), "a replaced token");
        assertEquals(200, vote(api, id, "approve", fresh));
        bob = fresh;
        try (Connection c = java.sql.DriverManager.getConnection(stores.url(), "sa", "");
             var rs = c.createStatement().executeQuery("SELECT token_hash FROM gh_token WHERE approver = 'bob'")) {
            assertTrue(rs.next());
            assertFalse(rs.getString(1).contains(fresh.substring(fresh.indexOf('.') + 1)), "only a hash is stored");
        }
    }

    @Test
    void theSignInCookieAloneCannotCastAVote() throws Exception {
        // What a cross-site form or fetch would carry: the browser's cookie, no Authorization header.
        String id = held("DELETE FROM csrf WHERE id = " + System.nanoTime(), List.of(), "public", caller("agent-7", null, SOURCE));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/api/requests/" + id + "/approve"))
                .header("Cookie", "gatehouse_token=" + alice).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        assertEquals(RequestState.PENDING, service.find(id).orElseThrow().state());
    }

    // ------------------------------------------------------------------ web hooks

    @Test
    void aSignedDecisionCountsOnceAcrossReplaysAndInstances() throws Exception {
        String id = held("DELETE FROM hook WHERE id = " + System.nanoTime(), List.of(), "public", caller("agent-7", null, SOURCE));
        String body = "{\"request_id\":\"" + id + "\",\"approver\":\"alice\",\"decision\":\"deny\",\"reason\":\"no\"}";
        String now = Long.toString(Instant.now().getEpochSecond());
        assertEquals(401, signedDecision(api, body, now, "not-the-secret").statusCode(), "wrong secret");
        String stale = Long.toString(Instant.now().getEpochSecond() - 301);
        assertEquals(401, signedDecision(api, body, stale, DECISION_SECRET).statusCode(), "outside the window");
        // well past the window: the server reads its clock a moment later, so +301 can land on the boundary
        String future = Long.toString(Instant.now().getEpochSecond() + 330);
        assertEquals(401, signedDecision(api, body, future, DECISION_SECRET).statusCode(), "from the future");
        assertEquals(200, signedDecision(api, body, now, DECISION_SECRET).statusCode());
        assertEquals(401, signedDecision(api, body, now, DECISION_SECRET).statusCode(), "replayed to the same instance");
        int elsewhere = signedDecision(secondInstance, body, now, DECISION_SECRET).statusCode();
        assertEquals(409, elsewhere, "replayed to another instance: already decided, nothing new recorded");
        assertEquals(RequestState.DENIED, service.find(id).orElseThrow().state());
        assertEquals(1, service.find(id).orElseThrow().votes().size());
    }

    @Test
    void aSignedDecisionCannotApproveForTheRequester() throws Exception {
        String id = held("DELETE FROM hook2 WHERE id = " + System.nanoTime(), List.of(), "public", caller("Alice", null, SOURCE));
        String body = "{\"request_id\":\"" + id + "\",\"approver\":\"alice\",\"decision\":\"approve\"}";
        assertEquals(403, signedDecision(api, body, Long.toString(Instant.now().getEpochSecond()), DECISION_SECRET).statusCode());
        assertEquals(RequestState.PENDING, service.find(id).orElseThrow().state());
    }

    // ------------------------------------------------------------------ audit

    @Test
    void editingOrDroppingAuditRecordsIsDetected() throws Exception {
        held("DELETE FROM audited WHERE id = " + System.nanoTime(), List.of(), "public", caller("agent-7", null, SOURCE));
        assertTrue(AuditVerifier.verify(store).ok());
        long last;
        String original;
        try (Connection c = java.sql.DriverManager.getConnection(stores.url(), "sa", "");
             var rs = c.createStatement().executeQuery("SELECT seq, record FROM gh_audit ORDER BY seq DESC LIMIT 1")) {
            assertTrue(rs.next());
            last = rs.getLong(1);
            original = rs.getString(2);
        }
        try {
            exec("UPDATE gh_audit SET record = ? WHERE seq = ?", original.replace("agent-7", "agent-0"), last);
            assertFalse(AuditVerifier.verify(store).ok(), "an edited principal");
        } finally {
            exec("UPDATE gh_audit SET record = ? WHERE seq = ?", original, last);
        }
        assertTrue(AuditVerifier.verify(store).ok());
        String hash;
        try (Connection c = java.sql.DriverManager.getConnection(stores.url(), "sa", "");
             var rs = c.createStatement().executeQuery("SELECT hash FROM gh_audit WHERE seq = " + last)) {
            assertTrue(rs.next());
            hash = rs.getString(1);
        }
        try {
            exec("DELETE FROM gh_audit WHERE seq = ?", last);
            assertFalse(AuditVerifier.verify(store).ok(), "the newest record deleted");
        } finally {
            exec("INSERT INTO gh_audit (seq, record, hash) VALUES (?, ?, ?)", last, original, hash);
        }
        assertTrue(AuditVerifier.verify(store).ok());
    }

    private static void exec(String sql, Object... args) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(stores.url(), "sa", "");
             PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            p.executeUpdate();
        }
    }
}
