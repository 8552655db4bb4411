package dev.gatehouse.approvals.http;

import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.RequestSummary;
import dev.gatehouse.approvals.Vote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's JSON shape of a request (snake_case keys, ISO-8601 instants). Bound values only for a viewer who may
 * see them ({@code people.Visibility}); others get {@code parameters: null}, {@code parameters_hidden: true} and
 * how many there are. Stateless; HTTP server threads.
 */
final class RequestJson {
    private RequestJson() {
    }

    static Map<String, Object> of(ApprovalRequest r, boolean showValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("state", r.state().wire());
        m.put("principal", r.principal());
        m.put("acting_for", r.actingFor());
        m.put("source", Map.of("channel", r.source().channel().name().toLowerCase(java.util.Locale.ROOT),
                "client_address", r.source().clientAddress(), "application", r.source().application(),
                "database", r.source().database()));
        m.put("sql", r.sql());
        m.put("parameters", showValues ? r.parameters() : null);
        m.put("parameter_count", r.parameters().size());
        m.put("parameters_hidden", !showValues);
        m.put("dialect", r.dialect() == null ? null : r.dialect().name());
        m.put("search_path", r.searchPath());
        m.put("search_path_recorded", r.searchPathRecorded());
        RequestSummary s = r.summary();
        m.put("kinds", s.kinds());
        m.put("operations", s.operations());
        m.put("tables", s.tables());
        m.put("reads", s.reads());
        m.put("writes", s.writes());
        List<Map<String, Object>> rules = new ArrayList<>();
        for (RequestSummary.Rule rule : s.rules()) {
            rules.add(Map.of("id", rule.ruleId(), "action", rule.action(), "shadow", rule.shadow(), "facts", rule.facts()));
        }
        m.put("rules", rules);
        m.put("reason", s.reason());
        m.put("impact", r.impact() == null ? null : r.impact().fields());
        m.put("approver_groups", List.copyOf(new java.util.TreeSet<>(r.approverGroups())));
        m.put("quorum", r.quorum());
        m.put("policy_version", r.policyVersion());
        m.put("analyzer_version", r.analyzerVersion());
        m.put("created_at", iso(r.createdAt()));
        m.put("expires_at", iso(r.expiresAt()));
        m.put("decided_at", iso(r.decidedAt()));
        m.put("approval_expires_at", iso(r.approvalExpiresAt()));
        m.put("decision_reason", r.decisionReason());
        List<Map<String, Object>> votes = new ArrayList<>();
        for (Vote v : r.votes()) {
            votes.add(Map.of("approver", v.approver(), "choice", v.choice().wire(), "reason", v.reason(),
                    "channel", v.channel(), "at", iso(v.at())));
        }
        m.put("votes", votes);
        return m;
    }

    private static String iso(Instant i) {
        return i == null ? null : i.toString();
    }
}
