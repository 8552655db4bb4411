package dev.gatehouse.approvals.requester;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gatehouse.approvals.DecisionAudit;
import dev.gatehouse.approvals.Impact;
import dev.gatehouse.approvals.Outcome;
import dev.gatehouse.approvals.RequestSummary;
import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.approvals.Submission;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.ReviewSpec;
import dev.gatehouse.sql.Dialect;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The requester API's JSON, written by {@link RemoteRequester} and read by serve's requester routes: one place
 * for both sides, so they cannot drift. Bodies are pure ASCII (every other character as a JSON escape), so any
 * Java string, a lone surrogate or a NUL included, crosses unchanged. Reading is strict: a missing or mistyped
 * field is a {@link BadBody}, never a default that could widen what a request means.
 *
 * <p>Threads: stateless; any thread (Jackson's mapper is thread-safe).
 */
public final class RequesterWire {
    /** The longest a review may wait or an approval may stay unused, whatever a front end asks for. */
    static final Duration LONGEST_TTL = Duration.ofDays(7);

    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    .build())
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();

    private RequesterWire() {
    }

    /** A body that is not what the route reads. The message says which field, never its value. */
    public static final class BadBody extends Exception {
        private static final long serialVersionUID = 1L;

        public BadBody(String message) {
            super(message, null, false, false);
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-able: " + e.getOriginalMessage(), e);
        }
    }

    public static JsonNode read(byte[] body) throws BadBody {
        try {
            JsonNode n = MAPPER.readTree(body);
            if (n == null || !n.isObject()) {
                throw new BadBody("expected a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new BadBody("not JSON");
        }
    }

    // ---------------------------------------------------------------- submissions

    public static Map<String, Object> submission(Submission s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("principal", s.principal());
        m.put("acting_for", s.actingFor());
        m.put("source", source(s.source()));
        m.put("sql", s.sql());
        m.put("parameters", s.parameters());
        ReviewSpec r = s.review();
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("approver_groups", List.copyOf(new java.util.TreeSet<>(r.approverGroups())));
        review.put("quorum", r.quorum());
        review.put("pending_ttl_ms", (r.pendingTtl() == null ? ReviewSpec.DEFAULT_TTL : r.pendingTtl()).toMillis());
        review.put("approval_ttl_ms", (r.approvalTtl() == null ? ReviewSpec.DEFAULT_TTL : r.approvalTtl()).toMillis());
        review.put("on_hold", r.onHold().name().toLowerCase(Locale.ROOT));
        m.put("review", review);
        m.put("summary", s.summary());
        m.put("policy_version", s.policyVersion());
        m.put("analyzer_version", s.analyzerVersion());
        m.put("search_path", s.searchPath());
        m.put("dialect", s.dialect() == null ? null : s.dialect().name());
        m.put("impact", impact(s.impact()));
        return m;
    }

    public static Submission submission(JsonNode n) throws BadBody {
        JsonNode review = object(n, "review");
        int quorum = review.path("quorum").isInt() ? review.get("quorum").asInt() : 0;
        if (quorum < 1) {
            throw new BadBody("review.quorum must be a whole number of at least 1");
        }
        ReviewSpec spec = new ReviewSpec(groups(review.get("approver_groups")), quorum, ttl(review, "pending_ttl_ms"),
                ttl(review, "approval_ttl_ms"), "fail".equals(text(review, "on_hold", false)) ? ReviewSpec.HoldMode.FAIL
                : ReviewSpec.HoldMode.WAIT);
        RequestSummary summary;
        try {
            summary = MAPPER.treeToValue(object(n, "summary"), RequestSummary.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new BadBody("summary is not a request summary");
        }
        return new Submission(text(n, "principal", false), text(n, "acting_for", true), source(object(n, "source")),
                text(n, "sql", false), strings(n.get("parameters"), "parameters"), spec, summary,
                text(n, "policy_version", true), text(n, "analyzer_version", true), text(n, "search_path", true),
                dialect(n), impact(n, "impact"));
    }

    // ---------------------------------------------------------------- what a request would touch

    /** An impact as every surface shows it ({@link Impact#fields}), or null. */
    public static Map<String, Object> impact(Impact impact) {
        return impact == null ? null : impact.fields();
    }

    /**
     * The impact in {@code field} of {@code n}, or null when it is absent or null. Read strictly: a count an
     * approval is used within must never be guessed.
     */
    public static Impact impact(JsonNode n, String field) throws BadBody {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new BadBody(field + " must be an object");
        }
        Impact.Basis basis = switch (text(v, "basis", false)) {
            case "measured" -> Impact.Basis.MEASURED;
            case "estimated" -> Impact.Basis.ESTIMATED;
            case "unknown" -> Impact.Basis.UNKNOWN;
            default -> throw new BadBody(field + ".basis must be measured, estimated or unknown");
        };
        JsonNode rows = v.get("rows");
        long count;
        if (basis == Impact.Basis.UNKNOWN && (rows == null || rows.isNull())) {
            count = 0;
        } else if (rows != null && rows.isIntegralNumber() && rows.canConvertToLong() && rows.asLong() >= 0) {
            count = rows.asLong();
        } else {
            throw new BadBody(field + ".rows must be a whole number of at least 0");
        }
        JsonNode cost = v.get("cost");
        Double costOrNull;
        if (cost == null || cost.isNull()) {
            costOrNull = null;
        } else if (cost.isNumber()) {
            costOrNull = cost.asDouble();
        } else {
            throw new BadBody(field + ".cost must be a number");
        }
        return new Impact(basis, count, costOrNull, text(v, "note", true));
    }

    /** The approved, unused requests of a scope. */
    public static Map<String, Object> approvals(List<RequesterPort.Approval> approvals) {
        List<Map<String, Object>> list = new ArrayList<>(approvals.size());
        for (RequesterPort.Approval a : approvals) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("request_id", a.requestId());
            m.put("impact", impact(a.impact()));
            list.add(m);
        }
        return Map.of("approvals", list);
    }

    public static List<RequesterPort.Approval> approvals(JsonNode n) throws BadBody {
        JsonNode list = n.get("approvals");
        if (list == null || !list.isArray()) {
            throw new BadBody("approvals must be a list");
        }
        if (list.size() > dev.gatehouse.approvals.ApprovalService.MAX_APPROVED_PER_SCOPE) {
            throw new BadBody("approvals holds more than " + dev.gatehouse.approvals.ApprovalService.MAX_APPROVED_PER_SCOPE);
        }
        List<RequesterPort.Approval> out = new ArrayList<>(list.size());
        for (JsonNode a : list) {
            if (!a.isObject()) {
                throw new BadBody("approvals must hold objects");
            }
            out.add(new RequesterPort.Approval(text(a, "request_id", false), impact(a, "impact")));
        }
        return out;
    }

    // ---------------------------------------------------------------- decisions that open no request

    public static Map<String, Object> decision(DecisionAudit d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("principal", d.principal());
        m.put("acting_for", d.actingFor());
        m.put("source", source(d.source()));
        m.put("sql", d.sql());
        m.put("parameters", d.parameters());
        m.put("action", d.action().name().toLowerCase(Locale.ROOT));
        m.put("rules", d.ruleIds());
        m.put("policy_version", d.policyVersion());
        m.put("analyzer_version", d.analyzerVersion());
        m.put("dialect", d.dialect() == null ? null : d.dialect().name());
        return m;
    }

    public static DecisionAudit decision(JsonNode n) throws BadBody {
        Action action = switch (text(n, "action", false)) {
            case "deny" -> Action.DENY;
            case "allow" -> Action.ALLOW;
            default -> throw new BadBody("action must be deny or allow");
        };
        List<String> rules = strings(n.get("rules"), "rules");
        if (rules.contains(null)) {
            throw new BadBody("rules holds a null");
        }
        return new DecisionAudit(text(n, "principal", false), text(n, "acting_for", true), source(object(n, "source")),
                text(n, "sql", false), strings(n.get("parameters"), "parameters"), action, rules,
                text(n, "policy_version", true), text(n, "analyzer_version", true), dialect(n));
    }

    // ---------------------------------------------------------------- outcomes

    public static Map<String, Object> outcome(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request_id", o.requestId());
        switch (o) {
            case Outcome.Approved a -> m.put("outcome", "approved");
            case Outcome.Denied d -> {
                m.put("outcome", "denied");
                m.put("reason", d.reason());
            }
            case Outcome.Expired e -> {
                m.put("outcome", "expired");
                m.put("reason", e.reason());
            }
            case Outcome.Withdrawn w -> m.put("outcome", "withdrawn");
            case Outcome.TimedOut t -> m.put("outcome", "pending");
        }
        return m;
    }

    public static Outcome outcome(JsonNode n, String requestId) throws BadBody {
        String reason = n.path("reason").asText("");
        return switch (text(n, "outcome", false)) {
            case "approved" -> new Outcome.Approved(requestId);
            case "denied" -> new Outcome.Denied(requestId, reason);
            case "expired" -> new Outcome.Expired(requestId, reason);
            case "withdrawn" -> new Outcome.Withdrawn(requestId);
            case "pending" -> new Outcome.TimedOut(requestId);
            default -> throw new BadBody("outcome is not one of approved, denied, expired, withdrawn, pending");
        };
    }

    // ---------------------------------------------------------------- parts

    private static Map<String, Object> source(Source s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channel", s.channel().name().toLowerCase(Locale.ROOT));
        m.put("client_address", s.clientAddress());
        m.put("application", s.application());
        m.put("database", s.database());
        return m;
    }

    private static Source source(JsonNode n) throws BadBody {
        Source.Channel channel = switch (text(n, "channel", false)) {
            case "driver" -> Source.Channel.DRIVER;
            case "proxy" -> Source.Channel.PROXY;
            default -> throw new BadBody("source.channel must be driver or proxy");
        };
        return new Source(channel, text(n, "client_address", true), text(n, "application", true), text(n, "database", false));
    }

    private static Dialect dialect(JsonNode n) throws BadBody {
        String d = text(n, "dialect", true);
        if (d == null) {
            return null;
        }
        for (Dialect x : Dialect.values()) {
            if (x.name().equals(d)) {
                return x;
            }
        }
        throw new BadBody("dialect is not one this Gatehouse knows");
    }

    private static Duration ttl(JsonNode review, String field) throws BadBody {
        JsonNode v = review.get(field);
        if (v == null || !v.canConvertToLong() || v.asLong() < 1 || v.asLong() > LONGEST_TTL.toMillis()) {
            throw new BadBody("review." + field + " must be from 1 to " + LONGEST_TTL.toMillis() + " ms");
        }
        return Duration.ofMillis(v.asLong());
    }

    private static Set<String> groups(JsonNode n) throws BadBody {
        List<String> list = strings(n, "review.approver_groups");
        if (list.contains(null)) {
            throw new BadBody("review.approver_groups holds a null");
        }
        return new LinkedHashSet<>(list);
    }

    private static JsonNode object(JsonNode n, String field) throws BadBody {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw new BadBody(field + " must be an object");
        }
        return v;
    }

    private static String text(JsonNode n, String field, boolean nullable) throws BadBody {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (nullable) {
                return null;
            }
            throw new BadBody(field + " is missing");
        }
        if (!v.isTextual()) {
            throw new BadBody(field + " must be a string");
        }
        return v.textValue();
    }

    /** A list of strings (nulls kept: a bound NULL is a value). */
    private static List<String> strings(JsonNode n, String field) throws BadBody {
        if (n == null || !n.isArray()) {
            throw new BadBody(field + " must be a list");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode v : n) {
            if (v.isNull()) {
                out.add(null);
            } else if (v.isTextual()) {
                out.add(v.textValue());
            } else {
                throw new BadBody(field + " must hold strings");
            }
        }
        return out;
    }
}
