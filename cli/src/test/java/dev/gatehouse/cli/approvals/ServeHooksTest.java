package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.hooks.TestSigning;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.approvals.Submission;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Json;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.ReviewSpec;
import dev.gatehouse.policy.RuleHit;
import dev.gatehouse.policy.Verdict;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} started from a config file, in-process: hooks reach a real receiver signed as documented, Slack
 * clicks and signed decisions reach votes through serve's routes, replays are refused, and a failing hook
 * target shows in {@code GET /api/hooks} and on the page.
 */
class ServeHooksTest {
    private static final String HOOK_SECRET = "hook-secret-4f1c";
    private static final String SLACK_SECRET = "slack-signing-secret-9a7e";
    private static final String DECISION_SECRET = "decision-secret-c3d2";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void hooksFireAndInboundDecisionsVoteThroughServe() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), "version: 1\napprovers: { dba: [alice, bob, carol] }\nrules: []\n");
        Files.writeString(dir.resolve("slack.secret"), SLACK_SECRET + "\n");
        try (Receiver good = new Receiver(200); Receiver broken = new Receiver(410)) {
            Files.writeString(dir.resolve("serve.yaml"), """
                    version: 1
                    listen: 127.0.0.1:0
                    public_url: https://gatehouse.example.com/
                    policy: policy.yaml
                    store: { url: "jdbc:h2:file:%s" }
                    audit: { allows: all, redact_literals: true }
                    hooks:
                      - kind: generic
                        url: %s
                        secret_env: HOOK_SECRET
                        events: [request.created, request.approved]
                      - kind: generic
                        url: %s
                        secret_env: HOOK_SECRET
                        events: [request.created]
                    inbound:
                      slack:
                        signing_secret_file: slack.secret
                        users: { U111: alice, U999: mallory }
                      decision:
                        secret_env: DECISION_SECRET
                    """.formatted(dir.resolve("store"), good.url("/in"), broken.url("/gone")));
            ServeSettings settings = ServeConfig.load(dir.resolve("serve.yaml"));
            Map<String, String> env = Map.of("HOOK_SECRET", HOOK_SECRET, "DECISION_SECRET", DECISION_SECRET);
            try (Serve.Running serve = Serve.start(settings, env::get)) {
                String base = "http://127.0.0.1:" + serve.server().port();
                assertEquals(List.of("gatehouse serve: warning: inbound.slack.users maps U999 to mallory, who is in no approvers: "
                        + "group of the policy; their votes will be refused"), Serve.warnings(serve, settings));
                String id = serve.service().open(submission("delete from orders where note = 'customer-secret-77'")).requestId();

                Receiver.Got created = good.next("request.created");
                assertEquals(TestSigning.gatehouse(HOOK_SECRET, created.timestamp(), created.body()), created.signature());
                JsonNode body = Json.MAPPER.readTree(created.body());
                assertEquals(id, body.get("request_id").asText());
                assertEquals("delete from orders where note = ?", body.at("/payload/sql").asText());
                assertEquals("https://gatehouse.example.com/#" + id, body.at("/payload/approve_url").asText());
                assertFalse(created.body().contains("customer-secret-77"), created.body());

                String slackBody = "payload=" + URLEncoder.encode(Json.write(Map.of("type", "block_actions",
                        "user", Map.of("id", "U111"), "actions", List.of(Map.of("action_id", "gatehouse.approve", "value", id)))),
                        StandardCharsets.UTF_8);
                String ts = Long.toString(System.currentTimeMillis() / 1000);
                HttpRequest slack = HttpRequest.newBuilder(URI.create(base + "/hooks/slack/interactivity"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-Slack-Request-Timestamp", ts).header("X-Slack-Signature", TestSigning.slack(SLACK_SECRET, ts, slackBody))
                        .POST(HttpRequest.BodyPublishers.ofString(slackBody)).build();
                HttpResponse<String> clicked = HTTP.send(slack, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, clicked.statusCode(), clicked.body());
                assertEquals("alice", Json.MAPPER.readTree(clicked.body()).at("/votes/0/approver").asText(), clicked.body());
                assertEquals("pending", Json.MAPPER.readTree(clicked.body()).get("state").asText(), "quorum is 2");
                assertEquals(401, HTTP.send(slack, HttpResponse.BodyHandlers.ofString()).statusCode(), "a replayed click");

                String decision = Json.write(Map.of("request_id", id, "approver", "bob", "decision", "approve", "reason", "ticket OPS-1"));
                String ts2 = Long.toString(System.currentTimeMillis() / 1000);
                HttpRequest signed = HttpRequest.newBuilder(URI.create(base + "/hooks/decision"))
                        .header("X-Gatehouse-Timestamp", ts2).header("X-Gatehouse-Signature", TestSigning.gatehouse(DECISION_SECRET, ts2, decision))
                        .header("X-Gatehouse-Delivery", "d-1").POST(HttpRequest.BodyPublishers.ofString(decision)).build();
                HttpResponse<String> decided = HTTP.send(signed, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, decided.statusCode(), decided.body());
                assertEquals("approved", Json.MAPPER.readTree(decided.body()).get("state").asText(), decided.body());
                assertEquals(401, HTTP.send(signed, HttpResponse.BodyHandlers.ofString()).statusCode(), "a replayed decision");
                HttpRequest forged = HttpRequest.newBuilder(URI.create(base + "/hooks/decision"))
                        .header("X-Gatehouse-Timestamp", ts2).header("X-Gatehouse-Signature", TestSigning.gatehouse("wrong", ts2, decision))
                        .POST(HttpRequest.BodyPublishers.ofString(decision)).build();
                assertEquals(401, HTTP.send(forged, HttpResponse.BodyHandlers.ofString()).statusCode(), "a forged decision");

                Receiver.Got approved = good.next("request.approved");
                assertEquals(TestSigning.gatehouse(HOOK_SECRET, approved.timestamp(), approved.body()), approved.signature());
                assertEquals(id, Json.MAPPER.readTree(approved.body()).get("request_id").asText());

                broken.next("request.created");
                String token = new TokenStore(serve.store()).issue("carol");
                JsonNode hooks = awaitFailure(base, token);
                assertEquals(2, hooks.get("targets").asInt());
                JsonNode failure = hooks.at("/recent_failures/0");
                assertEquals("request.created", failure.get("event").asText());
                assertEquals(id, failure.get("request_id").asText());
                assertEquals(broken.url(""), failure.get("target").asText());
                assertTrue(failure.get("reason").asText().contains("410"), failure.toString());
                assertFalse(hooks.toString().contains(HOOK_SECRET) || hooks.toString().contains("/gone"), hooks.toString());
                assertEquals(401, get(base + "/api/hooks", null).statusCode());

                HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/"))
                        .header("Cookie", "gatehouse_token=" + token).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(page.body().contains("<p id=\"hooks\" class=\"hooks failing\">web hooks: 2 targets, "), page.body());
                assertTrue(page.body().contains("1 failed"), page.body());
            }
        }
    }

    /** Waits (bounded) for the failed delivery to be recorded: delivery is asynchronous by design. */
    private static JsonNode awaitFailure(String base, String token) throws Exception {
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> res = get(base + "/api/hooks", token);
            assertEquals(200, res.statusCode(), res.body());
            JsonNode n = Json.MAPPER.readTree(res.body());
            if (n.get("failed").asLong() > 0) {
                return n;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the failed delivery was never reported");
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Submission submission(String sql) {
        Verdict.Review review = new Verdict.Review(List.of(new RuleHit("bulk", Action.REVIEW, false, List.of("kind WRITE"))),
                new ReviewSpec(Set.of("dba"), 2, Duration.ofMinutes(5), Duration.ofMinutes(5), ReviewSpec.HoldMode.WAIT), "bulk write");
        return new Submission("agent-1", null, new Source(Source.Channel.PROXY, "10.0.0.9", "etl", "shop"), sql, List.of(),
                new Decision(review, List.of(), "p1"), "a1");
    }
}
