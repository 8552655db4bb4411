package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Explanation;
import dev.gatehouse.policy.ReviewSpec;
import dev.gatehouse.policy.RowLimit;
import dev.gatehouse.policy.RuleHit;
import dev.gatehouse.policy.StatementDecision;
import dev.gatehouse.policy.Verdict;
import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.analysis.TableAccess;
import dev.gatehouse.sql.analysis.TableUse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The JSON shape {@code check} prints for a decision. Keys are part of the command's contract (scripts and
 * the regression-corpus scorer read them): {@code decision}, {@code statements[].sql/kinds/operation/
 * decision/rules/tables/reads/writes/functions/unbounded}; the rest explains. Sets are sorted so output is
 * stable. Stateless.
 */
final class DecisionJson {
    private DecisionJson() {
    }

    static ObjectNode render(ObjectMapper mapper, Decision decision) {
        ObjectNode root = mapper.createObjectNode();
        Verdict v = decision.verdict();
        root.put("decision", Explanation.word(v.action()));
        putVerdictDetails(root, v);
        root.put("policy_version", decision.policyVersion());
        ArrayNode statements = root.putArray("statements");
        for (StatementDecision d : decision.statements()) {
            statements.add(statement(mapper, d));
        }
        return root;
    }

    private static ObjectNode statement(ObjectMapper mapper, StatementDecision d) {
        StatementInfo s = d.statement();
        Verdict v = d.verdict();
        ObjectNode o = mapper.createObjectNode();
        o.put("sql", s.sql());
        ArrayNode kinds = o.putArray("kinds");
        for (Kind k : Kind.values()) {
            if (s.kinds().contains(k)) {
                kinds.add(k.name());
            }
        }
        o.put("operation", s.operation());
        o.put("decision", Explanation.word(v.action()));
        strings(o.putArray("rules"), Explanation.ruleIds(v.hits(), false));
        strings(o.putArray("shadow_rules"), Explanation.ruleIds(v.hits(), true));
        ArrayNode tables = o.putArray("tables");
        for (TableAccess t : s.tables()) {
            ObjectNode table = tables.addObject();
            table.put("name", t.table().qualified());
            ArrayNode uses = table.putArray("uses");
            for (TableUse use : TableUse.values()) {
                if (t.uses().contains(use)) {
                    uses.add(use.name().toLowerCase(Locale.ROOT));
                }
            }
        }
        strings(o.putArray("reads"), columns(s.reads()));
        strings(o.putArray("writes"), columns(s.writes()));
        strings(o.putArray("functions"), new ArrayList<>(new TreeSet<>(s.functions())));
        o.put("unbounded", s.unbounded());
        o.put("lineage_complete", s.lineageComplete());
        o.put("row_count", s.rowCount().name().toLowerCase(Locale.ROOT));
        ArrayNode limits = o.putArray("max_rows");
        for (RowLimit limit : d.rowLimits().limits()) {
            limits.addObject().put("rule", limit.name()).put("max_rows", limit.maxRows())
                    .put("action", Explanation.word(limit.action()));
        }
        putVerdictDetails(o, v);
        ArrayNode hits = o.putArray("hits");
        for (RuleHit hit : v.hits()) {
            ObjectNode h = hits.addObject();
            h.put("rule", hit.ruleId());
            h.put("action", Explanation.word(hit.action()));
            h.put("shadow", hit.shadow());
            strings(h.putArray("facts"), hit.facts());
        }
        strings(o.putArray("notes"), s.notes());
        return o;
    }

    /** {@code reason} for review and deny, and what a review needs. */
    private static void putVerdictDetails(ObjectNode o, Verdict v) {
        switch (v) {
            case Verdict.Allow allow -> { }
            case Verdict.Review review -> {
                o.put("reason", review.reason());
                ReviewSpec spec = review.review();
                ObjectNode r = o.putObject("review");
                strings(r.putArray("approvers"), new ArrayList<>(new TreeSet<>(spec.approverGroups())));
                r.put("quorum", spec.quorum());
                r.put("expires", spec.pendingTtl().toString());
                r.put("approval_expires", spec.approvalTtl().toString());
                r.put("on_hold", spec.onHold().name().toLowerCase(Locale.ROOT));
            }
            case Verdict.Deny deny -> o.put("reason", deny.reason());
        }
    }

    private static List<String> columns(java.util.Set<ColumnName> columns) {
        List<String> out = new ArrayList<>();
        for (ColumnName c : new TreeSet<>(columns)) {
            out.add(c.qualified());
        }
        return out;
    }

    private static void strings(ArrayNode array, List<String> values) {
        for (String value : values) {
            array.add(value);
        }
    }
}
