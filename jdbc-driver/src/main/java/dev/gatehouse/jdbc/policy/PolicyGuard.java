package dev.gatehouse.jdbc.policy;

import dev.gatehouse.approvals.Source;
import dev.gatehouse.enforce.checkpoint.Caller;
import dev.gatehouse.enforce.checkpoint.ClientCheckpoint;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.checkpoint.ParameterText;
import dev.gatehouse.jdbc.guard.Execution;
import dev.gatehouse.jdbc.guard.SessionState;
import dev.gatehouse.jdbc.guard.StatementGuard;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.ReviewSpec.HoldMode;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's guard: the driver's {@link Execution} in, the checkpoint's {@link Outcome} out. The
 * {@link Caller} is derived from the session once per session change (the driver replaces the
 * {@link SessionState} instance only then), so the allow path allocates nothing here.
 *
 * <p>Threads: the connection's executing thread; the cached caller is published as one immutable pair
 * through a volatile, so a connection shared across threads never sees a torn one.
 */
final class PolicyGuard implements StatementGuard {
    private final ClientCheckpoint checkpoint;
    private final HoldMode holdMode;
    private final String application;
    private volatile Seen seen;

    /** The session a caller was made for. */
    private record Seen(SessionState session, Caller caller) {
    }

    PolicyGuard(ClientCheckpoint checkpoint, HoldMode holdMode, String application) {
        this.checkpoint = checkpoint;
        this.holdMode = holdMode;
        this.application = application;
    }

    @Override
    public Outcome prepare(Execution execution) {
        SessionState session = execution.session();
        return checkpoint.classify(execution.sql(), session.defaultSchema(), session.databaseUser(), caller(session));
    }

    /** Hot path: one identity compare, then the checkpoint. */
    @Override
    public Outcome check(Execution execution) {
        SessionState session = execution.session();
        List<?> values = execution.named().isEmpty() ? execution.parameters() : withNamed(execution);
        return checkpoint.check(execution.sql(), values, session.defaultSchema(), session.databaseUser(), caller(session));
    }

    /** Hot path: allocates only when the session changed. */
    private Caller caller(SessionState session) {
        Seen s = seen;
        if (s == null || s.session() != session) {
            Principal principal = new Principal(session.principal(), session.actingFor());
            String database = session.database() == null ? "" : session.database();
            s = new Seen(session, new Caller(principal, new Source(Source.Channel.DRIVER, "", application, database),
                    holdMode));
            seen = s;
        }
        return s.caller();
    }

    /** Values bound by name are part of what is approved too: rendered after the positional ones. */
    private static List<Object> withNamed(Execution e) {
        List<Object> all = new ArrayList<>(e.parameters() == null ? List.of() : e.parameters());
        for (Execution.NamedParameter p : e.named()) {
            all.add(p.name() + " => " + ParameterText.of(p.value()));
        }
        return all;
    }
}
