package dev.gatehouse.approvals.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Submissions;
import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.events.InboundVerifier;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Json;
import dev.gatehouse.approvals.store.Store;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every API answer over real HTTP on loopback. */
class ApiServerTest {
    private static TestStores ts;
    private static Store store;
    private static ApprovalService service;
    private static ApiServer server;
    private static TokenStore tokens;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String alice;
    private static String sam;
    private static String agent;
    private static String dave;

    @BeforeAll
    static void start() throws Exception {
        ts = TestStores.h2();
        store = ts.open();
        service = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null);
        tokens = new TokenStore(store);
        alice = tokens.issue("alice");
        sam = tokens.issue("sam");
        agent = tokens.issue("agent-7");
        dave = tokens.issue("dave");
        // The verifier interface is the seam for the hooks module; here a fixed shared secret stands in for it.
        InboundVerifier signed = (headers, body) -> "let-me-in".equals(headers.getOrDefault("X-test-secret", List.of("")).get(0))
                ? Optional.of(Json.read(new String(body), InboundVerifier.Inbound.class)) : Optional.empty();
        server = new ApiServer(service, tokens, null, signed, new InetSocketAddress("127.0.0.1", 0)).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        service.close();
        store.close();
        ts.drop();
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String newRequest(String sql) {
        return service.open(Submissions.simple(sql, Submissions.dba(1))).requestId();
    }

    private record Case(String name, String method, String path, String token, String body, int status, String says) {
    }

    @TestFactory
    Stream<DynamicTest> errorsAreExact() {
        String pending = newRequest("select ssn from users where id = 1");
        String decided = newRequest("select ssn from users where id = 2");
        service.vote(decided, "bob", dev.gatehouse.approvals.Vote.Choice.DENY, "no", "api");
        String approve = "/api/requests/" + pending + "/approve";
        return Stream.of(
                new Case("no token", "GET", "/api/requests", null, null, 401, "missing token"),
                new Case("malformed token", "GET", "/api/requests", "nonsense", null, 401, "bad token"),
                new Case("forged secret for a real name", "GET", "/api/requests",
                        alice.substring(0, alice.indexOf('.') + 1) + "AAAA", null, 401, "bad token"),
                new Case("no token on a vote", "POST", approve, null, "{}", 401, "missing token"),
                new Case("body not JSON", "POST", approve, alice, "reason=ok", 400, "bad body"),
                new Case("body a JSON array", "POST", approve, alice, "[1]", 400, "bad body"),
                new Case("unknown field", "POST", approve, alice, "{\"reason\":\"ok\",\"force\":true}", 400, "unknown field"),
                new Case("reason not a string", "POST", approve, alice, "{\"reason\":5}", 400, "bad body"),
                new Case("body too large", "POST", approve, alice, "{\"reason\":\"" + "x".repeat(70_000) + "\"}", 400, "too large"),
                new Case("empty body", "POST", approve, alice, "", 400, "bad body"),
                new Case("not in the approver group", "POST", approve, sam, "{\"reason\":\"ok\"}", 403, "not in any of the groups"),
                new Case("requester approves own request", "POST", approve, agent, "{}", 403, "own request"),
                new Case("acting-for human approves", "POST", approve, dave, "{}", 403, "acts for dave"),
                new Case("unknown request (show)", "GET", "/api/requests/nope", alice, null, 404, "no such request"),
                new Case("unknown request (vote)", "POST", "/api/requests/nope/approve", alice, "{}", 404, "no such request"),
                new Case("unknown path", "GET", "/api/other", alice, null, 404, "no such path"),
                new Case("already decided", "POST", "/api/requests/" + decided + "/approve", alice, "{}", 409, "already decided"),
                new Case("bad state filter", "GET", "/api/requests?state=maybe", alice, null, 400, "bad state"),
                new Case("hook with a bad signature", "POST", "/hooks/decision", null, "{}", 401, "signature"),
                new Case("slack without a verifier configured", "POST", "/hooks/slack/interactivity", null, "{}", 401, "signature"))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    HttpResponse<String> r = send(c.method(), c.path(), c.token(), c.body());
                    assertEquals(c.status(), r.statusCode(), r.body());
                    assertTrue(r.body().contains(c.says()), r.body());
                    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
                }));
    }

    @Test
    void livenessAndReadinessNeedNoTokenAndSayNoMore() throws Exception {
        HttpResponse<String> live = send("GET", "/healthz", null, null);
        assertEquals(200, live.statusCode(), live.body());
        HttpResponse<String> ready = send("GET", "/readyz", null, null);
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("{\"ready\":true}", ready.body().strip());
    }

    /** The search path (or MySQL database) a request will run under, in its JSON: shown and listed. */
    @TestFactory
    Stream<DynamicTest> searchPathIsInTheJson() {
        record Case(String name, String searchPath) {
        }
        return Stream.of(new Case("a PostgreSQL search path", "billing, \"$user\", public"),
                        new Case("a MySQL current database", "shop"),
                        new Case("none: the server's default", null))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    String id = service.open(Submissions.under(Submissions.simple("delete from users where id = "
                            + Math.abs(c.name().hashCode()), Submissions.dba(1)), c.searchPath())).requestId();
                    JsonNode one = Json.MAPPER.readTree(send("GET", "/api/requests/" + id, alice, null).body());
                    assertEquals(c.searchPath(), one.get("search_path").isNull() ? null : one.get("search_path").asText());
                    assertTrue(one.get("search_path_recorded").asBoolean());
                    JsonNode list = Json.MAPPER.readTree(send("GET", "/api/requests?state=pending", alice, null).body());
                    boolean listed = false;
                    for (JsonNode r : list.get("requests")) {
                        if (r.get("id").asText().equals(id)) {
                            listed = true;
                            assertEquals(one.get("search_path"), r.get("search_path"));
                        }
                    }
                    assertTrue(listed, list.toString());
                }));
    }

    /** What a held statement would touch, in its JSON, labelled measured or estimated. */
    @TestFactory
    Stream<DynamicTest> impactIsInTheJson() {
        record Case(String name, dev.gatehouse.approvals.Impact impact, String basis, Long rows, Double cost) {
        }
        return Stream.of(new Case("counted in a savepoint", dev.gatehouse.approvals.Impact.measured(30), "measured", 30L, null),
                        new Case("the planner's estimate", dev.gatehouse.approvals.Impact.estimated(1200, 35.5,
                                "EXPLAIN on PostgreSQL"), "estimated", 1200L, 35.5),
                        new Case("neither", dev.gatehouse.approvals.Impact.unknown("it calls functions"), "unknown", null, null),
                        new Case("not recorded", null, null, null, null))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    String id = service.open(Submissions.simple("delete from users where id = "
                            + Math.abs(c.name().hashCode()), Submissions.dba(1)).withImpact(c.impact())).requestId();
                    JsonNode impact = Json.MAPPER.readTree(send("GET", "/api/requests/" + id, alice, null).body()).get("impact");
                    if (c.impact() == null) {
                        assertTrue(impact.isNull(), impact.toString());
                        return;
                    }
                    assertEquals(c.basis(), impact.get("basis").asText());
                    assertEquals(c.rows(), impact.get("rows").isNull() ? null : impact.get("rows").asLong());
                    assertEquals(c.cost(), impact.get("cost").isNull() ? null : impact.get("cost").asDouble());
                    assertEquals(c.impact().describe(), impact.get("summary").asText());
                }));
    }

    @Test
    void listShowApproveAndAVoteByHook() throws Exception {
        String id = newRequest("update users set ssn = null where id = 9");
        JsonNode list = Json.MAPPER.readTree(send("GET", "/api/requests?state=pending", alice, null).body());
        boolean listed = false;
        for (JsonNode r : list.get("requests")) {
            listed |= r.get("id").asText().equals(id);
            assertEquals("pending", r.get("state").asText());
        }
        assertTrue(listed);
        JsonNode one = Json.MAPPER.readTree(send("GET", "/api/requests/" + id, alice, null).body());
        assertEquals("update users set ssn = null where id = 9", one.get("sql").asText());
        assertEquals("pii", one.get("rules").get(0).get("id").asText());
        HttpResponse<String> ok = send("POST", "/api/requests/" + id + "/approve", alice, "{\"reason\":\"ticket 42\"}");
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode after = Json.MAPPER.readTree(ok.body());
        assertEquals("approved", after.get("state").asText());
        assertEquals("ticket 42", after.get("votes").get(0).get("reason").asText());

        String viaHook = newRequest("update users set ssn = null where id = 10");
        HttpResponse<String> hook = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hooks/decision"))
                .header("X-Test-Secret", "let-me-in")
                .POST(HttpRequest.BodyPublishers.ofString("{\"requestId\":\"" + viaHook + "\",\"approver\":\"carol\",\"approve\":false,"
                        + "\"reason\":\"from the ticket system\",\"channel\":\"hook\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, hook.statusCode(), hook.body());
        assertEquals("denied", Json.MAPPER.readTree(hook.body()).get("state").asText());
    }
}
