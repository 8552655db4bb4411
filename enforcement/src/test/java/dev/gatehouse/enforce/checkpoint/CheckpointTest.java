package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.Vote;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.approvals.store.StoreUnavailableException;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared checkpoint over the real policy engine and an embedded (H2) approvals store. */
class CheckpointTest {
    static final String POLICY = """
            version: 1
            defaults: { unparsed: deny, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: no-drops
                match: { operations: [DROP] }
                action: deny
              - id: bulk-writes
                match: { kinds: [WRITE], unbounded: true }
                action: review
                approvers: [dba]
              - id: secrets
                match: { operations: [SELECT], columns: ["*.*.secret"] }
                action: review
                approvers: [dba]
                on_hold: fail
              - id: watch-orders
                match: { tables: ["*.orders"] }
                action: deny
                mode: shadow
            """;
    private static final Source SOURCE = new Source(Source.Channel.PROXY, "10.1.2.3", "psql", "shop");
    private static TestStores stores;
    private static Store store;
    private static ApprovalService service;
    private static Policy policy;

    @BeforeAll
    static void open() throws Exception {
        stores = TestStores.h2();
        store = stores.open();
        policy = Policy.parse("checkpoint-test.yaml", POLICY.getBytes(StandardCharsets.UTF_8));
        service = new ApprovalService(store, policy.approvers(), ServiceOptions.defaults().withPublicUrl("http://gh.test"), null);
    }

    @AfterAll
    static void close() {
        service.close();
        store.close();
    }

    private static ClientCheckpoint client(Supplier<ApprovalService> approvals, AuditSettings audit) {
        return new Checkpoint(policy, approvals, audit, 1000).forClient(Dialect.POSTGRES, Catalog.EMPTY);
    }

    private static Caller caller(HoldMode mode) {
        // A principal of its own per call, so requests of one case never join another case's.
        return new Caller(new Principal("agent-" + UUID.randomUUID(), "dave"), SOURCE, mode);
    }

    enum Expect { ALLOW, DENY, REVIEW_WAIT, REVIEW_FAIL }

    record Case(String name, String sql, HoldMode callerMode, Expect expect, List<String> rules) {
    }

    @TestFactory
    Stream<DynamicTest> decisions() {
        ClientCheckpoint cp = client(() -> service, AuditSettings.DEFAULT);
        return Stream.of(
                new Case("a bounded read is allowed", "SELECT id FROM items WHERE id = 1", null, Expect.ALLOW, List.of()),
                new Case("a shadow deny never enforces", "SELECT id FROM public.orders WHERE id = 1", null, Expect.ALLOW, List.of()),
                new Case("a drop is denied with its rule", "DROP TABLE items", null, Expect.DENY, List.of("no-drops")),
                new Case("unreadable text is denied by the default", "FROB ALL THE THINGS", null, Expect.DENY, List.of()),
                new Case("an unbounded delete waits by its rule", "DELETE FROM items", null, Expect.REVIEW_WAIT, List.of("bulk-writes")),
                new Case("a secret read fails fast by its rule", "SELECT secret FROM items WHERE id = 2", null, Expect.REVIEW_FAIL, List.of("secrets")),
                new Case("the caller's fail mode overrides the rule's wait", "UPDATE items SET n = 0", HoldMode.FAIL, Expect.REVIEW_FAIL, List.of("bulk-writes")),
                new Case("the caller's wait mode overrides the rule's fail", "SELECT secret FROM items WHERE id = 3", HoldMode.WAIT, Expect.REVIEW_WAIT, List.of("secrets"))
        ).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Outcome o = cp.check(c.sql(), List.of(), "public", caller(c.callerMode()));
            switch (c.expect()) {
                case ALLOW -> assertSame(Outcome.ALLOW, o);
                case DENY -> assertEquals(c.rules(), assertInstanceOf(Outcome.Deny.class, o).ruleIds());
                case REVIEW_WAIT, REVIEW_FAIL -> {
                    Outcome.Review r = assertInstanceOf(Outcome.Review.class, o);
                    assertEquals(c.expect() == Expect.REVIEW_WAIT ? HoldMode.WAIT : HoldMode.FAIL, r.mode());
                    assertEquals(c.rules(), r.ruleIds());
                    assertEquals("http://gh.test/#" + r.requestId(), r.approvalUrl());
                    assertEquals(RequestState.PENDING, service.find(r.requestId()).orElseThrow().state());
                }
            }
        }));
    }

    @Test
    void failModeClaimsTheApprovalOnceThenHoldsAgain() {
        ClientCheckpoint cp = client(() -> service, AuditSettings.DEFAULT);
        Caller me = caller(HoldMode.FAIL);
        String sql = "DELETE FROM items";
        Outcome.Review first = assertInstanceOf(Outcome.Review.class, cp.check(sql, List.of(7, "x"), "public", me));
        Outcome.Review joined = assertInstanceOf(Outcome.Review.class, cp.check(sql, List.of(7, "x"), "public", me));
        assertEquals(first.requestId(), joined.requestId());
        service.vote(first.requestId(), "alice", Vote.Choice.APPROVE, "ok", "test");
        assertInstanceOf(Outcome.Review.class, cp.check(sql, List.of(8, "x"), "public", me), "other values: another scope");
        assertSame(Outcome.ALLOW, cp.check(sql, List.of(7, "x"), "public", me));
        assertEquals(RequestState.CONSUMED, service.find(first.requestId()).orElseThrow().state());
        Outcome.Review again = assertInstanceOf(Outcome.Review.class, cp.check(sql, List.of(7, "x"), "public", me));
        assertNotEquals(first.requestId(), again.requestId());
    }

    @Test
    void waitModeReSendAfterApprovalClaimsItInsteadOfOpeningAnother() {
        ClientCheckpoint cp = client(() -> service, AuditSettings.DEFAULT);
        Caller me = caller(HoldMode.WAIT);
        String sql = "DELETE FROM items";
        // The first waiter's wait ended before anybody voted (its instance died, the store blinked, it timed out).
        Outcome.Review lost = assertInstanceOf(Outcome.Review.class, cp.check(sql, List.of(3), "public", me));
        service.vote(lost.requestId(), "alice", Vote.Choice.APPROVE, "ok", "test");
        assertInstanceOf(Outcome.Review.class, cp.check(sql, List.of(4), "public", me), "other values: another scope");
        assertInstanceOf(Outcome.Review.class, cp.check(sql, List.of(3), "public", caller(HoldMode.WAIT)),
                "another requester: another scope");
        assertSame(Outcome.ALLOW, cp.check(sql, List.of(3), "public", me), "the identical re-send runs on the approval");
        assertEquals(RequestState.CONSUMED, service.find(lost.requestId()).orElseThrow().state());
        Outcome.Review again = assertInstanceOf(Outcome.Review.class, cp.check(sql, List.of(3), "public", me),
                "an approval runs once: the next re-send is held again");
        assertNotEquals(lost.requestId(), again.requestId());
        assertEquals(HoldMode.WAIT, again.mode());
    }

    @Test
    void aHoldIsReleasedOnceAndOnlyItsClaimerRuns() throws Exception {
        ClientCheckpoint cp = client(() -> service, AuditSettings.DEFAULT);
        Caller me = caller(null);
        Outcome.Review a = assertInstanceOf(Outcome.Review.class, cp.check("DELETE FROM items", List.of(), "public", me));
        Outcome.Review b = assertInstanceOf(Outcome.Review.class, cp.check("DELETE FROM items", List.of(), "public", me));
        assertEquals(a.requestId(), b.requestId(), "the identical statement joined the pending request");
        CompletableFuture<Resolution> first = CompletableFuture.supplyAsync(() -> await(a.hold()));
        Thread.sleep(100);
        service.vote(a.requestId(), "bob", Vote.Choice.APPROVE, "fine", "test");
        assertInstanceOf(Resolution.Approved.class, first.get());
        assertInstanceOf(Resolution.Expired.class, await(b.hold()), "the approval was used by the first waiter");
    }

    @Test
    void aDenialByAnApproverNamesTheRules() throws Exception {
        ClientCheckpoint cp = client(() -> service, AuditSettings.DEFAULT);
        Outcome.Review r = assertInstanceOf(Outcome.Review.class, cp.check("UPDATE items SET n = 1", List.of(), "public", caller(null)));
        service.vote(r.requestId(), "alice", Vote.Choice.DENY, "not today", "test");
        Resolution.Denied d = assertInstanceOf(Resolution.Denied.class, await(r.hold()));
        assertEquals(List.of("bulk-writes"), d.ruleIds());
        assertTrue(d.reason().contains("not today"), d.reason());
    }

    @Test
    void withdrawingEndsTheRequest() {
        ClientCheckpoint cp = client(() -> service, AuditSettings.DEFAULT);
        Outcome.Review r = assertInstanceOf(Outcome.Review.class, cp.check("UPDATE items SET n = 2", List.of(), "public", caller(null)));
        r.hold().withdraw();
        assertEquals(RequestState.WITHDRAWN, service.find(r.requestId()).orElseThrow().state());
        // A withdrawn request is over: a late waiter sees it like an expiry, never an approval.
        assertInstanceOf(Resolution.Expired.class, await(r.hold()));
    }

    @Test
    void withTheStoreDownAllowsRunAndEverythingElseFailsClosed() {
        Supplier<ApprovalService> down = () -> {
            throw new StoreUnavailableException("approvals store unreachable at jdbc:postgresql://127.0.0.1:1/x", null);
        };
        ClientCheckpoint cp = client(down, AuditSettings.DEFAULT);
        assertSame(Outcome.ALLOW, cp.check("SELECT id FROM items WHERE id = 1", null, "public", caller(null)));
        Outcome.Failed held = assertInstanceOf(Outcome.Failed.class, cp.check("DELETE FROM items", null, "public", caller(null)));
        assertTrue(held.reason().contains("approvals store"), held.reason());
        Outcome.Deny denied = assertInstanceOf(Outcome.Deny.class, cp.check("DROP TABLE items", null, "public", caller(null)));
        assertTrue(denied.reason().contains("could not be audited"), denied.reason());
        assertEquals(List.of("no-drops"), denied.ruleIds());

        ClientCheckpoint audited = client(down, new AuditSettings(AuditSettings.AllowMode.ALL, 1, false));
        assertInstanceOf(Outcome.Failed.class, audited.check("SELECT id FROM items WHERE id = 1", null, "public", caller(null)),
                "an allow that must be audited needs the store");
    }

    @Test
    void prepareOnlyRefusesDenialsAndAuditsThem() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        ClientCheckpoint cp = client(() -> {
            asked.incrementAndGet();
            throw new dev.gatehouse.approvals.store.StoreUnavailableException("store down for this test", null);
        }, AuditSettings.DEFAULT);
        assertSame(Outcome.ALLOW, cp.classify("DELETE FROM items", "public", caller(null)));
        assertEquals(0, asked.get(), "classifying an allow or a review touches no store");
        Outcome.Deny deny = assertInstanceOf(Outcome.Deny.class, cp.classify("DROP TABLE items", "public", caller(null)));
        assertEquals(List.of("no-drops"), deny.ruleIds());
        assertEquals(1, asked.get(), "a denial at prepare is final, so it is audited there");
        assertTrue(deny.reason().contains("could not be audited"), "and is still a denial when the audit fails: " + deny.reason());
    }

    @TestFactory
    Stream<DynamicTest> parameterText() {
        record P(String name, Object value, String text) {
        }
        return Stream.of(
                new P("null stays null", null, null),
                new P("a number", 42, "42"),
                new P("bytes as hex, the same every time", new byte[] {1, (byte) 0xff}, "\\x01ff"),
                new P("an int array by content", new int[] {1, 2}, "[1, 2]"),
                new P("an object array by content", new Object[] {"a", 1}, "[a, 1]")
        ).map(p -> DynamicTest.dynamicTest(p.name(), () -> assertEquals(p.text(), ParameterText.of(p.value()))));
    }

    private static Resolution await(Hold hold) {
        try {
            return hold.await(Duration.ofSeconds(10), () -> true);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
