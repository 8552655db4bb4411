package dev.gatehouse.jdbc;

import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.jdbc.guard.GuardContext;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.guard.StatementGuard;
import dev.gatehouse.jdbc.guard.StatementGuardFactory;

import java.sql.SQLException;

/**
 * A TEST guard over a small rule table ({@link Scenario}): deny or hold any SQL containing a marker the test
 * chose, allow the rest, so the driver's tests can reach every JDBC method and hold path with exact control;
 * the production guard over the policy engine and the approvals store is tested in
 * {@code dev.gatehouse.jdbc.policy}. The databases behind it are always the real ones. Selected with
 * {@code gatehouse.guard=test-rules&gatehouse.guard.scenario=<id>}.
 *
 * <p>Threads: any; the scenario it reads is thread-safe.
 */
public final class TestRuleGuard implements StatementGuardFactory, StatementGuard {
    private final Scenario scenario;

    public TestRuleGuard() {
        this(null);
    }

    private TestRuleGuard(Scenario scenario) {
        this.scenario = scenario;
    }

    @Override
    public String name() {
        return "test-rules";
    }

    @Override
    public StatementGuard create(GuardContext context) throws SQLException {
        String id = context.settings().get("gatehouse.guard.scenario");
        Scenario s = id == null ? null : Scenario.byId(id);
        if (s == null) {
            throw new SQLException("test guard: no scenario " + id);
        }
        s.contexts.add(context);
        return new TestRuleGuard(s);
    }

    @Override
    public Outcome prepare(Execution execution) {
        return scenario.prepare(execution);
    }

    @Override
    public Outcome check(Execution execution) {
        return scenario.check(execution);
    }
}
