package dev.gatehouse.enforce.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.approvals.Impact;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.StatementInfo;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The planner's estimate of what a held statement would touch: which statements may be explained, the
 * {@code EXPLAIN} a front end runs for it, and how its JSON plan reads as an {@link Impact}.
 *
 * <p>Only a single SELECT, INSERT, UPDATE, DELETE, MERGE or REPLACE that reads or writes and calls no function
 * is explained: EXPLAIN without ANALYZE runs no statement, but planning evaluates functions it may fold into
 * constants (a function declared IMMUTABLE runs whatever its body does), and a statement of any other kind may be
 * one EXPLAIN runs (EXPLAIN ANALYZE, CREATE TABLE AS, EXECUTE).
 *
 * <p>Threads: stateless; runs on the deciding thread.
 */
public final class Explain {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OPERATIONS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE",
            "WITH", "TABLE", "VALUES");
    /** A plan bigger than this is not read (a front end's answer is bounded by what it accepts anyway). */
    static final int MAX_PLAN_CHARS = 1 << 20;

    private Explain() {
    }

    /** The text a front end puts before the statement. */
    public static String prefix(Dialect dialect) {
        return switch (dialect) {
            case POSTGRES -> "EXPLAIN (FORMAT JSON) ";
            case MYSQL -> "EXPLAIN FORMAT=JSON ";
        };
    }

    /** Why {@code decision}'s statement is not explained, or null when it may be. */
    static String refusal(Decision decision) {
        if (decision.statements().size() != 1) {
            return "a text of several statements is not explained";
        }
        StatementInfo s = decision.statements().get(0).statement();
        for (Kind k : s.kinds()) {
            if (k != Kind.READ && k != Kind.WRITE) {
                return "a statement of kind " + k + " is not explained";
            }
        }
        if (!OPERATIONS.contains(s.operation())) {
            return "a " + s.operation() + " statement is not explained";
        }
        if (!s.functions().isEmpty()) {
            return "it calls functions, which planning may run";
        }
        return null;
    }

    /** The estimate a plan gives: the rows its top scan (under a write, the rows it would write) and the total cost. */
    static Impact impact(Dialect dialect, String plan) {
        if (plan.length() > MAX_PLAN_CHARS) {
            return Impact.unknown("the plan is larger than " + MAX_PLAN_CHARS + " characters");
        }
        JsonNode root;
        try {
            root = JSON.readTree(plan);
        } catch (Exception e) {
            return Impact.unknown("the plan could not be read");
        }
        return switch (dialect) {
            case POSTGRES -> postgres(root);
            case MYSQL -> mysql(root);
        };
    }

    private static Impact postgres(JsonNode root) {
        JsonNode top = root.path(0).path("Plan");
        if (!top.isObject()) {
            return Impact.unknown("the plan has no top node");
        }
        // A write's own node plans no rows of its own (without RETURNING): the rows it writes are its input's.
        JsonNode rowsOf = "ModifyTable".equals(top.path("Node Type").asText()) && top.path("Plans").path(0).isObject()
                ? top.path("Plans").path(0) : top;
        double cost = top.path("Total Cost").asDouble(Double.NaN);
        return Impact.estimated(Math.max(0, rowsOf.path("Plan Rows").asLong(0)), Double.isNaN(cost) ? null : cost,
                "EXPLAIN on PostgreSQL");
    }

    private static Impact mysql(JsonNode root) {
        JsonNode block = root.path("query_block");
        JsonNode table = firstTable(block);
        if (table == null) {
            return Impact.unknown("the plan names no table");
        }
        double rows = table.path("rows").asDouble(table.path("rows_examined_per_scan").asDouble(0));
        if (table.has("filtered")) {
            rows = rows * table.path("filtered").asDouble(100) / 100;
        }
        // MySQL: cost_info.query_cost; MariaDB 11: cost; MariaDB 10 gives none.
        JsonNode cost = block.path("cost_info").path("query_cost");
        if (cost.isMissingNode()) {
            cost = block.path("cost");
        }
        Double c = cost.isMissingNode() ? null : cost.asDouble();
        return Impact.estimated(Math.max(0, Math.round(rows)), c, "EXPLAIN on MySQL/MariaDB, its first table's rows");
    }

    /** The first of the shallowest {@code table} objects (a join's first table), searched without recursion. */
    private static JsonNode firstTable(JsonNode block) {
        ArrayDeque<JsonNode> todo = new ArrayDeque<>();
        todo.add(block);
        while (!todo.isEmpty()) {
            JsonNode n = todo.poll();
            if (n.has("table") && n.get("table").isObject()) {
                return n.get("table");
            }
            List<JsonNode> children = new java.util.ArrayList<>();
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                JsonNode child = it.next();
                if (child.isContainerNode()) {
                    children.add(child);
                }
            }
            todo.addAll(children);
        }
        return null;
    }
}
