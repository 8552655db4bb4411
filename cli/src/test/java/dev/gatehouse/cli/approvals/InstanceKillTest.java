package dev.gatehouse.cli.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Json;
import dev.gatehouse.approvals.store.Store;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault: a Gatehouse instance is killed while statements are held. Two {@code serve} instances with proxies (A
 * a {@code bin/gatehouse serve} process, B in this JVM) share one PostgreSQL store (a schema of the shared
 * server; only Gatehouse is killed here, never a database). Clients held on instance A see A killed with SIGKILL. Asserted: they get a connection error, not
 * an allow; the requests are still pending in the store and shown by B's API; approving them through B runs
 * nothing (A's sessions are gone); the identical statement re-sent through B after approval runs exactly once
 * (B runs with {@code hold_mode: fail}, whose re-send claims the approval; a WAIT re-send would open a new
 * request); votes and audit records are all there and {@code audit verify} passes.
 */
class InstanceKillTest {
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String POLICY = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: bulk-writes
                match: { kinds: [WRITE], unbounded: true }
                action: review
                approvers: [dba]
                quorum: 2
                reason: UPDATE or DELETE without a WHERE
            """;

    @TempDir
    Path dir;

    @Test
    void killingAnInstanceLosesNoRequestAndRunsNothingUntilTheRetryThroughTheOther() throws Exception {
        String schema = "gh_kill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        FaultBed.exec(PG, "CREATE SCHEMA " + schema, "DROP TABLE IF EXISTS gh_ik_items",
                "CREATE TABLE gh_ik_items (id int PRIMARY KEY, n int NOT NULL)", "INSERT INTO gh_ik_items VALUES (1, 0), (2, 0)");
        String storeUrl = PG + "?currentSchema=" + schema;
        Files.writeString(dir.resolve("policy.yaml"), POLICY);
        ServeProcess a = null;
        // A is a process of its own, to be killed; B (which survives) runs in this JVM: one JVM start fewer.
        ServeSettings bSettings = new ServeSettings(new ServeSettings.HostPort("127.0.0.1", 0), null,
                new StoreSettings(storeUrl, "postgres", null), dir.resolve("policy.yaml"),
                dev.gatehouse.approvals.audit.AuditSettings.DEFAULT, List.of(), ServeSettings.Inbound.NONE,
                ProxySettings.DEFAULT.withListen(new ServeSettings.HostPort("127.0.0.1", 0))
                        .withHoldMode(dev.gatehouse.policy.ReviewSpec.HoldMode.FAIL).withCatalog(CatalogSettings.DEFAULT.withUser("postgres")));
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
             Serve.Running b = Serve.start(bSettings, Map.<String, String>of()::get)) {
            a = ServeProcess.start(dir, List.of("serve", "--config", config("a", storeUrl).toString()), Map.of());
            String aliceToken;
            String bobToken;
            int aProxy = a.proxyPort();
            try (Store store = Store.open(storeUrl, "postgres", null, 1)) {
                TokenStore tokens = new TokenStore(store);
                aliceToken = tokens.issue("alice");
                bobToken = tokens.issue("bob");
            }
            FaultBed onA = new FaultBed(a.apiPort(), aProxy, aliceToken);
            FaultBed onB = new FaultBed(b.server().port(), b.proxy().port(), aliceToken);
            FaultBed bobOnB = new FaultBed(b.server().port(), b.proxy().port(), bobToken);

            List<String> sqls = List.of("UPDATE gh_ik_items SET n = n + 1", "DELETE FROM gh_ik_items");
            List<CompletableFuture<Boolean>> held = sqls.stream().map(sql -> CompletableFuture.supplyAsync(() -> {
                try (Connection c = onA.proxied("test", "extended"); Statement s = c.createStatement()) {
                    return s.execute(sql);
                } catch (SQLException e) {
                    throw new RuntimeException(e);
                }
            }, clients)).toList();
            List<String> ids = new java.util.ArrayList<>();
            for (String sql : sqls) {
                ids.add(FaultBed.requestFor(storeUrl, sql));
            }
            for (String id : ids) {
                assertEquals(200, bobOnB.vote(id, "approve").statusCode(), "bob's votes before the kill");
            }
            FaultBed.StoreCounts before = FaultBed.StoreCounts.of(storeUrl);

            a.process().destroyForcibly(); // SIGKILL: no shutdown hook, no withdrawal
            assertTrue(a.process().waitFor(10, TimeUnit.SECONDS));
            for (CompletableFuture<Boolean> h : held) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> h.get(20, TimeUnit.SECONDS));
                SQLException lost = (SQLException) e.getCause().getCause();
                assertTrue(Set.of("08006", "08003").contains(lost.getSQLState()), lost.getSQLState() + " " + lost.getMessage());
            }
            assertEquals(2, FaultBed.count(PG, "SELECT count(*) + sum(n) FROM gh_ik_items"), "nothing held ran");

            // The requests outlive A: pending in the store, listed by B's API.
            for (String id : ids) {
                HttpResponse<String> shown = onB.get("/api/requests/" + id);
                assertEquals(200, shown.statusCode(), shown.body());
                JsonNode r = Json.MAPPER.readTree(shown.body());
                assertTrue(r.toString().contains("\"pending\""), shown.body());
            }
            // Approved through B (the second vote): A's sessions are gone, so nothing runs until a client re-sends.
            HttpResponse<String> approved = onB.vote(ids.get(0), "approve");
            assertEquals(200, approved.statusCode(), approved.body());
            Thread.sleep(500);
            assertEquals("approved", FaultBed.state(storeUrl, ids.get(0)));
            assertEquals(2, FaultBed.count(PG, "SELECT count(*) + sum(n) FROM gh_ik_items"), "nothing ran on approval");

            // The identical statement re-sent through B runs once; the next one is a new request.
            try (Connection c = onB.proxied("test", "extended"); Statement s = c.createStatement()) {
                assertEquals(2, s.executeUpdate(sqls.get(0)));
                SQLException again = assertThrows(SQLException.class, () -> s.executeUpdate(sqls.get(0)));
                assertEquals("ZG001", again.getSQLState(), again.getMessage());
            }
            assertEquals(2, FaultBed.count(PG, "SELECT sum(n) FROM gh_ik_items"), "ran exactly once");
            assertEquals("consumed", FaultBed.state(storeUrl, ids.get(0)));
            assertEquals("pending", FaultBed.state(storeUrl, ids.get(1)), "the other request waits for its second vote");

            FaultBed.StoreCounts after = FaultBed.StoreCounts.of(storeUrl);
            assertEquals(before.requests() + 1, after.requests(), "the two held requests kept, one new from the second re-send");
            assertEquals(before.votes() + 1, after.votes(), "bob's votes before the kill kept, alice's after it added");
            Ran verify = Ran.main("audit", "verify", "--store", storeUrl, "--store-user", "postgres");
            assertEquals(0, verify.exit(), verify.out() + verify.err());
            assertTrue(verify.out().contains("chain intact"), verify.out());
            System.out.printf("instance kill: %d held clients got a connection error, %d requests and %d votes kept; audit %d"
                    + " records intact%n", held.size(), ids.size(), before.votes(), after.audit());
        } finally {
            if (a != null) {
                a.process().destroyForcibly();
                a.process().waitFor(30, TimeUnit.SECONDS);
            }
            FaultBed.exec(PG, "DROP SCHEMA " + schema + " CASCADE", "DROP TABLE IF EXISTS gh_ik_items");
        }
    }

    private Path config(String name, String storeUrl) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                version: 1
                listen: 127.0.0.1:0
                policy: policy.yaml
                store: { url: "%s", user: postgres }
                proxy:
                  listen: 127.0.0.1:0
                  upstream: 127.0.0.1:5432
                  catalog: { user: postgres }
                """.formatted(storeUrl));
        return file;
    }
}
