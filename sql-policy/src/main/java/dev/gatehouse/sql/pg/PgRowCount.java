package dev.gatehouse.sql.pg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.sql.analysis.RowCount;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * What PostgreSQL's command tag will count of a statement's writes, read from its parse tree: the count of an
 * INSERT, UPDATE, DELETE or MERGE is its own target's rows, and leaves out every row a data-modifying WITH
 * writes ({@code WITH d AS (DELETE FROM orders RETURNING id) DELETE FROM orders WHERE false} says 0).
 *
 * <p>Threads: stateless; runs on the analysing thread.
 */
final class PgRowCount {
    private PgRowCount() {
    }

    /**
     * @param stmt a statement wrapper ({@code {"DeleteStmt": {...}}})
     * @return the count's meaning for the DML statement types; null for any other type (its reader decides)
     */
    static RowCount of(JsonNode stmt) {
        String type = PgNodes.type(stmt);
        return switch (type) {
            case "UpdateStmt", "DeleteStmt", "MergeStmt" -> modifiesInWith(stmt) ? RowCount.UNCOUNTED : RowCount.COUNTED;
            case "InsertStmt" -> modifiesInWith(stmt) ? RowCount.UNCOUNTED : insert(PgNodes.body(stmt));
            default -> null;
        };
    }

    private static RowCount insert(JsonNode insert) {
        if (insert.has("onConflictClause")) {
            return RowCount.COUNTED; // DO UPDATE touches rows that were there
        }
        JsonNode source = insert.get("selectStmt");
        if (source == null) {
            return RowCount.LISTED; // DEFAULT VALUES
        }
        JsonNode select = PgNodes.body(source);
        boolean values = PgNodes.type(source).equals("SelectStmt") && select.has("valuesLists")
                && !select.has("withClause");
        return values ? RowCount.LISTED : RowCount.COUNTED;
    }

    /**
     * Whether any common table expression in the tree is an INSERT, UPDATE, DELETE or MERGE. The whole tree is
     * searched (PostgreSQL accepts them only at the top, but a tree is cheaper to search than that rule is to
     * restate), without recursion, so no tree is too deep for it.
     */
    private static boolean modifiesInWith(JsonNode root) {
        ArrayDeque<JsonNode> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            JsonNode n = todo.pop();
            if (n.isObject()) {
                JsonNode cte = n.get("CommonTableExpr");
                if (cte != null) {
                    switch (PgNodes.type(cte.get("ctequery"))) {
                        case "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt" -> {
                            return true;
                        }
                        default -> { }
                    }
                }
            }
            if (n.isContainerNode()) {
                for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                    JsonNode child = it.next();
                    if (child.isContainerNode()) {
                        todo.push(child);
                    }
                }
            }
        }
        return false;
    }
}
