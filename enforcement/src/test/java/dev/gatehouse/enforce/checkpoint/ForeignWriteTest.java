package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.Impact;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.Vote;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.enforce.catalog.ForeignTables;
import dev.gatehouse.enforce.catalog.LiveCatalog;
import dev.gatehouse.enforce.catalog.PostgresRelations;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.catalog.SchemaCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write limited by {@code max_rows} to a PostgreSQL foreign table (postgres_fdw over the local server): a
 * savepoint may not undo it, so the checkpoint never hands it out to be counted, for any front end. It gets its
 * limits' actions at once, and an approval given without a count lets the identical statement run once, unguarded.
 * Decided through the client's catalog: a live one (pg_class) and a schema file's (CREATE FOREIGN TABLE). The test
 * plays a front end that counts; the estimates are the real planner's.
 */
class ForeignWriteTest {
    static final String POLICY = """
            version: 1
            approvers: { dba: [alice, bob] }
            rules:
              - id: bulk
                match: { kinds: [WRITE], tables: [remote, ledger] }
                max_rows: 10
                action: review
                approvers: [dba]
              - id: mass-deletes
                match: { operations: [DELETE], tables: [remote] }
                max_rows: 100
                action: deny
              - id: audited
                match: { tables: [audit] }
                action: review
                approvers: [dba]
            """;
    private static final Source SOURCE = new Source(Source.Channel.DRIVER, "10.1.2.3", "app", "test");
    private static TestStores stores;
    private static Store store;
    private static ApprovalService service;
    private static Checkpoint checkpoint;
    private static Connection pg;
    private static String schema;
    private static ForeignTables remote;
    /** The client's catalog, by how it was read. */
    private static List<Catalog> catalogs;

    @BeforeAll
    static void open() throws Exception {
        stores = TestStores.h2();
        store = stores.open();
        Policy policy = Policy.parse("foreign.yaml", POLICY.getBytes(StandardCharsets.UTF_8));
        service = new ApprovalService(store, policy.approvers(), ServiceOptions.defaults().withPublicUrl("http://gh.test"), null);
        checkpoint = new Checkpoint(policy, () -> service, AuditSettings.DEFAULT, 1000);
        pg = DriverManager.getConnection(ForeignTables.PG);
        schema = "gh_fdw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Statement s = pg.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("SET search_path = " + schema);
            s.execute("CREATE TABLE ledger (id int PRIMARY KEY, note text, secret text)");
            s.execute("INSERT INTO ledger SELECT g, 'l', 's' FROM generate_series(1, 30) g");
            s.execute("CREATE TABLE audit (id int, note text)");
        }
        remote = ForeignTables.create(schema, "remote");
        catalogs = List.of(
                new LiveCatalog(new PostgresRelations(pg), 64),
                SchemaCatalog.fromPostgresFile("CREATE TABLE " + schema + ".ledger (id int PRIMARY KEY, note text, secret text);\n"
                        + "CREATE TABLE " + schema + ".audit (id int, note text);\n"
                        + "CREATE FOREIGN TABLE " + schema + ".remote (id int, note text, secret text) SERVER elsewhere"
                        + " OPTIONS (table_name 'remote_base');", null));
    }

    @AfterAll
    static void close() throws Exception {
        remote.close();
        try (Statement s = pg.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
        pg.close();
        service.close();
        store.close();
    }

    /** A front end that counts (or not), asking the real planner about the statement it decides. */
    static final class Front implements RowSight {
        private final boolean counts;
        private final ClientCheckpoint client;
        String deciding;

        Front(boolean counts, Catalog catalog) {
            this.counts = counts;
            this.client = checkpoint.forClient(Dialect.POSTGRES, catalog);
        }

        @Override
        public boolean counts() {
            return counts;
        }

        @Override
        public String plan(String explainPrefix, List<?> parameters) throws Exception {
            try (PreparedStatement p = pg.prepareStatement(explainPrefix + deciding); ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }

        Outcome check(String sql, Caller caller) {
            deciding = sql;
            return client.check(sql, List.of(), schema, caller);
        }
    }

    /** A caller of its own, so no case joins or claims another case's request. */
    private static Caller caller(HoldMode mode, Front front) {
        return new Caller(new Principal("agent-" + UUID.randomUUID(), "dave"), SOURCE, mode, front);
    }

    private static String foreignReason() {
        return "rows not counted: " + schema + ".remote is or holds a foreign table, whose writes a rollback may not undo";
    }

    enum Expect { HELD, DENIED, GUARDED, PLAIN }

    record Case(String name, String sql, Expect expect, List<String> rules) {
    }

    @TestFactory
    Stream<DynamicTest> aLimitedWriteToAForeignTableIsNeverCounted() {
        List<Case> cases = List.of(
                new Case("UPDATE of it: held at once with the reason, approved as it is",
                        "UPDATE remote SET note = 'x' WHERE id = id", Expect.HELD, List.of("bulk")),
                new Case("DELETE from it: every limit applies, the one on deletes denies",
                        "DELETE FROM remote WHERE id IS NOT NULL", Expect.DENIED, List.of("mass-deletes")),
                new Case("INSERT ... SELECT into it",
                        "INSERT INTO remote SELECT id + 100, note, secret FROM ledger", Expect.HELD, List.of("bulk")),
                new Case("UPDATE of it RETURNING rows",
                        "UPDATE remote SET note = 'r' WHERE id = id RETURNING id", Expect.HELD, List.of("bulk")),
                new Case("held by another rule too: never guarded, before or after the approval",
                        "UPDATE remote SET note = a.note FROM audit a WHERE remote.id = a.id", Expect.HELD,
                        List.of("bulk", "audited")),
                new Case("a table of the server's own written, the foreign one read: counted as ever",
                        "UPDATE ledger SET note = r.note FROM remote r WHERE ledger.id = r.id", Expect.GUARDED, List.of()),
                new Case("one row into it: bounded by its text, the plain allow",
                        "INSERT INTO remote VALUES (99, 'x', 's')", Expect.PLAIN, List.of()));
        List<DynamicTest> tests = new ArrayList<>();
        for (Catalog catalog : catalogs) {
            String from = catalog instanceof LiveCatalog ? "live catalog: " : "schema file: ";
            for (Case c : cases) {
                tests.add(DynamicTest.dynamicTest(from + c.name(), () -> decide(c, catalog)));
            }
        }
        return tests.stream();
    }

    private void decide(Case c, Catalog catalog) {
        Front front = new Front(true, catalog);
        Outcome outcome = front.check(c.sql(), caller(HoldMode.FAIL, front));
        switch (c.expect()) {
            case PLAIN -> assertSame(Outcome.ALLOW, outcome);
            case GUARDED -> {
                RowGuard guard = assertInstanceOf(Outcome.Allow.class, outcome).rows();
                assertNotNull(guard, "a write to the server's own table is counted");
                assertEquals(List.of(new TableName(schema, "ledger")), guard.writtenTables());
                assertEquals(10, guard.limit());
            }
            case DENIED -> {
                Outcome.Deny deny = assertInstanceOf(Outcome.Deny.class, outcome);
                assertEquals(c.rules(), deny.ruleIds());
                assertTrue(deny.reason().contains(foreignReason()), deny.reason());
            }
            case HELD -> {
                Outcome.Review review = assertInstanceOf(Outcome.Review.class, outcome);
                assertTrue(review.ruleIds().containsAll(c.rules()), review.ruleIds().toString());
                assertTrue(review.reason().contains(foreignReason()), review.reason());
                assertNull(review.rerun(), "its approved run is not guarded: it could not be undone either");
                Impact shown = service.find(review.requestId()).orElseThrow().impact();
                assertNotEquals(Impact.Basis.MEASURED, shown.basis(), "never run, so never counted: " + shown);
            }
        }
    }

    @Test
    void failModeAnApprovalGivenWithoutACountLetsTheIdenticalReSendRunOnce() throws Exception {
        Front front = new Front(true, catalogs.get(0));
        Caller me = caller(HoldMode.FAIL, front);
        String sql = "UPDATE remote SET note = 'f' WHERE id = id";
        Outcome.Review held = assertInstanceOf(Outcome.Review.class, front.check(sql, me));
        assertEquals(HoldMode.FAIL, held.mode());
        service.vote(held.requestId(), "alice", Vote.Choice.APPROVE, "ok", "test");
        assertSame(Outcome.ALLOW, front.check(sql, me), "approved: it runs as it is, unguarded");
        assertEquals(RequestState.CONSUMED, service.find(held.requestId()).orElseThrow().state());
        Outcome.Review again = assertInstanceOf(Outcome.Review.class, front.check(sql, me), "an approval runs once");
        assertNotEquals(held.requestId(), again.requestId());
        assertEquals(0, remote.touched(), "the checkpoint runs nothing itself");
    }

    @Test
    void waitModeTheApprovedRunIsNotGuarded() throws Exception {
        Front front = new Front(true, catalogs.get(0));
        Outcome.Review held = assertInstanceOf(Outcome.Review.class,
                front.check("UPDATE remote SET note = 'w' WHERE id > 0", caller(HoldMode.WAIT, front)));
        assertEquals(HoldMode.WAIT, held.mode());
        assertNull(held.rerun());
        service.vote(held.requestId(), "bob", Vote.Choice.APPROVE, "ok", "test");
        assertInstanceOf(Resolution.Approved.class, held.hold().await(Duration.ofSeconds(10), () -> true));
        assertEquals(RequestState.CONSUMED, service.find(held.requestId()).orElseThrow().state(),
                "the waiter claimed it: it runs once, as it is");
    }

    @Test
    void aFrontEndThatDoesNotCountIsToldThatFirst() {
        Front front = new Front(false, catalogs.get(0));
        Outcome.Review held = assertInstanceOf(Outcome.Review.class,
                front.check("UPDATE remote SET note = 'n' WHERE id = id", caller(HoldMode.FAIL, front)));
        assertTrue(held.reason().contains("rows not counted: this front end does not count the rows of writes"),
                held.reason());
    }
}
