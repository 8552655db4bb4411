package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.Source;
import dev.gatehouse.approvals.Submission;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.ReviewSpec;
import dev.gatehouse.policy.RuleHit;
import dev.gatehouse.policy.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The approvals commands end to end: a real server on loopback, a real H2 store file, the real HTTP client. */
class ApprovalsCommandsTest {
    @TempDir
    Path dir;

    private record Ran(int exit, String out, String err) {
    }

    private static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ApprovalsCommands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void tokenListApproveAndVerifyTheAudit() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\napprovers: { dba: [alice, bob] }\nrules: []\n");
        String store = "jdbc:h2:file:" + dir.resolve("store");
        try (ApprovalsCommands.Running server = ApprovalsCommands.start(Flags.parse(new String[] {"--policy", policy.toString(),
                "--listen", "127.0.0.1:0", "--store", store}, 0, Set.of("policy", "listen", "store")))) {
            Ran token = run("approver", "token", "alice", "--store", store, "--policy", policy.toString());
            assertEquals(0, token.exit(), token.err());
            assertTrue(token.out().startsWith("ght_"), token.out());
            Path tokenFile = dir.resolve("token");
            Files.writeString(tokenFile, token.out());
            assertTrue(run("approver", "token", "zed", "--store", store, "--policy", policy.toString()).err().contains("no approvers"));

            Verdict.Review review = new Verdict.Review(List.of(new RuleHit("bulk", Action.REVIEW, false, List.of("kind WRITE"))),
                    new ReviewSpec(Set.of("dba"), 1, Duration.ofMinutes(5), Duration.ofMinutes(5), ReviewSpec.HoldMode.WAIT), "bulk write");
            String id = server.service().open(new Submission("agent-1", null, new Source(Source.Channel.PROXY, "", "", "shop"),
                    "delete from orders", List.of(), new Decision(review, List.of(), "p1"), "a1")).requestId();
            String url = "http://127.0.0.1:" + server.server().port();

            Ran list = run("approvals", "list", "--state", "pending", "--server", url, "--token-file", tokenFile.toString());
            assertEquals(0, list.exit(), list.err());
            assertTrue(list.out().contains(id + "  pending  agent-1  delete from orders"), list.out());
            Ran approve = run("approvals", "approve", id, "--reason", "ok", "--server", url, "--token-file", tokenFile.toString());
            assertEquals(0, approve.exit(), approve.err());
            assertTrue(approve.out().contains("\"state\" : \"approved\""), approve.out());
            Ran again = run("approvals", "deny", id, "--server", url, "--token-file", tokenFile.toString());
            assertEquals(1, again.exit());
            assertTrue(again.err().contains("409 already decided"), again.err());

            Ran verify = run("audit", "verify", "--store", store);
            assertEquals(0, verify.exit(), verify.err());
            assertTrue(verify.out().contains("3 records, chain intact"), verify.out());
            Path export = dir.resolve("audit.jsonl");
            assertEquals(0, run("audit", "export", "--out", export.toString(), "--store", store).exit());
            assertEquals(3, Files.readAllLines(export).size());
        }
    }

    @Test
    void badUsageAndAnUnreachableStoreAreClearErrors() {
        Ran unknown = run("audit", "verify", "--stor", "x");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown option --stor"), unknown.err());
        Ran down = run("audit", "verify", "--store", "jdbc:postgresql://127.0.0.1:1/test", "--store-user", "postgres");
        assertEquals(3, down.exit());
        assertTrue(down.err().contains("unreachable"), down.err());
        Ran noToken = run("approvals", "list", "--server", "http://127.0.0.1:1");
        assertEquals(2, noToken.exit());
        assertTrue(noToken.err().contains("no token"), noToken.err());
    }
}
