package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.Impact;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.Vote;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Catalog;
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
 * The row guard's protocol, as a front end drives it: the checkpoint over the real engine and an embedded (H2)
 * approvals store, the planner's estimates from the real PostgreSQL. The test plays the front end: it reports
 * the counts a run would have had.
 */
class RowGuardTest {
    static final String POLICY = """
            version: 1
            defaults: { max_rows: 1000 }
            approvers: { dba: [alice, bob] }
            rules:
              - id: orders-bulk
                match: { kinds: [WRITE], tables: [orders] }
                max_rows: 10
                action: review
                approvers: [dba]
              - id: orders-mass
                match: { operations: [DELETE], tables: [orders] }
                max_rows: 100
                action: deny
              - id: billing
                match: { tables: [invoices] }
                action: review
            """;
    private static final Source SOURCE = new Source(Source.Channel.DRIVER, "10.1.2.3", "app", "test");
    private static TestStores stores;
    private static Store store;
    private static ApprovalService service;
    private static ClientCheckpoint checkpoint;
    private static Connection pg;
    private static String schema;

    @BeforeAll
    static void open() throws Exception {
        stores = TestStores.h2();
        store = stores.open();
        Policy policy = Policy.parse("rows.yaml", POLICY.getBytes(StandardCharsets.UTF_8));
        service = new ApprovalService(store, policy.approvers(), ServiceOptions.defaults().withPublicUrl("http://gh.test"), null);
        checkpoint = new Checkpoint(policy, () -> service, AuditSettings.DEFAULT, 1000).forClient(Dialect.POSTGRES, Catalog.EMPTY);
        pg = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
        schema = "gh_rows_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Statement s = pg.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("SET search_path = " + schema);
            s.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO orders SELECT g, 'n' || g FROM generate_series(1, 30) g");
            s.execute("CREATE TABLE invoices (id int PRIMARY KEY, paid boolean)");
            s.execute("INSERT INTO invoices SELECT g, false FROM generate_series(1, 500) g");
            s.execute("ANALYZE orders");
            s.execute("ANALYZE invoices");
        }
    }

    @AfterAll
    static void close() throws Exception {
        try (Statement s = pg.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
        pg.close();
        service.close();
        store.close();
    }

    /** A front end that counts, and asks the real planner about the statement it is deciding. */
    static final class Front implements RowSight {
        private final boolean counts;
        String deciding;
        int explained;

        Front(boolean counts) {
            this.counts = counts;
        }

        @Override
        public boolean counts() {
            return counts;
        }

        @Override
        public String plan(String explainPrefix, List<?> parameters) throws Exception {
            explained++;
            try (PreparedStatement p = pg.prepareStatement(explainPrefix + deciding)) {
                for (int i = 0; parameters != null && i < parameters.size(); i++) {
                    p.setObject(i + 1, parameters.get(i));
                }
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }

        Outcome check(String sql, List<?> parameters, Caller caller) {
            deciding = sql;
            return checkpoint.check(sql, parameters, schema, caller);
        }
    }

    /** A caller of its own, so no case joins or claims another case's request. */
    private static Caller caller(HoldMode mode, Front front) {
        return new Caller(new Principal("agent-" + UUID.randomUUID(), "dave"), SOURCE, mode, front);
    }

    private static RowGuard guarded(Outcome o) {
        RowGuard g = assertInstanceOf(Outcome.Allow.class, o).rows();
        assertNotNull(g, "a limited write is allowed under a guard");
        return g;
    }

    record Case(String name, String sql, Long limit, long rows, String expect, List<String> rules) {
    }

    /** What one counted run gets: the plain allow, or a guard and what its count decides. */
    @TestFactory
    Stream<DynamicTest> counts() {
        return Stream.of(
                new Case("a write no limit names is the one plain allow", "INSERT INTO orders VALUES (99, 'x')", null, 0,
                        "allow", List.of()),
                new Case("DELETE where id = id within the limit stands", "DELETE FROM orders WHERE id = id", 10L, 10,
                        "allow", List.of()),
                new Case("DELETE where id = id over it is held with its count", "DELETE FROM orders WHERE id = id", 10L, 30,
                        "review", List.of("orders-bulk")),
                new Case("far over it is denied", "DELETE FROM orders WHERE id IS NOT NULL", 10L, 101, "deny",
                        List.of("orders-mass")),
                new Case("the default limits every other write", "UPDATE invoices SET paid = true WHERE id > 0", null, 0,
                        "review", List.of("billing")),
                new Case("MERGE is counted like the rest", "MERGE INTO orders o USING orders s ON o.id = s.id"
                        + " WHEN MATCHED THEN UPDATE SET note = 'x'", 10L, 30, "review", List.of("orders-bulk")),
                new Case("INSERT ... SELECT ... ON CONFLICT too", "INSERT INTO orders SELECT * FROM orders"
                        + " ON CONFLICT (id) DO UPDATE SET note = 'x'", 10L, 30, "review", List.of("orders-bulk"))
        ).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Front front = new Front(true);
            Outcome first = front.check(c.sql(), List.of(), caller(HoldMode.FAIL, front));
            if (c.limit() == null) {
                if (c.expect().equals("allow")) {
                    assertSame(Outcome.ALLOW, first);
                } else {
                    assertEquals(c.rules(), assertInstanceOf(Outcome.Review.class, first).ruleIds(),
                            "held by another rule before it runs");
                }
                return;
            }
            RowGuard guard = guarded(first);
            assertEquals(c.limit(), guard.limit());
            assertEquals(List.of(new TableName(schema, "orders")), guard.writtenTables());
            Outcome counted = guard.counted(c.rows());
            switch (c.expect()) {
                case "allow" -> assertSame(Outcome.ALLOW, counted);
                case "deny" -> {
                    Outcome.Deny d = assertInstanceOf(Outcome.Deny.class, counted);
                    assertEquals(c.rules(), d.ruleIds());
                    assertTrue(d.reason().contains("touches " + c.rows() + " rows, over max_rows 100"), d.reason());
                }
                default -> {
                    Outcome.Review r = assertInstanceOf(Outcome.Review.class, counted);
                    assertEquals(c.rules(), r.ruleIds());
                    assertTrue(r.reason().contains("touches " + c.rows() + " rows, over max_rows 10"), r.reason());
                    ApprovalRequest request = service.find(r.requestId()).orElseThrow();
                    assertEquals(Impact.measured(c.rows()), request.impact(), "approvers see the count, labelled");
                    assertEquals(c.rows(), r.rerun().limit(), "the approved run stays within the count approved");
                    assertEquals(0, front.explained, "a counted write needs no estimate");
                }
            }
        }));
    }

    @Test
    void waitModeTheApprovedRunStandsWithinTheApprovedCountAndAGrownOneIsHeldAgain() throws Exception {
        Front front = new Front(true);
        Caller me = caller(HoldMode.WAIT, front);
        String sql = "DELETE FROM orders WHERE id IN (SELECT id FROM orders)";
        Outcome.Review held = assertInstanceOf(Outcome.Review.class, guarded(front.check(sql, List.of(), me)).counted(30));
        assertEquals(HoldMode.WAIT, held.mode());
        service.vote(held.requestId(), "alice", Vote.Choice.APPROVE, "ok", "test");
        assertInstanceOf(Resolution.Approved.class, held.hold().await(Duration.ofSeconds(10), () -> true));
        assertSame(Outcome.ALLOW, held.rerun().counted(30), "the approved count runs");
        assertEquals(RequestState.CONSUMED, service.find(held.requestId()).orElseThrow().state());

        Outcome.Review second = assertInstanceOf(Outcome.Review.class, guarded(front.check(sql, List.of(), me)).counted(30));
        service.vote(second.requestId(), "bob", Vote.Choice.APPROVE, "ok", "test");
        assertInstanceOf(Resolution.Approved.class, second.hold().await(Duration.ofSeconds(10), () -> true));
        Outcome.Review grown = assertInstanceOf(Outcome.Review.class, second.rerun().counted(31),
                "31 rows were never approved");
        assertNotEquals(second.requestId(), grown.requestId());
        assertEquals(Impact.measured(31), service.find(grown.requestId()).orElseThrow().impact());
    }

    @Test
    void failModeTheIdenticalReSendRunsOnceWithinTheApprovedCount() {
        Front front = new Front(true);
        Caller me = caller(HoldMode.FAIL, front);
        String sql = "UPDATE orders SET note = $1 WHERE id > $2";
        List<Object> values = List.of("y", 0);
        Outcome.Review held = assertInstanceOf(Outcome.Review.class, guarded(front.check(sql, values, me)).counted(30));
        assertEquals(HoldMode.FAIL, held.mode());
        Outcome.Review joined = assertInstanceOf(Outcome.Review.class, guarded(front.check(sql, values, me)).counted(30));
        assertEquals(held.requestId(), joined.requestId(), "the identical count joins the pending request");
        service.vote(held.requestId(), "alice", Vote.Choice.APPROVE, "ok", "test");
        assertInstanceOf(Outcome.Review.class, guarded(front.check(sql, values, me)).counted(31),
                "a count that grew past the approved one is held again");
        assertSame(Outcome.ALLOW, guarded(front.check(sql, values, me)).counted(29), "within it, it runs");
        assertEquals(RequestState.CONSUMED, service.find(held.requestId()).orElseThrow().state());
        assertInstanceOf(Outcome.Review.class, guarded(front.check(sql, values, me)).counted(29),
                "an approval runs once");
    }

    @Test
    void heldByAnotherRuleItIsNotRunBeforeApprovalAndShowsThePlannersEstimate() throws Exception {
        Front front = new Front(true);
        Caller me = caller(HoldMode.WAIT, front);
        Outcome.Review held = assertInstanceOf(Outcome.Review.class,
                front.check("UPDATE invoices SET paid = true WHERE id > 100", List.of(), me));
        assertEquals(List.of("billing"), held.ruleIds());
        Impact impact = service.find(held.requestId()).orElseThrow().impact();
        assertEquals(Impact.Basis.ESTIMATED, impact.basis(), impact.toString());
        assertTrue(impact.rows() > 300 && impact.rows() <= 500, "the planner's estimate: " + impact);
        assertNotNull(impact.cost());
        assertEquals(1000, held.rerun().limit(), "its approved run is still limited by the default");
        service.vote(held.requestId(), "bob", Vote.Choice.APPROVE, "ok", "test");
        assertInstanceOf(Resolution.Approved.class, held.hold().await(Duration.ofSeconds(10), () -> true));
        assertSame(Outcome.ALLOW, held.rerun().counted(400));
        assertInstanceOf(Outcome.Review.class, held.rerun().counted(1001), "past the default it is held again");
    }

    @Test
    void aStatementThatCallsFunctionsIsNotExplained() {
        Front front = new Front(true);
        Outcome.Review held = assertInstanceOf(Outcome.Review.class,
                front.check("UPDATE invoices SET paid = (random() > 2) WHERE id > 1", List.of(), caller(HoldMode.FAIL, front)));
        Impact impact = service.find(held.requestId()).orElseThrow().impact();
        assertEquals(Impact.unknown("not estimated: it calls functions, which planning may run"), impact);
        assertEquals(0, front.explained);
    }

    @Test
    void aFrontEndThatDoesNotCountGetsTheLimitsActionsAtOnce() {
        Front front = new Front(false);
        Outcome.Review held = assertInstanceOf(Outcome.Review.class,
                front.check("UPDATE orders SET note = 'z' WHERE id = id", List.of(), caller(HoldMode.FAIL, front)));
        assertTrue(held.reason().contains("rows not counted: this front end does not count the rows of writes"),
                held.reason());
        assertNull(held.rerun(), "approved without a count, it runs as approved");
        assertEquals(Impact.Basis.ESTIMATED, service.find(held.requestId()).orElseThrow().impact().basis());
        Outcome.Deny denied = assertInstanceOf(Outcome.Deny.class,
                front.check("DELETE FROM orders WHERE id = id", List.of(), caller(HoldMode.FAIL, front)));
        assertEquals(List.of("orders-mass"), denied.ruleIds());
    }

    @Test
    void aWriteTheFrontEndCannotUndoGetsItsActionsAndAnApprovalWithoutACountLetsItRunOnce() {
        Front front = new Front(true);
        Caller me = caller(HoldMode.FAIL, front);
        String sql = "UPDATE orders SET note = 'm' WHERE id = id";
        Outcome.Review held = assertInstanceOf(Outcome.Review.class,
                guarded(front.check(sql, List.of(), me)).uncounted("shop.orders is a MyISAM table"));
        assertTrue(held.reason().contains("rows not counted: shop.orders is a MyISAM table"), held.reason());
        assertEquals(Impact.Basis.ESTIMATED, service.find(held.requestId()).orElseThrow().impact().basis());
        service.vote(held.requestId(), "alice", Vote.Choice.APPROVE, "ok", "test");
        RowGuard again = guarded(front.check(sql, List.of(), me));
        assertInstanceOf(Outcome.Review.class, again.counted(30), "an approval without a count is no count");
        assertSame(Outcome.ALLOW, guarded(front.check(sql, List.of(), me)).uncounted("shop.orders is a MyISAM table"));
        assertEquals(RequestState.CONSUMED, service.find(held.requestId()).orElseThrow().state());
    }

    @Test
    void aBatchCountsAsAWholeAndIsOneRequest() {
        Front front = new Front(true);
        Caller me = caller(HoldMode.FAIL, front);
        String sql = "DELETE FROM orders WHERE id = $1";
        RowGuard a = guarded(front.check(sql, List.of(1), me));
        RowGuard b = guarded(front.check(sql, List.of(2), me));
        RowGuard batch = RowGuard.ofBatch(List.of(a, b));
        assertEquals(10, batch.limit());
        Outcome.Review held = assertInstanceOf(Outcome.Review.class, batch.counted(12));
        ApprovalRequest request = service.find(held.requestId()).orElseThrow();
        assertEquals(sql + ";\n" + sql, request.sql(), "both statements, one request");
        assertEquals(List.of("1", "2"), request.parameters());
        assertEquals(Impact.measured(12), request.impact());
        assertSame(Outcome.ALLOW, RowGuard.ofBatch(List.of(guarded(front.check(sql, List.of(1), me)),
                guarded(front.check(sql, List.of(2), me)))).counted(10), "within the lowest limit as a whole");
    }
}
