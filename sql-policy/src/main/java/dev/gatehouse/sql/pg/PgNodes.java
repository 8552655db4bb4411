package dev.gatehouse.sql.pg;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reading libpg_query's JSON parse tree. A node is written {@code {"TypeName": {fields}}}; fields holding
 * their default (false, 0, empty, null) are left out, so every accessor treats a missing field as that
 * default. Stateless, any thread.
 */
public final class PgNodes {
    private PgNodes() {
    }

    /** The node type of a wrapper ({@code SelectStmt} of {@code {"SelectStmt": {...}}}), or "" when it is none. */
    public static String type(JsonNode wrapper) {
        if (wrapper == null || !wrapper.isObject() || wrapper.size() != 1) {
            return "";
        }
        return wrapper.fieldNames().next();
    }

    /** The fields of a wrapper's node ({@code {...}} of {@code {"SelectStmt": {...}}}); a missing node when it is none. */
    public static JsonNode body(JsonNode wrapper) {
        if (wrapper == null || !wrapper.isObject() || wrapper.size() != 1) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        return wrapper.elements().next();
    }

    /** A text field, or null when absent. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.textValue();
    }

    public static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.asBoolean(false);
    }

    public static int integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null ? 0 : v.asInt(0);
    }

    /** The elements of a list field; empty when absent. */
    public static List<JsonNode> list(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray() || v.isEmpty()) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        for (Iterator<JsonNode> it = v.elements(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    /** The value of a {@code {"String": {"sval": ...}}} node, or null when the node is another type. */
    public static String sval(JsonNode wrapper) {
        JsonNode s = wrapper == null ? null : wrapper.get("String");
        if (s == null) {
            return null;
        }
        JsonNode v = s.get("sval");
        return v == null ? "" : v.textValue();
    }

    /** A list of String nodes ({@code funcname}, {@code names}, DROP objects) as their values; null entries for other nodes. */
    public static List<String> names(List<JsonNode> items) {
        List<String> out = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            out.add(sval(item));
        }
        return out;
    }

    /**
     * The value of a constant: {@code A_Const} with sval/ival/fval/boolval/bsval, or a {@code String},
     * {@code Integer}, {@code Float}, {@code Boolean} value node (DefElem arguments). Null when not a constant
     * or a NULL constant.
     */
    public static String constant(JsonNode wrapper) {
        String t = type(wrapper);
        JsonNode b = body(wrapper);
        switch (t) {
            case "A_Const" -> {
                if (bool(b, "isnull")) {
                    return null;
                }
                for (String f : new String[] {"sval", "ival", "fval", "boolval", "bsval"}) {
                    JsonNode v = b.get(f);
                    if (v != null) {
                        return value(f, v);
                    }
                }
                return null;
            }
            case "String" -> { return value("sval", b); }
            case "Integer" -> { return value("ival", b); }
            case "Float" -> { return value("fval", b); }
            case "Boolean" -> { return value("boolval", b); }
            default -> { return null; }
        }
    }

    /** {@code {"ival": 1}} inside the A_Const's ival field; a left-out value is the default (0, false, ""). */
    private static String value(String field, JsonNode holder) {
        JsonNode v = holder.get(field);
        return switch (field) {
            case "ival" -> v == null ? "0" : v.asText();
            case "boolval" -> v == null ? "false" : v.asText();
            default -> v == null ? "" : v.asText();
        };
    }

    /**
     * The text of a string literal, also through casts to text types ({@code 'SELECT 1'::text}); null when the
     * expression is anything else (a computed value, a number, a parameter).
     */
    public static String literalText(JsonNode wrapper) {
        String t = type(wrapper);
        if (isStringConstant(wrapper)) {
            return constant(wrapper);
        }
        if (t.equals("TypeCast")) {
            JsonNode n = body(wrapper);
            List<JsonNode> names = list(n.path("typeName"), "names");
            String last = names.isEmpty() ? null : sval(names.get(names.size() - 1));
            if (last != null && (last.equals("text") || last.equals("varchar") || last.equals("bpchar")
                    || last.equals("name") || last.equals("unknown"))) {
                return literalText(n.path("arg"));
            }
        }
        return null;
    }

    /** Whether a wrapper is a constant whose value is a string literal ('...'), not a number. */
    public static boolean isStringConstant(JsonNode wrapper) {
        String t = type(wrapper);
        return (t.equals("A_Const") && body(wrapper).has("sval")) || t.equals("String");
    }

    /**
     * Whether a statement type ({@link #type}) defines objects: Create*, Alter*, Drop*, Define* and the other object
     * statements (DDL to the policy; a possible schema change to the front ends' session tracking).
     */
    public static boolean isDefinition(String type) {
        if (type.startsWith("Create") || type.startsWith("Alter") || type.startsWith("Drop") || type.startsWith("Define")) {
            return true;
        }
        return switch (type) {
            case "CommentStmt", "IndexStmt", "ViewStmt", "RuleStmt", "CompositeTypeStmt", "ReindexStmt", "ClusterStmt",
                 "ImportForeignSchemaStmt", "CreatedbStmt", "DropdbStmt" -> true;
            default -> false;
        };
    }
}
