package dev.gatehouse.enforce.guard;

import dev.gatehouse.approvals.Source;
import dev.gatehouse.enforce.catalog.DatabaseCheckpoints;
import dev.gatehouse.enforce.checkpoint.Caller;
import dev.gatehouse.enforce.checkpoint.ClientCheckpoint;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.checkpoint.ParameterText;
import dev.gatehouse.enforce.checkpoint.RowSight;
import dev.gatehouse.enforce.checkpoint.SessionRowSight;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Glob;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.policy.Rule;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The production guard of every front end: an {@link Execution} in, the shared checkpoint's {@link Outcome} out.
 *
 * <ul>
 *   <li>Caller: principal and acting-for from the session; source = the session's channel with its client
 *       address, application and database (the database is part of an approval's scope); default schema = the
 *       session's search path (PostgreSQL) or current database (MySQL); the session user, so that
 *       {@code SET ROLE} back to it is a session change, not a privilege one.</li>
 *   <li>Bound values are part of an approval's scope; values bound by name follow the positional ones.</li>
 *   <li>{@code EXECUTE name}: decided as {@code PREPARE name AS <body>;} followed by the text, so the analyzer
 *       sees what runs. A name whose body the front end does not know is denied.</li>
 *   <li>FunctionCall (the protocol's fast path) carries a function OID and no SQL: decided as
 *       {@code SELECT gatehouse_function_call_<oid>($1, ...)}, and refused unless the checkpoint allows it AND an
 *       enforcing {@code action: allow} rule names that function in {@code match.functions}. Fail closed: any
 *       function can be called this way (lo_export, pg_read_file), and an OID alone says nothing.</li>
 * </ul>
 *
 * <p>Catalog: the session's database's, chosen by {@link DatabaseCheckpoints}: a driver connection's own live
 * catalog; for the proxy, the live catalog it reads from each database as its catalog user, or one schema file
 * for every database.
 *
 * <p>Threads: thread-safe; shared by every session of a proxy, or owned by one driver connection. The caller
 * derived from a session is cached: by identity for the session state seen last (the front ends replace it
 * only when the session changes), else in a bounded concurrent map.
 */
public final class PolicyGuard implements StatementGuard {
    /** Bounds the caller cache: session states are few per session; past this the cache is simply cleared. */
    static final int MAX_CACHED_CALLERS = 4_096;
    static final String FUNCTION_PREFIX = "gatehouse_function_call_";

    private final DatabaseCheckpoints checkpoints;
    private final HoldMode holdMode;
    private final RowSight rows;
    private final List<String> allowedFunctionPatterns;
    private final ConcurrentHashMap<SessionState, Caller> callers = new ConcurrentHashMap<>();
    private volatile Seen last;

    /** The session a caller was made for. */
    private record Seen(SessionState session, Caller caller) {
    }

    /** Every session's names resolved through one client of the checkpoint (a driver connection's catalog). */
    public PolicyGuard(ClientCheckpoint checkpoint, Policy policy, HoldMode holdMode) {
        this(DatabaseCheckpoints.same(checkpoint), policy, holdMode, RowSight.NONE);
    }

    /** Every session's names resolved through one client of the checkpoint, rows seen as {@code rows} says. */
    public PolicyGuard(ClientCheckpoint checkpoint, Policy policy, HoldMode holdMode, RowSight rows) {
        this(DatabaseCheckpoints.same(checkpoint), policy, holdMode, rows);
    }

    /** A front end that does not count rows (the proxy): limited writes get their limits' actions. */
    public PolicyGuard(DatabaseCheckpoints checkpoints, Policy policy, HoldMode holdMode) {
        this(checkpoints, policy, holdMode, RowSight.NONE);
    }

    /**
     * @param checkpoints the shared checkpoint's clients by database (the front end's dialect, each database's
     *                    catalog)
     * @param policy      the policy that checkpoint decides by (for the FunctionCall allow list)
     * @param holdMode    the front end's hold mode for every statement, or null to follow each rule's
     *                    {@code on_hold}
     * @param rows        whether the front end counts the rows of writes the policy limits ({@code max_rows}), and
     *                    how it asks the planner for estimates; {@link RowSight#NONE}: limited writes get their
     *                    limits' actions
     */
    public PolicyGuard(DatabaseCheckpoints checkpoints, Policy policy, HoldMode holdMode, RowSight rows) {
        this.checkpoints = checkpoints;
        this.holdMode = holdMode;
        this.rows = rows;
        List<String> patterns = new ArrayList<>();
        for (Rule rule : policy.rules()) {
            if (rule.action() == Action.ALLOW && !rule.shadow() && !policy.shadow()) {
                patterns.addAll(rule.match().functions());
            }
        }
        this.allowedFunctionPatterns = List.copyOf(patterns);
    }

    @Override
    public Outcome prepare(Execution execution) {
        SessionState session = execution.session();
        return checkpoints.classify(session.database(), execution.sql(), session.defaultSchema(), session.databaseUser(),
                caller(execution));
    }

    /** Hot path: an identity compare, then the checkpoint's cached decision. */
    @Override
    public Outcome check(Execution execution) {
        SessionState session = execution.session();
        List<?> values = execution.named().isEmpty() ? execution.parameters() : withNamed(execution);
        if (execution.origin() == Origin.FUNCTION_CALL) {
            return functionCall(execution, values, session);
        }
        String sql = execution.preparedBodies().isEmpty() ? execution.sql() : withBodies(execution);
        if (sql == null) {
            return new Outcome.Deny("EXECUTE of a prepared statement Gatehouse has not seen prepared in this "
                    + "session", List.of());
        }
        return checkpoints.check(session.database(), sql, values, session.defaultSchema(), session.databaseUser(),
                caller(execution));
    }

    private Outcome functionCall(Execution execution, List<?> values, SessionState session) {
        String name = FUNCTION_PREFIX + Integer.toUnsignedString(execution.functionOid());
        StringBuilder sql = new StringBuilder("SELECT ").append(name).append('(');
        int n = values == null ? 0 : values.size();
        for (int i = 1; i <= n; i++) {
            sql.append(i == 1 ? "$" : ", $").append(i);
        }
        Outcome outcome = checkpoints.check(session.database(), sql.append(')').toString(), values,
                session.defaultSchema(), session.databaseUser(), caller(execution));
        if (outcome instanceof Outcome.Allow && !Glob.anyMatches(allowedFunctionPatterns, name, true)) {
            return new Outcome.Deny("a FunctionCall message (function OID " + Integer.toUnsignedString(
                    execution.functionOid()) + ") runs only when an allow rule names it in match.functions as "
                    + name, List.of());
        }
        return outcome;
    }

    /** The text with each EXECUTEd statement's body declared ahead of it; null when a body is unknown. */
    private static String withBodies(Execution e) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < e.preparedBodies().size(); i++) {
            String body = e.preparedBodies().get(i);
            if (body == null) {
                return null;
            }
            b.append("PREPARE ").append(quoted(e.executedNames().get(i))).append(" AS ").append(body).append(";\n");
        }
        return b.append(e.sql()).toString();
    }

    /** A name as a quoted identifier, so the PREPARE names exactly the statement the server runs. */
    private static String quoted(String name) {
        StringBuilder b = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"') {
                b.append('"');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }

    /** Values bound by name are part of what is approved too: rendered after the positional ones. */
    private static List<Object> withNamed(Execution e) {
        List<Object> all = new ArrayList<>(e.parameters() == null ? List.of() : e.parameters());
        for (Execution.NamedParameter p : e.named()) {
            all.add(p.name() + " => " + ParameterText.of(p.value()));
        }
        return all;
    }

    /**
     * Hot path: the session's caller, with the statement's own row sight when it brings one (a proxy session's: the
     * guard is shared by every session, so that sight is not the guard's; a session's sight keeps the joined caller).
     */
    private Caller caller(Execution execution) {
        Caller c = caller(execution.session());
        RowSight sight = execution.rows();
        return sight == null ? c : sight instanceof SessionRowSight s ? s.join(c) : c.withRows(sight);
    }

    /** Hot path: an identity compare; allocates only for a session state not seen before. */
    private Caller caller(SessionState session) {
        Seen s = last;
        if (s != null && s.session() == session) {
            return s.caller();
        }
        Caller c = callers.get(session);
        if (c == null) {
            if (callers.size() >= MAX_CACHED_CALLERS) {
                callers.clear();
            }
            c = new Caller(new Principal(session.principal(), session.actingFor()), new Source(session.channel(),
                    nz(session.clientAddress()), session.applicationName(), nz(session.database())), holdMode, rows);
            callers.put(session, c);
            last = new Seen(session, c); // a driver connection's next statements hit by identity
        }
        return c;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
