package dev.gatehouse.proxy.policy;

import dev.gatehouse.approvals.Source;
import dev.gatehouse.enforce.catalog.DatabaseCheckpoints;
import dev.gatehouse.enforce.checkpoint.Caller;
import dev.gatehouse.enforce.checkpoint.ClientCheckpoint;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Glob;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.policy.Rule;
import dev.gatehouse.proxy.guard.Execution;
import dev.gatehouse.proxy.guard.SessionState;
import dev.gatehouse.proxy.guard.StatementGuard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's production guard: the proxy's {@link Execution} in, the shared checkpoint's {@link Outcome} out.
 *
 * <ul>
 *   <li>Caller: principal = the session's principal (the startup user unless the proxy maps it); source =
 *       PROXY with the client address, application_name and database; defaultSchema = the search_path the
 *       proxy read back from the server (null: the server default).</li>
 *   <li>Bound values are rendered for approvers by {@link BoundValueText} (binary ones as hex with their type
 *       OID); they are part of an approval's scope.</li>
 *   <li>{@code EXECUTE name}: decided as {@code PREPARE name AS <body>;} followed by the text, so the analyzer
 *       sees what runs. A name whose body the proxy never saw confirmed is denied.</li>
 *   <li>FunctionCall ('F', the fast-path interface) carries a function OID and no SQL: decided as
 *       {@code SELECT gatehouse_function_call_<oid>($1, ...)}, and refused unless the checkpoint allows it AND an
 *       enforcing {@code action: allow} rule names that function in {@code match.functions}. Fail closed: any
 *       function can be called this way (lo_export, pg_read_file), and an OID alone says nothing.</li>
 * </ul>
 *
 * <p>Catalog: each session's database's, chosen by {@link DatabaseCheckpoints}: in {@code serve}, the live catalog
 * the proxy reads from that database as its catalog user, or one schema file for every database. With no catalog
 * ({@code Catalog.EMPTY}) unqualified columns of a one-table query still resolve; a {@code *} or an ambiguous
 * column leaves lineage incomplete, and column or table rules then apply as possible matches or
 * {@code defaults.unparsed} (fail closed, never a silent allow).
 *
 * <p>Threads: one instance shared by every session; each call runs on that session's client-reader
 * thread. The per-session {@link Caller} cache is a concurrent map keyed by the session-state instance, which the
 * proxy replaces only when the session changes.
 */
public final class ProxyPolicyGuard implements StatementGuard {
    /** Bounds the caller cache: session states are few per session; past this the cache is simply cleared. */
    static final int MAX_CACHED_CALLERS = 4_096;
    static final String FUNCTION_PREFIX = "gatehouse_function_call_";

    private final DatabaseCheckpoints checkpoints;
    private final HoldMode holdMode;
    private final List<String> allowedFunctionPatterns;
    private final ConcurrentHashMap<SessionState, Caller> callers = new ConcurrentHashMap<>();

    /** Every database's names resolved through one client of the checkpoint (one catalog, or none). */
    public ProxyPolicyGuard(ClientCheckpoint checkpoint, Policy policy, HoldMode holdMode) {
        this(DatabaseCheckpoints.same(checkpoint), policy, holdMode);
    }

    /**
     * @param checkpoints the shared checkpoint's clients by database (PostgreSQL dialect, each database's catalog)
     * @param policy      the policy that checkpoint decides by (for the FunctionCall allow list)
     * @param holdMode    the proxy's hold mode for every session, or null to follow each rule's {@code on_hold}
     */
    public ProxyPolicyGuard(DatabaseCheckpoints checkpoints, Policy policy, HoldMode holdMode) {
        this.checkpoints = checkpoints;
        this.holdMode = holdMode;
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
        return checkpoints.classify(execution.session().database(), execution.sql(), execution.session().searchPath(),
                execution.session().databaseUser(), caller(execution.session()));
    }

    /** Hot path: one map lookup, a small view over the values, then the checkpoint's cached decision. */
    @Override
    public Outcome check(Execution execution) {
        SessionState session = execution.session();
        List<String> values = execution.parameters().isEmpty() ? List.of() : new BoundValueText(execution.parameters());
        return switch (execution.origin()) {
            case SIMPLE_QUERY, EXTENDED_EXECUTE -> {
                String sql = execution.preparedBodies().isEmpty() ? execution.sql() : withBodies(execution);
                yield sql == null ? new Outcome.Deny("EXECUTE of a prepared statement Gatehouse has not seen "
                        + "prepared in this session", List.of())
                        : checkpoints.check(session.database(), sql, values, session.searchPath(), session.databaseUser(),
                        caller(session));
            }
            case FUNCTION_CALL -> functionCall(execution, values, session);
        };
    }

    private Outcome functionCall(Execution execution, List<String> values, SessionState session) {
        String name = FUNCTION_PREFIX + Integer.toUnsignedString(execution.functionOid());
        StringBuilder sql = new StringBuilder("SELECT ").append(name).append('(');
        for (int i = 1; i <= values.size(); i++) {
            sql.append(i == 1 ? "$" : ", $").append(i);
        }
        Outcome outcome = checkpoints.check(session.database(), sql.append(')').toString(), values, session.searchPath(),
                session.databaseUser(), caller(session));
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
            b.append(c == '"' ? "\"\"" : String.valueOf(c));
        }
        return b.append('"').toString();
    }

    /** Hot path: a lookup; allocates only for a session state not seen before. */
    private Caller caller(SessionState session) {
        Caller c = callers.get(session);
        if (c == null) {
            if (callers.size() >= MAX_CACHED_CALLERS) {
                callers.clear();
            }
            c = new Caller(new Principal(session.principal(), null), new Source(Source.Channel.PROXY,
                    session.clientAddress(), session.applicationName(),
                    session.database() == null ? "" : session.database()), holdMode);
            callers.put(session, c);
        }
        return c;
    }
}
