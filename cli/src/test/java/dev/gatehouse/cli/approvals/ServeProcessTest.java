package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.hooks.TestSigning;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.store.Json;
import dev.gatehouse.approvals.store.Store;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse serve --config} as a real process with its secrets in its environment and in files, sharing a
 * real PostgreSQL store with this test: a decision posted to it fires a signed hook, and nothing it prints (nor
 * its help, nor its config errors) contains a secret.
 */
class ServeProcessTest {
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String STORE_PASSWORD = "store-password-5b1f";
    private static final String HOOK_SECRET = "hook-secret-0d9a";
    private static final String SLACK_SECRET = "slack-secret-77e2";
    private static final String DECISION_SECRET = "decision-secret-e41b";
    private static final List<String> SECRETS = List.of(STORE_PASSWORD, HOOK_SECRET, SLACK_SECRET, DECISION_SECRET);

    @TempDir
    Path dir;

    @Test
    void aDecisionPostedToTheProcessFiresASignedHookAndNoSecretIsPrinted() throws Exception {
        String schema = "gh_serve_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
        String store = PG + "?currentSchema=" + schema;
        Files.writeString(dir.resolve("policy.yaml"), "version: 1\napprovers: { dba: [alice, bob] }\nrules: []\n");
        Files.writeString(dir.resolve("decision.secret"), DECISION_SECRET);
        try (Receiver receiver = new Receiver(200)) {
            Files.writeString(dir.resolve("serve.yaml"), """
                    version: 1
                    listen: 127.0.0.1:0
                    policy: policy.yaml
                    store: { url: "%s", user: postgres, password_env: STORE_PW }
                    hooks:
                      - kind: generic
                        url: %s
                        secret_env: HOOK_SECRET
                    inbound:
                      slack: { signing_secret_env: SLACK_SECRET, users: { U1: alice } }
                      decision: { secret_file: decision.secret }
                    """.formatted(store, receiver.url("/hook")));
            Process serve = start(List.of("serve", "--config", dir.resolve("serve.yaml").toString()),
                    Map.of("STORE_PW", STORE_PASSWORD, "HOOK_SECRET", HOOK_SECRET, "SLACK_SECRET", SLACK_SECRET));
            try (Store shared = Store.open(store, "postgres", null, 2);
                 ApprovalService here = new ApprovalService(shared, Map.of("dba", List.of("alice", "bob")), ServiceOptions.defaults(), null)) {
                int port = port(serve);
                String id = here.open(ServeHooksTest.submission("update accounts set flagged = true")).requestId();
                for (String approver : List.of("alice", "bob")) {
                    String body = Json.write(Map.of("request_id", id, "approver", approver, "decision", "approve"));
                    String ts = Long.toString(System.currentTimeMillis() / 1000);
                    HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/hooks/decision"))
                            .header("X-Gatehouse-Timestamp", ts).header("X-Gatehouse-Signature", TestSigning.gatehouse(DECISION_SECRET, ts, body))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, res.statusCode(), res.body());
                }
                Receiver.Got approved = receiver.next("request.approved");
                assertEquals(TestSigning.gatehouse(HOOK_SECRET, approved.timestamp(), approved.body()), approved.signature());
                JsonNode hook = Json.MAPPER.readTree(approved.body());
                assertEquals(id, hook.get("request_id").asText());
                assertEquals("approved", hook.at("/payload/state").asText());
                assertEquals("approved", here.find(id).orElseThrow().state().wire(), "the decision is in the shared store");
            } finally {
                serve.destroy();
                assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve stops on SIGTERM");
                sql("DROP SCHEMA " + schema + " CASCADE");
            }
            String printed = output(serve);
            assertTrue(printed.contains("gatehouse serve: listening on http://127.0.0.1:"), printed);
            assertTrue(printed.contains("1 web hook generic"), printed);
            assertNoSecret(printed);
        }
    }

    @Test
    void helpAndConfigErrorsPrintNoSecret() throws Exception {
        Process help = start(List.of("serve", "--help"), Map.of("STORE_PW", STORE_PASSWORD));
        assertEquals(0, help.waitFor());
        String text = output(help);
        assertTrue(text.contains("--config FILE"), text);
        assertNoSecret(text);

        Files.writeString(dir.resolve("serve.yaml"), "version: 1\nhooks:\n  - kind: generic\n    url: http://127.0.0.1:1/x\n    secret: "
                + HOOK_SECRET + "\n");
        Process inline = start(List.of("serve", "--config", dir.resolve("serve.yaml").toString()), Map.of());
        assertEquals(2, inline.waitFor());
        String error = output(inline);
        assertTrue(error.contains(dir.resolve("serve.yaml") + ":5:5: hooks[0].secret: secrets are never written"), error);
        assertNoSecret(error);

        Files.writeString(dir.resolve("serve.yaml"), "version: 1\nlisten: 127.0.0.1:0\ninbound:\n  decision: { secret_env: DECISION }\n");
        Process unset = start(List.of("serve", "--config", dir.resolve("serve.yaml").toString()), Map.of("DECISIONS", DECISION_SECRET));
        assertEquals(2, unset.waitFor());
        String missing = output(unset);
        assertTrue(missing.contains(":4:15: inbound.decision.secret_env: environment variable DECISION is not set"), missing);
        assertNoSecret(missing);
    }

    private static void assertNoSecret(String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), "a secret was printed: " + text);
        }
    }

    private final Map<Process, ServeProcess> started = new java.util.concurrent.ConcurrentHashMap<>();

    private Process start(List<String> args, Map<String, String> env) throws IOException {
        ServeProcess p = ServeProcess.start(dir, args, env);
        started.put(p.process(), p);
        return p.process();
    }

    private String output(Process p) throws IOException {
        return started.get(p).output();
    }

    private int port(Process p) throws Exception {
        return started.get(p).apiPort();
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(PG, "postgres", null); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
