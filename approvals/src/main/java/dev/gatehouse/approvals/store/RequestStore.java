package dev.gatehouse.approvals.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.Impact;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.RequestSummary;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.approvals.Vote;
import dev.gatehouse.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * SQL for requests and votes. Every state change is a conditional UPDATE on the expected state, so with
 * several instances racing exactly one wins. Methods take the caller's connection: the caller owns the
 * transaction (and appends the matching audit record in it). Stateless; runs on the caller's thread.
 */
public final class RequestStore {
    private static final String COLUMNS = "id, request_key, state, principal, acting_for, channel, client_address,"
            + " application, database_name, sql_text, params_json, summary_json, approver_groups, quorum,"
            + " approval_ttl_ms, policy_version, analyzer_version, created_at, expires_at, decided_at,"
            + " approval_expires_at, decision_reason, search_path, search_path_recorded, dialect, impact_basis,"
            + " impact_rows, impact_cost, impact_note";

    private RequestStore() {
    }

    /** Inserts a new pending request; false when a pending request with the same key already exists. */
    public static boolean insert(Connection c, ApprovalRequest r) throws SQLException {
        String sql = "INSERT INTO gh_request (" + COLUMNS + ", pending_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        // A savepoint keeps the caller's transaction usable after a unique violation (PostgreSQL aborts it otherwise).
        var sp = c.setSavepoint();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            int i = 1;
            p.setString(i++, r.id());
            p.setString(i++, r.key());
            p.setString(i++, r.state().wire());
            p.setString(i++, r.principal());
            p.setString(i++, r.actingFor());
            p.setString(i++, r.source().channel().name().toLowerCase(java.util.Locale.ROOT));
            p.setString(i++, r.source().clientAddress());
            p.setString(i++, r.source().application());
            p.setString(i++, r.source().database());
            p.setString(i++, r.sql());
            p.setString(i++, Json.write(r.parameters()));
            p.setString(i++, Json.write(r.summary()));
            p.setString(i++, Json.write(List.copyOf(new java.util.TreeSet<>(r.approverGroups()))));
            p.setInt(i++, r.quorum());
            p.setLong(i++, r.approvalTtl().toMillis());
            p.setString(i++, r.policyVersion());
            p.setString(i++, r.analyzerVersion());
            p.setLong(i++, r.createdAt().toEpochMilli());
            p.setLong(i++, r.expiresAt().toEpochMilli());
            p.setNull(i++, Types.BIGINT);
            p.setNull(i++, Types.BIGINT);
            p.setNull(i++, Types.VARCHAR);
            p.setString(i++, r.searchPath());
            p.setBoolean(i++, r.searchPathRecorded());
            p.setString(i++, r.dialect() == null ? null : r.dialect().name());
            Impact impact = r.impact();
            p.setString(i++, impact == null ? null : impact.basis().wire());
            if (impact == null) {
                p.setNull(i++, Types.BIGINT);
                p.setNull(i++, Types.DOUBLE);
            } else {
                p.setLong(i++, impact.rows());
                if (impact.cost() == null) {
                    p.setNull(i++, Types.DOUBLE);
                } else {
                    p.setDouble(i++, impact.cost());
                }
            }
            p.setString(i++, impact == null ? null : impact.note());
            p.setString(i, r.key());
            p.executeUpdate();
            c.releaseSavepoint(sp);
            return true;
        } catch (SQLException e) {
            if (Store.isUniqueViolation(e)) {
                c.rollback(sp);
                return false;
            }
            throw e;
        }
    }

    public static Optional<String> pendingIdForKey(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM gh_request WHERE pending_key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The approved, unexpired request with this scope, if any (for clients that retry after approval). */
    public static Optional<String> approvedIdForKey(Connection c, String key, long nowMillis) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM gh_request WHERE request_key = ? AND state = 'approved'"
                + " AND approval_expires_at > ? ORDER BY decided_at")) {
            p.setString(1, key);
            p.setLong(2, nowMillis);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * The approved, unexpired requests with this scope and what each showed approvers, most rows first (a counted
     * run may use the approval whose count it stays within), at most {@code limit}.
     */
    public static List<RequesterPort.Approval> approvedForKey(Connection c, String key, long nowMillis, int limit)
            throws SQLException {
        List<RequesterPort.Approval> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id, impact_basis, impact_rows, impact_cost, impact_note"
                + " FROM gh_request WHERE request_key = ? AND state = 'approved' AND approval_expires_at > ?"
                + " ORDER BY decided_at")) {
            p.setMaxRows(limit);
            p.setString(1, key);
            p.setLong(2, nowMillis);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next() && out.size() < limit) {
                    out.add(new RequesterPort.Approval(rs.getString(1), impact(rs)));
                }
            }
        }
        return out;
    }

    /** Reads one request; {@code lock} takes a row lock so votes on one request are serialised. */
    public static Optional<ApprovalRequest> find(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM gh_request WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(read(rs, votes(c, id)));
            }
        }
    }

    /** Only the state, for the waiters' cheap re-check. */
    public static Optional<RequestState> state(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT state FROM gh_request WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(RequestState.ofWire(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /**
     * Lists requests, pending first then newest first.
     *
     * @param state null for every state
     * @param limit at most this many (bounded by the caller)
     */
    public static List<ApprovalRequest> list(Connection c, RequestState state, String principal, int limit) throws SQLException {
        return list(c, state, principal, limit, r -> true, limit);
    }

    /**
     * Lists the requests {@code keep} accepts, pending first then newest first: at most {@code limit} of them,
     * from at most {@code maxScan} rows read (a viewer who may see few of many requests gets a bounded answer,
     * not a scan of the whole table).
     */
    public static List<ApprovalRequest> list(Connection c, RequestState state, String principal, int limit,
                                             java.util.function.Predicate<ApprovalRequest> keep, int maxScan) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM gh_request WHERE 1=1");
        if (state != null) {
            sql.append(" AND state = ?");
        }
        if (principal != null) {
            sql.append(" AND principal = ?");
        }
        sql.append(" ORDER BY CASE WHEN state = 'pending' THEN 0 ELSE 1 END, created_at DESC, id");
        List<ApprovalRequest> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            p.setMaxRows(maxScan);
            p.setFetchSize(Math.min(maxScan, 200));
            int i = 1;
            if (state != null) {
                p.setString(i++, state.wire());
            }
            if (principal != null) {
                p.setString(i, principal);
            }
            try (ResultSet rs = p.executeQuery()) {
                int scanned = 0;
                while (out.size() < limit && scanned++ < maxScan && rs.next()) {
                    ApprovalRequest r = read(rs, List.of());
                    if (keep.test(r)) {
                        out.add(r);
                    }
                }
            }
        }
        List<ApprovalRequest> withVotes = new ArrayList<>(out.size());
        for (ApprovalRequest r : out) {
            withVotes.add(withVotes(r, votes(c, r.id())));
        }
        return withVotes;
    }

    public static void insertVote(Connection c, String requestId, Vote v) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO gh_vote (request_id, approver, choice, reason, channel, cast_at)"
                + " VALUES (?,?,?,?,?,?)")) {
            p.setString(1, requestId);
            p.setString(2, v.approver());
            p.setString(3, v.choice().wire());
            p.setString(4, v.reason());
            p.setString(5, v.channel());
            p.setLong(6, v.at().toEpochMilli());
            p.executeUpdate();
        }
    }

    /**
     * Moves a request from {@code from} to {@code to} if it is still in {@code from}; the single conditional
     * UPDATE is what makes one instance the winner of a race.
     *
     * @param approvalExpiresAt set when moving to APPROVED, else null
     * @return true when this call made the change
     */
    public static boolean transition(Connection c, String id, RequestState from, RequestState to, long atMillis,
                                     Long approvalExpiresAt, String reason) throws SQLException {
        String timeColumn = to == RequestState.CONSUMED ? "consumed_at" : "decided_at";
        try (PreparedStatement p = c.prepareStatement("UPDATE gh_request SET state = ?, " + timeColumn + " = ?,"
                + " approval_expires_at = COALESCE(?, approval_expires_at), decision_reason = COALESCE(?, decision_reason),"
                + " pending_key = NULL WHERE id = ? AND state = ?")) {
            p.setString(1, to.wire());
            p.setLong(2, atMillis);
            if (approvalExpiresAt == null) {
                p.setNull(3, Types.BIGINT);
            } else {
                p.setLong(3, approvalExpiresAt);
            }
            p.setString(4, reason);
            p.setString(5, id);
            p.setString(6, from.wire());
            return p.executeUpdate() == 1;
        }
    }

    /**
     * Consumes an approval: one conditional UPDATE that checks state, scope and expiry together, so exactly
     * one claimant wins even across instances.
     */
    public static boolean consume(Connection c, String id, String key, long nowMillis) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE gh_request SET state = 'consumed', consumed_at = ?"
                + " WHERE id = ? AND state = 'approved' AND request_key = ? AND approval_expires_at > ?")) {
            p.setLong(1, nowMillis);
            p.setString(2, id);
            p.setString(3, key);
            p.setLong(4, nowMillis);
            return p.executeUpdate() == 1;
        }
    }

    /** Ids of requests whose pending or approval time ran out, oldest first, at most {@code limit}. */
    public static List<String> due(Connection c, long nowMillis, int limit) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM gh_request WHERE (state = 'pending' AND expires_at <= ?)"
                + " OR (state = 'approved' AND approval_expires_at <= ?) ORDER BY created_at")) {
            p.setMaxRows(limit);
            p.setLong(1, nowMillis);
            p.setLong(2, nowMillis);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next() && ids.size() < limit) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private static List<Vote> votes(Connection c, String id) throws SQLException {
        List<Vote> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT approver, choice, reason, channel, cast_at FROM gh_vote"
                + " WHERE request_id = ? ORDER BY cast_at, approver")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Vote(rs.getString(1), "approve".equals(rs.getString(2)) ? Vote.Choice.APPROVE : Vote.Choice.DENY,
                            rs.getString(3), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
        }
        return out;
    }

    private static ApprovalRequest withVotes(ApprovalRequest r, List<Vote> votes) {
        return new ApprovalRequest(r.id(), r.key(), r.state(), r.principal(), r.actingFor(), r.source(), r.sql(),
                r.parameters(), r.searchPath(), r.searchPathRecorded(), r.summary(), r.approverGroups(), r.quorum(), r.approvalTtl(), r.policyVersion(),
                r.analyzerVersion(), r.createdAt(), r.expiresAt(), r.decidedAt(), r.approvalExpiresAt(),
                r.decisionReason(), votes, r.dialect(), r.impact());
    }

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private static ApprovalRequest read(ResultSet rs, List<Vote> votes) throws SQLException {
        try {
            return new ApprovalRequest(
                    rs.getString("id"), rs.getString("request_key"), RequestState.ofWire(rs.getString("state")),
                    rs.getString("principal"), rs.getString("acting_for"),
                    new Source(Source.Channel.valueOf(rs.getString("channel").toUpperCase(java.util.Locale.ROOT)),
                            rs.getString("client_address"), rs.getString("application"), rs.getString("database_name")),
                    rs.getString("sql_text"), Json.MAPPER.readValue(rs.getString("params_json"), STRINGS),
                    rs.getString("search_path"), rs.getBoolean("search_path_recorded"),
                    Json.MAPPER.readValue(rs.getString("summary_json"), RequestSummary.class),
                    Set.copyOf(Json.MAPPER.readValue(rs.getString("approver_groups"), STRINGS)), rs.getInt("quorum"),
                    Duration.ofMillis(rs.getLong("approval_ttl_ms")), rs.getString("policy_version"),
                    rs.getString("analyzer_version"), Instant.ofEpochMilli(rs.getLong("created_at")),
                    Instant.ofEpochMilli(rs.getLong("expires_at")), instant(rs, "decided_at"),
                    instant(rs, "approval_expires_at"), rs.getString("decision_reason"), votes,
                    dialect(rs.getString("dialect")), impact(rs));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // 22000 (data exception): this row is bad, the store is not down, so the breaker stays closed.
            throw new SQLException("corrupt request row: " + e.getOriginalMessage(), "22000", e);
        }
    }

    /** The row's impact; null for requests made before it was stored. */
    private static Impact impact(ResultSet rs) throws SQLException {
        String basis = rs.getString("impact_basis");
        if (basis == null) {
            return null;
        }
        long rows = rs.getLong("impact_rows");
        double cost = rs.getDouble("impact_cost");
        Double costOrNull = rs.wasNull() ? null : cost;
        try {
            return new Impact(Impact.Basis.ofWire(basis), rows, costOrNull, rs.getString("impact_note"));
        } catch (IllegalArgumentException e) {
            throw new SQLException("corrupt request row: impact " + basis + "/" + rows, "22000", e);
        }
    }

    /** A dialect this version does not know (written by a newer one) is shown as not known, never guessed. */
    private static Dialect dialect(String name) {
        for (Dialect d : Dialect.values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
