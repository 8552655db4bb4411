package dev.gatehouse.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.audit.AuditVerifier;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.approvals.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request life cycle against each real store: H2 embedded and PostgreSQL. */
class LifecycleTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<TestStores> stores = new ArrayList<>();

    private ApprovalService service(TestStores ts) {
        Store store = ts.open();
        ApprovalService s = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null);
        open.add(store);
        open.add(s);
        return s;
    }

    private TestStores store(String kind) {
        TestStores ts = TestStores.of(kind);
        stores.add(ts);
        return ts;
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        for (TestStores ts : stores) {
            ts.drop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mysql"})
    void identicalSubmissionJoinsThePendingRequestAndADifferentOneDoesNot(String kind) {
        ApprovalService s = service(store(kind));
        Submission sub = Submissions.simple("select ssn from users where id = $1", Submissions.dba(1));
        ApprovalService.Ticket first = s.open(sub);
        ApprovalService.Ticket again = s.open(sub);
        assertFalse(first.joined());
        assertTrue(again.joined());
        assertEquals(first.requestId(), again.requestId());
        Submission otherParams = Submissions.of("agent-7", "dave", sub.sql(), List.of("43"), Submissions.dba(1));
        assertNotEquals(first.requestId(), s.open(otherParams).requestId());
        Submission otherDb = new Submission(sub.principal(), sub.actingFor(),
                new Source(Source.Channel.PROXY, "", "", "other"), sub.sql(), sub.parameters(), sub.review(), sub.summary(),
                sub.policyVersion(), "a", sub.searchPath(), sub.dialect());
        assertNotEquals(first.requestId(), s.open(otherDb).requestId());
        ApprovalRequest r = s.find(first.requestId()).orElseThrow();
        assertEquals(RequestState.PENDING, r.state());
        assertEquals(List.of("42"), r.parameters());
        assertEquals("dave", r.actingFor());
        assertEquals(List.of("public.users"), r.summary().tables());
        assertEquals("pii", r.summary().rules().get(0).ruleId());
        assertEquals("policy-v1", r.policyVersion());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mysql"})
    void quorumCountsDistinctHumansAndTheApprovalIsClaimedOnceForTheSameScope(String kind) {
        ApprovalService s = service(store(kind));
        Submission sub = Submissions.simple("delete from users", Submissions.dba(2));
        String id = s.open(sub).requestId();
        assertInstanceOf(VoteResult.Recorded.class, s.vote(id, "alice", Vote.Choice.APPROVE, "ok", "api"));
        assertInstanceOf(VoteResult.AlreadyVoted.class, s.vote(id, "alice", Vote.Choice.APPROVE, "again", "api"));
        assertEquals(RequestState.PENDING, s.find(id).orElseThrow().state());
        VoteResult second = s.vote(id, "bob", Vote.Choice.APPROVE, "fine", "api");
        assertEquals(RequestState.APPROVED, ((VoteResult.Recorded) second).request().state());
        assertInstanceOf(VoteResult.AlreadyDecided.class, s.vote(id, "carol", Vote.Choice.DENY, "late", "api"));
        Submission otherParams = Submissions.of("agent-7", "dave", sub.sql(), List.of("7"), Submissions.dba(2));
        assertFalse(s.claim(id, otherParams), "different parameter values must not use the approval");
        Submission otherPrincipal = Submissions.of("agent-8", "dave", sub.sql(), List.of("42"), Submissions.dba(2));
        assertFalse(s.claim(id, otherPrincipal), "another principal must not use the approval");
        assertEquals(java.util.Optional.of(id), s.claimApproved(sub), "a re-submission after approval consumes it");
        assertFalse(s.claim(id, sub), "an approval releases once");
        assertEquals(java.util.Optional.empty(), s.claimApproved(sub));
        ApprovalRequest r = s.find(id).orElseThrow();
        assertEquals(RequestState.CONSUMED, r.state());
        assertEquals(2, r.votes().size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mysql"})
    void anyEligibleDenialDenies(String kind) {
        ApprovalService s = service(store(kind));
        String id = s.open(Submissions.simple("drop table users", Submissions.dba(2))).requestId();
        s.vote(id, "alice", Vote.Choice.APPROVE, "ok", "api");
        VoteResult r = s.vote(id, "bob", Vote.Choice.DENY, "not on a Friday", "api");
        ApprovalRequest after = ((VoteResult.Recorded) r).request();
        assertEquals(RequestState.DENIED, after.state());
        assertTrue(after.decisionReason().contains("not on a Friday"));
        assertEquals(2, after.votes().size(), "every vote is kept");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mysql"})
    void racingClaimsOnOneApprovalHaveExactlyOneWinner(String kind) throws Exception {
        ApprovalService s = service(store(kind));
        Submission sub = Submissions.simple("update users set ssn = null", Submissions.dba(1));
        String id = s.open(sub).requestId();
        s.vote(id, "bob", Vote.Choice.APPROVE, "", "api");
        List<Callable<Boolean>> claims = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            claims.add(() -> s.claim(id, sub));
        }
        int winners = 0;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Boolean> f : ex.invokeAll(claims)) {
                winners += f.get() ? 1 : 0;
            }
        }
        assertEquals(1, winners);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mysql"})
    void pendingAndApprovalsExpire(String kind) throws Exception {
        ApprovalService s = service(store(kind));
        Submission shortLived = Submissions.simple("select ssn from users",
                Submissions.spec(Set.of("dba"), 1, Duration.ofMillis(300), Duration.ofMillis(300)));
        String pending = s.open(shortLived).requestId();
        Outcome o = s.await(pending, Duration.ofSeconds(5));
        assertInstanceOf(Outcome.Expired.class, o);
        assertEquals(RequestState.EXPIRED, s.find(pending).orElseThrow().state());
        assertInstanceOf(VoteResult.AlreadyDecided.class, s.vote(pending, "alice", Vote.Choice.APPROVE, "", "api"));

        Submission again = Submissions.of("agent-7", "dave", "select ssn from users", List.of("1"),
                Submissions.spec(Set.of("dba"), 1, Duration.ofMinutes(5), Duration.ofMillis(200)));
        String approved = s.open(again).requestId();
        s.vote(approved, "alice", Vote.Choice.APPROVE, "", "api");
        Thread.sleep(400);
        assertFalse(s.claim(approved, again), "an approval not used in time is gone");
        s.expireDue();
        assertEquals(RequestState.EXPIRED, s.find(approved).orElseThrow().state());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mysql"})
    void awaitIsReleasedByAVoteAndHoldWithdrawsOnGiveUp(String kind) throws Exception {
        ApprovalService s = service(store(kind));
        Submission sub = Submissions.simple("select ssn from users", Submissions.dba(1));
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Outcome> held = ex.submit(() -> s.hold(sub, Duration.ofSeconds(20)));
            String id = waitForPending(s);
            s.vote(id, "carol", Vote.Choice.APPROVE, "ok", "api");
            Outcome o = held.get();
            assertEquals(new Outcome.Approved(id), o);
            assertEquals(RequestState.CONSUMED, s.find(id).orElseThrow().state(), "hold claims the approval");
        }
        Submission giveUp = Submissions.simple("select ssn from users where 1=1", Submissions.dba(1));
        Outcome timedOut = s.hold(giveUp, Duration.ofMillis(200));
        assertInstanceOf(Outcome.TimedOut.class, timedOut);
        assertEquals(RequestState.WITHDRAWN, s.find(timedOut.requestId()).orElseThrow().state());
    }

    private static String waitForPending(ApprovalService s) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<ApprovalRequest> p = s.list(RequestState.PENDING, null, 10);
            if (!p.isEmpty()) {
                return p.get(0).id();
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no pending request appeared");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mysql"})
    void aRestartLosesNoRequestVoteOrAuditRecord(String kind) {
        TestStores ts = store(kind);
        String id;
        try (Store store = ts.open(); ApprovalService s = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null)) {
            id = s.open(Submissions.simple("truncate users", Submissions.dba(2))).requestId();
            s.vote(id, "alice", Vote.Choice.APPROVE, "first", "api");
        }
        ApprovalService again = service(ts);
        ApprovalRequest r = again.find(id).orElseThrow();
        assertEquals(RequestState.PENDING, r.state());
        assertEquals("alice", r.votes().get(0).approver());
        again.vote(id, "bob", Vote.Choice.APPROVE, "second", "api");
        assertEquals(RequestState.APPROVED, again.find(id).orElseThrow().state());
        AuditVerifier.Result v = AuditVerifier.verify((Store) open.get(open.size() - 2));
        assertTrue(v.ok(), v.toString());
        assertEquals(4, v.records(), "created, vote, vote, approved");
    }

    @Test
    void everyNewRequestAndDecisionIsPublishedForTheHooks() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        TestStores ts = store("h2");
        Store store = ts.open();
        open.add(store);
        ApprovalService s = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(),
                (type, id, at, payload) -> seen.add(type + " " + payload.get("state") + " " + payload.get("principal")));
        open.add(s);
        Submission sub = Submissions.simple("delete from users", Submissions.dba(1));
        String id = s.open(sub).requestId();
        s.open(sub);
        s.vote(id, "bob", Vote.Choice.APPROVE, "", "api");
        s.claim(id, sub);
        String other = s.open(Submissions.simple("drop table users", Submissions.dba(1))).requestId();
        s.withdraw(other, "gave up");
        assertEquals(List.of("request.created pending agent-7", "vote.cast approved agent-7", "request.approved approved agent-7",
                "request.consumed consumed agent-7", "request.created pending agent-7", "request.withdrawn withdrawn agent-7"), seen);
    }

    @Test
    void anUnreachableStoreFailsClosedWithAClearError() {
        StoreUnavailableException e = assertThrows(StoreUnavailableException.class,
                () -> Store.open("jdbc:postgresql://127.0.0.1:1/test", "postgres", null, 2));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }
}
