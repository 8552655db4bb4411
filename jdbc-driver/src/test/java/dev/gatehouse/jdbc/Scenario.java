package dev.gatehouse.jdbc;

import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.jdbc.guard.GuardContext;
import dev.gatehouse.enforce.checkpoint.Hold;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.checkpoint.Resolution;
import dev.gatehouse.policy.ReviewSpec.HoldMode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One test's rule table for {@link TestRuleGuard}, the executions the guard saw, and its review requests,
 * which the test approves, denies or expires from its own thread (the stand-in for the approvals API).
 * Identical re-submissions join a pending request; an approval is claimed once.
 *
 * <p>Threads: any; guard threads and the test thread share it.
 */
public final class Scenario {
    private static final Map<String, Scenario> ALL = new ConcurrentHashMap<>();

    final String id = UUID.randomUUID().toString();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    final Queue<Execution> checked = new ConcurrentLinkedQueue<>();
    final Queue<Execution> prepared = new ConcurrentLinkedQueue<>();
    public final Queue<GuardContext> contexts = new ConcurrentLinkedQueue<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failure;

    private record Rule(String marker, String ruleId, Outcome.Deny deny, HoldMode hold, boolean atPrepare) {
    }

    public Scenario() {
        ALL.put(id, this);
    }

    static Scenario byId(String id) {
        return ALL.get(id);
    }

    Scenario deny(String marker, String ruleId) {
        rules.add(new Rule(marker, ruleId, new Outcome.Deny("test rule " + ruleId + " matched", List.of(ruleId)), null, false));
        return this;
    }

    Scenario denyAtPrepare(String marker, String ruleId) {
        rules.add(new Rule(marker, ruleId, new Outcome.Deny("test rule " + ruleId + " matched", List.of(ruleId)), null, true));
        return this;
    }

    Scenario review(String marker, String ruleId, HoldMode mode) {
        rules.add(new Rule(marker, ruleId, null, mode, false));
        return this;
    }

    /** Makes the guard throw, as a broken policy engine would. */
    Scenario failWith(RuntimeException e) {
        failure = e;
        return this;
    }

    /** The Gatehouse URL for this scenario over {@code base} (a real URL after {@code jdbc:}). */
    public String url(String base) {
        return "jdbc:gatehouse:" + base + (base.contains("?") ? "&" : "?")
                + "gatehouse.guard=test-rules&gatehouse.guard.scenario=" + id;
    }

    Outcome prepare(Execution e) {
        prepared.add(e);
        for (Rule r : rules) {
            if (r.atPrepare && e.sql().contains(r.marker)) {
                return r.deny;
            }
        }
        return Outcome.ALLOW;
    }

    Outcome check(Execution e) {
        checked.add(e);
        if (failure != null) {
            throw failure;
        }
        for (Rule r : rules) {
            if (!e.sql().contains(r.marker)) {
                continue;
            }
            if (r.deny != null) {
                return r.deny;
            }
            if (r.hold != null) {
                return review(e, r);
            }
        }
        return Outcome.ALLOW;
    }

    private Outcome review(Execution e, Rule rule) {
        String key = e.sql() + "|" + e.parameters() + "|" + e.session().principal();
        for (Request r : requests) {
            if (r.key.equals(key) && r.claimIfApproved()) {
                return Outcome.ALLOW;
            }
        }
        for (Request r : requests) {
            if (r.key.equals(key) && r.state() == State.PENDING) {
                return r.outcome(rule);
            }
        }
        Request r = new Request(key, e);
        requests.add(r);
        return r.outcome(rule);
    }

    Request awaitRequest(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            for (Request r : requests) {
                if (r.state() == State.PENDING) {
                    return r;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no pending request within " + max);
    }

    enum State { PENDING, APPROVED, DENIED, EXPIRED, WITHDRAWN, CONSUMED }

    /** A review request: the stand-in for one in the approvals store. */
    static final class Request implements Hold {
        final String id = "req-" + UUID.randomUUID();
        final String key;
        final Execution execution;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private State state = State.PENDING;
        volatile int withdrawals;

        Request(String key, Execution execution) {
            this.key = key;
            this.execution = execution;
        }

        Outcome.Review outcome(Rule rule) {
            return new Outcome.Review(id, "http://127.0.0.1:9/approvals/" + id, rule.hold, this,
                    "test rule " + rule.ruleId + " holds it", List.of(rule.ruleId));
        }

        State state() {
            lock.lock();
            try {
                return state;
            } finally {
                lock.unlock();
            }
        }

        void approve() {
            move(State.PENDING, State.APPROVED);
        }

        void deny() {
            move(State.PENDING, State.DENIED);
        }

        void expire() {
            move(State.PENDING, State.EXPIRED);
        }

        boolean claimIfApproved() {
            return move(State.APPROVED, State.CONSUMED);
        }

        private boolean move(State from, State to) {
            lock.lock();
            try {
                if (state != from) {
                    return false;
                }
                state = to;
                changed.signalAll();
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Resolution await(Duration max, java.util.function.BooleanSupplier wanted) throws InterruptedException {
            lock.lock();
            try {
                long nanos = max.toNanos();
                while (state == State.PENDING && nanos > 0) {
                    nanos = changed.awaitNanos(nanos);
                }
                return switch (state) {
                    case PENDING -> new Resolution.StillPending();
                    case APPROVED -> {
                        state = State.CONSUMED;
                        yield new Resolution.Approved();
                    }
                    case DENIED -> new Resolution.Denied("an approver said no", List.of());
                    case EXPIRED, WITHDRAWN, CONSUMED -> new Resolution.Expired();
                };
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void withdraw() {
            withdrawals++;
            move(State.PENDING, State.WITHDRAWN);
        }

        boolean awaitState(State wanted, Duration max) throws InterruptedException {
            lock.lock();
            try {
                long nanos = max.toNanos();
                while (state != wanted && nanos > 0) {
                    nanos = changed.awaitNanos(nanos);
                }
                return state == wanted;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return id + " " + state() + " " + Objects.toString(execution.sql());
        }
    }

}
