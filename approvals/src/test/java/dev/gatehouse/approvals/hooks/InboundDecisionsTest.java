package dev.gatehouse.approvals.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Inbound decisions over real HTTP: a JDK HttpServer on loopback hands the raw headers and body to
 * {@link InboundDecisions} and answers 200 with the vote or 401, and the JDK HttpClient sends requests
 * signed here, from the written scheme, with {@link TestSigning}.
 */
class InboundDecisionsTest {

    private static final String SLACK_SECRET = "slack-signing-secret-8f74";
    private static final String DECISION_SECRET = "ticket-system-secret";
    private static final Instant NOW = Instant.parse("2026-11-21T20:00:00Z");
    private static final long NOW_S = NOW.getEpochSecond();
    private static final Map<String, String> SLACK_USERS = Map.of("U0ALICE", "alice", "U0BOB", "bob");

    private final AtomicReference<InboundDecisions> decisions = new AtomicReference<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        fresh(new InboundConfig(Secret.of(SLACK_SECRET), SLACK_USERS, Secret.of(DECISION_SECRET)));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/slack/actions", exchange -> answer(exchange, true));
        server.createContext("/decisions", exchange -> answer(exchange, false));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
        client.close();
    }

    private void fresh(InboundConfig config) {
        decisions.set(new InboundDecisions(config, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    /** What a real endpoint does: bounded read of the raw body, verify, 200 with the vote or 401. */
    private void answer(HttpExchange exchange, boolean slack) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(InboundDecisions.MAX_BODY_BYTES + 1);
            Optional<InboundVote> vote = slack
                    ? decisions.get().verifySlack(exchange.getRequestHeaders(), body)
                    : decisions.get().verifySigned(exchange.getRequestHeaders(), body);
            byte[] answer = vote.map(InboundVote::toString).orElse("rejected").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(vote.isPresent() ? 200 : 401, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** A request as sent: header pairs (a name may repeat) and the raw body. */
    record Sent(List<String[]> headers, String body) {
        Sent with(String name, String value) {
            List<String[]> more = new ArrayList<>(headers);
            more.add(new String[] {name, value});
            return new Sent(more, body);
        }
    }

    private HttpResponse<String> post(String path, Sent sent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(sent.body()));
        for (String[] header : sent.headers()) {
            request.header(header[0], header[1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- Slack ----

    private static String slackPayload(String userId, String actionId, String requestId) {
        return "{\"type\":\"block_actions\",\"user\":{\"id\":\"" + userId + "\",\"username\":\"someone\",\"team_id\":\"T0\"},"
                + "\"team\":{\"id\":\"T0\"},\"actions\":[{\"type\":\"button\",\"block_id\":\"gatehouse.decide\","
                + "\"action_id\":\"" + actionId + "\",\"value\":\"" + requestId + "\",\"action_ts\":\"1763755200.1\"}],"
                + "\"response_url\":\"https://hooks.slack.com/actions/T0/1/abc\"}";
    }

    private static String form(String payloadJson) {
        return "payload=" + URLEncoder.encode(payloadJson, StandardCharsets.UTF_8);
    }

    /** Signed the way Slack signs: v0 over "v0:" + timestamp + ":" + body. */
    private static Sent slackSigned(String secret, long timestamp, String body) {
        String ts = Long.toString(timestamp);
        return new Sent(List.of(), body)
                .with("Content-Type", "application/x-www-form-urlencoded")
                .with("X-Slack-Request-Timestamp", ts)
                .with("X-Slack-Signature", TestSigning.slack(secret, ts, body));
    }

    private static String approveClick(String user, String requestId) {
        return form(slackPayload(user, "gatehouse.approve", requestId));
    }

    record Case(String name, Sent sent, InboundVote expected) {
    }

    @TestFactory
    Stream<DynamicTest> slackInteractivity() {
        String good = approveClick("U0ALICE", "r-1");
        List<Case> cases = List.of(
            new Case("approve click from a mapped user", slackSigned(SLACK_SECRET, NOW_S, good),
                new InboundVote("r-1", "alice", true, "approved in Slack", "slack")),
            new Case("deny click", slackSigned(SLACK_SECRET, NOW_S, form(slackPayload("U0BOB", "gatehouse.deny", "r-2"))),
                new InboundVote("r-2", "bob", false, "denied in Slack", "slack")),
            new Case("timestamp 4 minutes old is inside the window", slackSigned(SLACK_SECRET, NOW_S - 240, good),
                new InboundVote("r-1", "alice", true, "approved in Slack", "slack")),
            new Case("signed with another secret", slackSigned("not-the-secret", NOW_S, good), null),
            new Case("body changed after signing", new Sent(slackSigned(SLACK_SECRET, NOW_S, good).headers(),
                approveClick("U0ALICE", "r-666")), null),
            new Case("expired: timestamp 6 minutes old", slackSigned(SLACK_SECRET, NOW_S - 360, good), null),
            new Case("timestamp 6 minutes in the future", slackSigned(SLACK_SECRET, NOW_S + 360, good), null),
            new Case("no signature header", new Sent(List.of(), good)
                .with("X-Slack-Request-Timestamp", Long.toString(NOW_S)), null),
            new Case("no timestamp header", new Sent(List.of(), good)
                .with("X-Slack-Signature", TestSigning.slack(SLACK_SECRET, Long.toString(NOW_S), good)), null),
            new Case("signature header given twice", slackSigned(SLACK_SECRET, NOW_S, good)
                .with("X-Slack-Signature", "v0=00"), null),
            new Case("timestamp not a number", new Sent(List.of(), good).with("X-Slack-Request-Timestamp", "-1")
                .with("X-Slack-Signature", TestSigning.slack(SLACK_SECRET, "-1", good)), null),
            new Case("right mac but v1 prefix", new Sent(List.of(), good)
                .with("X-Slack-Request-Timestamp", Long.toString(NOW_S))
                .with("X-Slack-Signature", "v1=" + TestSigning.slack(SLACK_SECRET, Long.toString(NOW_S), good).substring(3)), null),
            new Case("Slack user not mapped to an approver",
                slackSigned(SLACK_SECRET, NOW_S, approveClick("U0MALLORY", "r-1")), null),
            new Case("unknown action id",
                slackSigned(SLACK_SECRET, NOW_S, form(slackPayload("U0ALICE", "gatehouse.open", "r-1"))), null),
            new Case("not a block_actions payload", slackSigned(SLACK_SECRET, NOW_S,
                form(slackPayload("U0ALICE", "gatehouse.approve", "r-1").replace("block_actions", "view_submission"))), null),
            new Case("two actions in one click", slackSigned(SLACK_SECRET, NOW_S, form(slackPayload("U0ALICE",
                "gatehouse.approve", "r-1").replace("}],", "},{\"action_id\":\"gatehouse.deny\",\"value\":\"r-1\"}],"))), null),
            new Case("payload is not JSON", slackSigned(SLACK_SECRET, NOW_S, form("{not json")), null),
            new Case("payload field given twice", slackSigned(SLACK_SECRET, NOW_S, good + "&" + good), null),
            new Case("empty request id", slackSigned(SLACK_SECRET, NOW_S, approveClick("U0ALICE", "")), null),
            new Case("body over 64 KiB", slackSigned(SLACK_SECRET, NOW_S,
                good + "&pad=" + "x".repeat(InboundDecisions.MAX_BODY_BYTES)), null));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            fresh(new InboundConfig(Secret.of(SLACK_SECRET), SLACK_USERS, Secret.of(DECISION_SECRET)));
            assertOutcome(c.expected(), post("/slack/actions", c.sent()));
        }));
    }

    @Test
    void aReplayedSlackRequestIsRejected() throws Exception {
        Sent click = slackSigned(SLACK_SECRET, NOW_S - 10, approveClick("U0ALICE", "r-1"));
        assertEquals(200, post("/slack/actions", click).statusCode());
        assertEquals(401, post("/slack/actions", click).statusCode());
        // A fresh click (new timestamp, so new signature) is a new request.
        assertEquals(200, post("/slack/actions", slackSigned(SLACK_SECRET, NOW_S, approveClick("U0ALICE", "r-1"))).statusCode());
    }

    @Test
    void slackIsRejectedWhenNoSigningSecretIsConfigured() throws Exception {
        fresh(new InboundConfig(null, SLACK_USERS, Secret.of(DECISION_SECRET)));
        assertEquals(401, post("/slack/actions", slackSigned(SLACK_SECRET, NOW_S, approveClick("U0ALICE", "r-1"))).statusCode());
    }

    // ---- signed decisions from other systems ----

    private static String decision(String requestId, String approver, String decision, String reason) {
        return "{\"request_id\":\"" + requestId + "\",\"approver\":\"" + approver + "\",\"decision\":\"" + decision
                + "\",\"reason\":\"" + reason + "\"}";
    }

    private static Sent signed(String secret, long timestamp, String body, String deliveryId) {
        String ts = Long.toString(timestamp);
        Sent sent = new Sent(List.of(), body)
                .with("Content-Type", "application/json")
                .with("X-Gatehouse-Timestamp", ts)
                .with("X-Gatehouse-Signature", TestSigning.gatehouse(secret, ts, body));
        return deliveryId == null ? sent : sent.with("X-Gatehouse-Delivery", deliveryId);
    }

    @TestFactory
    Stream<DynamicTest> signedDecisions() {
        String good = decision("r-1", "carol", "approve", "ticket OPS-12 approved");
        List<Case> cases = List.of(
            new Case("approve with a reason", signed(DECISION_SECRET, NOW_S, good, "d-1"),
                new InboundVote("r-1", "carol", true, "ticket OPS-12 approved", "webhook")),
            new Case("deny without a delivery id", signed(DECISION_SECRET, NOW_S,
                decision("r-2", "dave", "deny", "not during freeze"), null),
                new InboundVote("r-2", "dave", false, "not during freeze", "webhook")),
            new Case("reason may be absent", signed(DECISION_SECRET, NOW_S,
                "{\"request_id\":\"r-3\",\"approver\":\"carol\",\"decision\":\"approve\"}", null),
                new InboundVote("r-3", "carol", true, "", "webhook")),
            new Case("signed with the Slack secret instead", signed(SLACK_SECRET, NOW_S, good, null), null),
            new Case("body changed after signing", new Sent(signed(DECISION_SECRET, NOW_S, good, null).headers(),
                good.replace("carol", "mallory")), null),
            new Case("expired: timestamp 6 minutes old", signed(DECISION_SECRET, NOW_S - 360, good, null), null),
            new Case("timestamp 6 minutes in the future", signed(DECISION_SECRET, NOW_S + 360, good, null), null),
            new Case("no signature", new Sent(List.of(), good).with("X-Gatehouse-Timestamp", Long.toString(NOW_S)), null),
            new Case("delivery id given twice", signed(DECISION_SECRET, NOW_S, good, "d-1").with("X-Gatehouse-Delivery", "d-2"), null),
            new Case("decision neither approve nor deny", signed(DECISION_SECRET, NOW_S,
                decision("r-1", "carol", "abstain", ""), null), null),
            new Case("decision key given twice", signed(DECISION_SECRET, NOW_S,
                "{\"request_id\":\"r-1\",\"approver\":\"carol\",\"decision\":\"deny\",\"decision\":\"approve\"}", null), null),
            new Case("approver missing", signed(DECISION_SECRET, NOW_S,
                "{\"request_id\":\"r-1\",\"decision\":\"approve\"}", null), null),
            new Case("approver not a string", signed(DECISION_SECRET, NOW_S,
                "{\"request_id\":\"r-1\",\"approver\":[\"carol\"],\"decision\":\"approve\"}", null), null),
            new Case("request id too long", signed(DECISION_SECRET, NOW_S,
                decision("r".repeat(HookEvent.MAX_REQUEST_ID_LENGTH + 1), "carol", "approve", ""), null), null),
            new Case("reason too long", signed(DECISION_SECRET, NOW_S,
                decision("r-1", "carol", "approve", "x".repeat(InboundDecisions.MAX_REASON_LENGTH + 1)), null), null),
            new Case("body is a JSON array", signed(DECISION_SECRET, NOW_S, "[" + good + "]", null), null),
            new Case("body over 64 KiB", signed(DECISION_SECRET, NOW_S,
                good.replace("ticket OPS-12 approved", "x".repeat(InboundDecisions.MAX_BODY_BYTES)), null), null));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            fresh(new InboundConfig(Secret.of(SLACK_SECRET), SLACK_USERS, Secret.of(DECISION_SECRET)));
            assertOutcome(c.expected(), post("/decisions", c.sent()));
        }));
    }

    @Test
    void aReplayedSignedDecisionIsRejected() throws Exception {
        Sent sent = signed(DECISION_SECRET, NOW_S, decision("r-1", "carol", "approve", ""), null);
        assertEquals(200, post("/decisions", sent).statusCode());
        assertEquals(401, post("/decisions", sent).statusCode());
    }

    @Test
    void aResentDeliveryIdIsRejectedEvenWithAFreshSignature() throws Exception {
        String body = decision("r-1", "carol", "approve", "");
        assertEquals(200, post("/decisions", signed(DECISION_SECRET, NOW_S - 30, body, "d-42")).statusCode());
        // The sender's retry: new timestamp and signature, same delivery id.
        assertEquals(401, post("/decisions", signed(DECISION_SECRET, NOW_S, body, "d-42")).statusCode());
        // Another delivery is accepted.
        assertEquals(200, post("/decisions", signed(DECISION_SECRET, NOW_S, body, "d-43")).statusCode());
    }

    @Test
    void signedDecisionsAreRejectedWhenNoSecretIsConfigured() throws Exception {
        fresh(new InboundConfig(Secret.of(SLACK_SECRET), SLACK_USERS, null));
        assertEquals(401, post("/decisions",
                signed(DECISION_SECRET, NOW_S, decision("r-1", "carol", "approve", ""), null)).statusCode());
    }

    private static void assertOutcome(InboundVote expected, HttpResponse<String> response) {
        if (expected == null) {
            assertEquals(401, response.statusCode(), response.body());
        } else {
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(expected.toString(), response.body());
        }
    }
}
