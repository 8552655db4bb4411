package dev.gatehouse.approvals;

import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.sql.Dialect;
import java.util.List;
import java.util.Objects;

/**
 * A policy decision that opens no request, as the audit keeps it: who sent what, what the policy did, which
 * enforcing and shadow rules matched. Plain data, so it crosses the requester API unchanged.
 *
 * <p>Threads: immutable; any thread.
 *
 * @param action        {@link Action#DENY} or {@link Action#ALLOW} (reviews are audited when their request opens)
 * @param ruleIds       the rule of every hit, statement by statement, in order
 * @param dialect       how {@code sql} is read (redaction reads literals that way), or null when not known
 */
public record DecisionAudit(String principal, String actingFor, Source source, String sql, List<String> parameters,
                            Action action, List<String> ruleIds, String policyVersion, String analyzerVersion,
                            Dialect dialect) {
    public DecisionAudit {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(action, "action");
        if (action == Action.REVIEW) {
            throw new IllegalArgumentException("a review is audited when its request is opened");
        }
        parameters = parameters == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parameters));
        ruleIds = List.copyOf(ruleIds);
        policyVersion = policyVersion == null ? "" : policyVersion;
        analyzerVersion = analyzerVersion == null ? "" : analyzerVersion;
    }

    public static DecisionAudit of(String principal, String actingFor, Source source, String sql, List<String> parameters,
                                   Decision decision, String analyzerVersion, Dialect dialect) {
        List<String> ids = new java.util.ArrayList<>();
        for (RequestSummary.Rule r : RequestSummary.of(decision, "").rules()) {
            ids.add(r.ruleId());
        }
        return new DecisionAudit(principal, actingFor, source, sql, parameters, decision.verdict().action(), ids,
                decision.policyVersion(), analyzerVersion, dialect);
    }
}
