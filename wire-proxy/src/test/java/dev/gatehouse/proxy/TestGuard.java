package dev.gatehouse.proxy;

import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.proxy.guard.BoundValue;
import dev.gatehouse.proxy.guard.BoundValueText;
import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.guard.StatementGuard;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A guard over a small rule table, for tests: a marker anywhere in the SQL, in the body of an EXECUTEd
 * SQL-level prepared statement, or in a text parameter value decides. Records every execution it sees.
 */
final class TestGuard implements StatementGuard {
    static final String DENY = "gh_deny";
    static final String REVIEW_FAIL = "gh_review_fail";
    static final String REVIEW = "gh_review";
    static final String BROKEN = "gh_broken";
    /** Denies only as the body of an EXECUTE, so that PREPARE itself passes (as it runs nothing). */
    static final String BODY_DENY = "gh_body_deny";

    final List<Execution> seen = new CopyOnWriteArrayList<>();
    /** The holds handed out for REVIEW, in order, for the test thread to resolve. */
    final LinkedBlockingQueue<TestHold> holds = new LinkedBlockingQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger reviews = new java.util.concurrent.atomic.AtomicInteger();

    /** The guard throws when this is parsed, through {@link #prepare}. */
    static final String PREPARE_BROKEN = "gh_prepare_broken";
    /** Denied already when parsed, through {@link #prepare}. */
    static final String PREPARE_DENY = "gh_prepare_deny";

    @Override
    public Outcome prepare(Execution execution) {
        if (execution.sql().contains(PREPARE_BROKEN)) {
            throw new IllegalStateException("guard failure at prepare, for the test");
        }
        return execution.sql().contains(PREPARE_DENY)
                ? new Outcome.Deny("refused when parsed", List.of("test.prepare")) : Outcome.ALLOW;
    }

    /** FunctionCall messages are allowed only while this is set (the proxy must respect either answer). */
    volatile boolean allowFunctionCalls = true;

    @Override
    public Outcome check(Execution execution) {
        seen.add(execution);
        if (execution.origin() == dev.gatehouse.enforce.guard.Origin.FUNCTION_CALL && !allowFunctionCalls) {
            return new Outcome.Deny("function calls are not allowed", List.of("test.fastpath"));
        }
        for (String body : execution.preparedBodies()) {
            if (body != null && body.contains(BODY_DENY)) {
                return new Outcome.Deny("the EXECUTEd statement matched " + BODY_DENY, List.of("test.body"));
            }
        }
        String text = everything(execution);
        if (text.contains(BROKEN)) {
            throw new IllegalStateException("guard failure for the test");
        }
        if (text.contains(DENY)) {
            return new Outcome.Deny("the test rule matched " + DENY, List.of("test.deny"));
        }
        if (text.contains(REVIEW_FAIL)) {
            return new Outcome.Review("req-fail-1", "http://approvals.test/r/req-fail-1", HoldMode.FAIL,
                    new TestHold(), "test review", List.of("test.review"));
        }
        if (text.contains(REVIEW)) {
            TestHold hold = new TestHold();
            String id = "req-" + reviews.incrementAndGet();
            holds.add(hold);
            return new Outcome.Review(id, "http://approvals.test/r/req", HoldMode.WAIT, hold,
                    "test review", List.of("test.review"));
        }
        for (String body : execution.preparedBodies()) {
            if (body == null) {
                return new Outcome.Deny("EXECUTE of a statement never prepared here", List.of("test.unknown"));
            }
        }
        return Outcome.ALLOW;
    }

    private static String everything(Execution e) {
        StringBuilder b = new StringBuilder(e.sql().toLowerCase(Locale.ROOT));
        for (String body : e.preparedBodies()) {
            if (body != null) {
                b.append('\n').append(body);
            }
        }
        if (e.parameters() instanceof BoundValueText bound) {
            for (BoundValue v : bound.values()) {
                if (v.text() != null) {
                    b.append('\n').append(v.text());
                }
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
