package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.audit.AuditVerifier;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Store;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse approver|requester token|list|revoke} on a real H2 store file: a token is never replaced unless
 * asked (the agent silently replaced an approver's), replacing says so, list shows names and never tokens,
 * revoke stops a token at once, and every issue and revocation is in the audit chain.
 */
class CredentialCommandTest {
    @TempDir
    Path dir;

    @Test
    void tokensAreIssuedListedReplacedOnlyWhenAskedAndRevoked() throws Exception {
        String store = "jdbc:h2:file:" + dir.resolve("store");
        Ran alice = Ran.main("approver", "token", "alice", "--store", store);
        assertEquals(0, alice.exit(), alice.err());
        String first = alice.out().strip();
        assertTrue(first.startsWith("ght_"), first);

        Ran again = Ran.main("approver", "token", "alice", "--store", store);
        assertEquals(1, again.exit(), again.out());
        assertTrue(again.err().contains("alice already has a token") && again.err().contains("--replace"), again.err());
        assertEquals("", again.out(), "no token printed");

        Ran replaced = Ran.main("approver", "token", "alice", "--replace", "--store", store);
        assertEquals(0, replaced.exit(), replaced.err());
        assertTrue(replaced.err().contains("replaced alice's earlier token: it no longer works"), replaced.err());
        String second = replaced.out().strip();

        assertEquals(0, Ran.main("approver", "token", "root", "--admin", "--store", store).exit());
        Ran proxy = Ran.main("requester", "token", "proxy-1", "--principals", "app-*, etl", "--store", store);
        assertEquals(0, proxy.exit(), proxy.err());
        String requester = proxy.out().strip();
        assertTrue(requester.startsWith("ghr_"), requester);

        Ran people = Ran.main("approver", "list", "--store", store);
        assertEquals(0, people.exit(), people.err());
        List<String> lines = people.out().lines().toList();
        assertEquals(2, lines.size(), people.out());
        assertTrue(lines.get(0).startsWith("alice  approver  issued "), lines.get(0));
        assertTrue(lines.get(1).startsWith("root  admin  issued "), lines.get(1));
        assertFalse(people.out().contains("ght_"), "never a token");
        Ran requesters = Ran.main("requester", "list", "--store", store);
        assertTrue(requesters.out().startsWith("proxy-1  principals app-*,etl  issued "), requesters.out());

        try (Store s = Store.open(store, "sa", "", 2)) {
            TokenStore tokens = new TokenStore(s);
            assertEquals(Optional.empty(), tokens.authenticate(first), "the replaced token no longer works");
            assertEquals(Optional.of(new TokenStore.Person("alice", false)), tokens.authenticate(second));
            TokenStore.Requester r = (TokenStore.Requester) tokens.authenticate(requester).orElseThrow();
            assertTrue(r.actsFor("app-7") && r.actsFor("etl") && !r.actsFor("alice") && !r.actsFor("etl2"));
        }

        Ran revoked = Ran.main("approver", "revoke", "alice", "--store", store);
        assertEquals(0, revoked.exit(), revoked.err());
        assertEquals(1, Ran.main("approver", "revoke", "alice", "--store", store).exit(), "nothing left to revoke");
        assertEquals(0, Ran.main("requester", "revoke", "proxy-1", "--store", store).exit());
        try (Store s = Store.open(store, "sa", "", 2)) {
            TokenStore tokens = new TokenStore(s);
            assertEquals(Optional.empty(), tokens.authenticate(second));
            assertEquals(Optional.empty(), tokens.authenticate(requester));
            StringWriter out = new StringWriter();
            AuditVerifier.export(s, out);
            List<String> records = out.toString().lines().toList();
            assertTrue(AuditVerifier.verify(s).ok());
            // alice, alice replaced, root, proxy-1 issued; alice and proxy-1 revoked
            assertEquals(6, records.size(), out.toString());
            assertTrue(records.get(1).contains("\"type\":\"credential.issued\"") && records.get(1).contains("\"replaced\":true"));
            assertTrue(records.get(3).contains("\"principals\":[\"app-*\",\"etl\"]"), records.get(3));
            assertTrue(records.get(4).contains("\"type\":\"credential.revoked\"") && records.get(4).contains("\"name\":\"alice\""));
            assertFalse(out.toString().contains("ght_") || out.toString().contains("ghr_"), "the audit never holds a token");
        }
    }
}
