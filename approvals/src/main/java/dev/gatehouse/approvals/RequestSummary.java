package dev.gatehouse.approvals;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.RuleHit;
import dev.gatehouse.policy.StatementDecision;
import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.TableAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What approvers are shown about a held submission besides its text: the classification and every rule that
 * fired with its facts. Kept as plain strings so it survives the store unchanged across versions.
 */
public record RequestSummary(List<String> kinds, List<String> operations, List<String> tables, List<String> reads,
                             List<String> writes, List<Rule> rules, String reason) {
    public RequestSummary {
        kinds = List.copyOf(kinds);
        operations = List.copyOf(operations);
        tables = List.copyOf(tables);
        reads = List.copyOf(reads);
        writes = List.copyOf(writes);
        rules = List.copyOf(rules);
        reason = reason == null ? "" : reason;
    }

    /** One rule that matched one statement of the submission. */
    public record Rule(String ruleId, String action, boolean shadow, List<String> facts) {
        public Rule {
            facts = List.copyOf(facts);
        }
    }

    public static RequestSummary of(Decision decision, String reason) {
        TreeSet<String> kinds = new TreeSet<>();
        List<String> operations = new ArrayList<>();
        TreeSet<String> tables = new TreeSet<>();
        TreeSet<String> reads = new TreeSet<>();
        TreeSet<String> writes = new TreeSet<>();
        List<Rule> rules = new ArrayList<>();
        for (StatementDecision sd : decision.statements()) {
            for (Kind k : sd.statement().kinds()) {
                kinds.add(k.name());
            }
            operations.add(sd.statement().operation());
            for (TableAccess t : sd.statement().tables()) {
                tables.add(t.table().qualified());
            }
            for (ColumnName c : sd.statement().reads()) {
                reads.add(c.qualified());
            }
            for (ColumnName c : sd.statement().writes()) {
                writes.add(c.qualified());
            }
            for (RuleHit h : sd.verdict().hits()) {
                rules.add(new Rule(h.ruleId(), h.action().name().toLowerCase(java.util.Locale.ROOT), h.shadow(), h.facts()));
            }
        }
        if (decision.statements().isEmpty()) {
            // A decision without statements still carries the submission-level hits (e.g. the unparsed default).
            for (RuleHit h : decision.verdict().hits()) {
                rules.add(new Rule(h.ruleId(), h.action().name().toLowerCase(java.util.Locale.ROOT), h.shadow(), h.facts()));
            }
        }
        return new RequestSummary(List.copyOf(kinds), operations, List.copyOf(tables), List.copyOf(reads),
                List.copyOf(writes), rules, reason);
    }
}
