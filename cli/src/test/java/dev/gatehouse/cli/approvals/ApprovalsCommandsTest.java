package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal commands end to end: a real server on loopback, a real H2 store file, the real HTTP client. */
class ApprovalsCommandsTest {
    @TempDir
    Path dir;

    @Test
    void tokenListApproveAndVerifyTheAudit() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\napprovers: { dba: [alice, bob] }\nrules: []\n");
        String store = "jdbc:h2:file:" + dir.resolve("store");
        ServeSettings settings = ServeSettings.defaults().withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                .withPolicy(policy).withStore(new StoreSettings(store, null, null));
        try (Serve.Running server = Serve.start(settings, Map.<String, String>of()::get)) {
            Ran token = Ran.main("approver", "token", "alice", "--store", store, "--policy", policy.toString());
            assertEquals(0, token.exit(), token.err());
            assertTrue(token.out().startsWith("ght_"), token.out());
            Path tokenFile = dir.resolve("token");
            Files.writeString(tokenFile, token.out());
            Ran stranger = Ran.main("approver", "token", "zed", "--store", store, "--policy", policy.toString());
            assertTrue(stranger.err().contains("zed is in no approvers: group"), stranger.err());

            String id = server.service().open(ServeHooksTest.submission("delete from orders")).requestId();
            var s = ServeHooksTest.submission("delete from invoices");
            String underBilling = server.service().open(new dev.gatehouse.approvals.Submission(s.principal(),
                    s.actingFor(), s.source(), s.sql(), s.parameters(), s.review(), s.summary(), s.policyVersion(),
                    s.analyzerVersion(), "billing, public", s.dialect())).requestId();
            String url = "http://127.0.0.1:" + server.server().port();
            Ran list = Ran.main("approvals", "list", "--state", "pending", "--server", url, "--token-file", tokenFile.toString());
            assertEquals(0, list.exit(), list.err());
            assertTrue(list.out().contains(id + "  pending  agent-1  delete from orders  (search path: server default)"),
                    list.out());
            assertTrue(list.out().contains(underBilling + "  pending  agent-1  delete from invoices"
                    + "  (search path: billing, public)"), list.out());
            Ran show = Ran.main("approvals", "show", id, "--server", url, "--token-file", tokenFile.toString());
            assertTrue(show.out().contains("request " + id + "  pending  by agent-1"), show.out());
            assertTrue(show.out().contains("statement 1 of 1\n1 │ delete from orders\n"), show.out());
            // What a terminal shows is what runs: no escape sequence reaches it, nothing is reflowed.
            String tricky = server.service().open(ServeHooksTest.submission(
                    "delete from t -- clean\u2028; drop table orders\u001b[2J\n; drop table audit")).requestId();
            Ran trick = Ran.main("approvals", "show", tricky, "--server", url, "--token-file", tokenFile.toString());
            assertTrue(trick.out().contains("statement 1 of 2\n"
                    + "1 │ delete from t -- clean⟨U+2028 LINE SEPARATOR⟩; drop table orders⟨U+001B ESCAPE⟩[2J\n"
                    + "  ┆               " + "~".repeat(68) + " comment\n"
                    + "2 │ ; \n"
                    + "statement 2 of 2\n"
                    + "2 │ drop table audit\n"), trick.out());
            assertFalse(trick.out().contains("\u001b") || trick.out().contains("\u2028"), "no raw control character");
            Ran showJson = Ran.main("approvals", "show", id, "--json", "--server", url, "--token-file", tokenFile.toString());
            assertTrue(showJson.out().contains("\"id\" : \"" + id + "\""), showJson.out());
            Ran approve = Ran.main("approvals", "approve", id, "--reason", "ok", "--server", url, "--token-file", tokenFile.toString());
            assertEquals(0, approve.exit(), approve.err());
            assertTrue(approve.out().contains("\"approver\" : \"alice\""), approve.out());
            Ran again = Ran.main("approvals", "approve", id, "--server", url, "--token-file", tokenFile.toString());
            assertEquals(1, again.exit());
            assertTrue(again.err().contains("409 already voted"), again.err());
            Files.writeString(tokenFile, "ght_not-a-token");
            Ran bad = Ran.main("approvals", "list", "--server", url, "--token-file", tokenFile.toString());
            assertEquals(1, bad.exit());
            assertTrue(bad.err().contains("401 bad token"), bad.err());

            Ran verify = Ran.main("audit", "verify", "--store", store);
            assertEquals(0, verify.exit(), verify.err());
            // two tokens issued, three requests, one vote, one refused token (401)
            assertTrue(verify.out().contains("7 records, chain intact"), verify.out());
            Path export = dir.resolve("audit.jsonl");
            Ran exported = Ran.main("audit", "export", "--out", export.toString(), "--store", store);
            assertEquals(0, exported.exit(), exported.err());
            assertEquals(7, Files.readAllLines(export).size());
        }
    }

    @Test
    void serveRefusesABadPolicyWithTheLoadersError() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\napprovers: { dba: [alice] }\nrules:\n  - id: x\n    match: { kinds: [WRIT] }\n    action: deny\n");
        Ran r = Ran.main("serve", "--policy", policy.toString(), "--listen", "127.0.0.1:0", "--store", "jdbc:h2:mem:unused");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("gatehouse serve: " + policy + ":5:"), r.err());
        assertTrue(r.err().contains("'WRIT' is not valid"), r.err());
    }
}
