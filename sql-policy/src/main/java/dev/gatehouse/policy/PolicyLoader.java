package dev.gatehouse.policy;

import dev.gatehouse.policy.yaml.YamlDocument;
import dev.gatehouse.policy.yaml.YamlNode;
import dev.gatehouse.policy.yaml.YamlObject;
import dev.gatehouse.sql.analysis.Kind;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns policy YAML into a {@link Policy}, strictly: unknown keys, wrong types, bad values and references
 * to undefined things are errors naming file, line, column and field path. A policy that loads is one the
 * engine can apply without surprises. Runs on the caller's thread; holds no state.
 */
final class PolicyLoader {
    static final List<String> TOP_KEYS = List.of("version", "mode", "defaults", "approvers", "rules");
    static final List<String> DEFAULT_KEYS = List.of("unparsed", "otherwise", "max_rows");
    static final List<String> RULE_KEYS = List.of("id", "description", "match", "except", "action", "reason", "mode",
            "approvers", "quorum", "expires", "approval_expires", "on_hold", "max_rows");
    /** The statements whose rows a savepoint can count and undo: what a rule with max_rows may match. */
    static final List<String> ROW_WRITES = List.of("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE");
    static final List<String> MATCH_KEYS = List.of("kinds", "operations", "tables", "columns", "functions", "principals", "unbounded");
    /** Keys that only mean something when a rule asks for review. */
    static final List<String> REVIEW_ONLY_KEYS = List.of("approvers", "quorum", "expires", "approval_expires", "on_hold");
    static final List<String> ACTIONS = YamlObject.lowerNames(Action.values());
    static final List<String> UNPARSED_ACTIONS = List.of("review", "deny");
    static final List<String> MODES = List.of("enforce", "shadow");
    static final List<String> HOLD_MODES = YamlObject.lowerNames(ReviewSpec.HoldMode.values());
    static final List<String> KINDS = kindNames();
    static final int SUPPORTED_VERSION = 1;

    private PolicyLoader() {
    }

    static Policy parse(String source, byte[] bytes) throws PolicyException {
        YamlObject top = YamlObject.root(YamlDocument.parse(source, bytes));
        top.allowOnly(TOP_KEYS);
        YamlNode versionNode = top.required("version");
        Optional<Integer> version = top.integer("version");
        if (version.isEmpty() || version.get() != SUPPORTED_VERSION) {
            throw YamlObject.error(versionNode.where(), "version",
                    "unsupported policy version " + version.orElse(null) + " (this Gatehouse reads version " + SUPPORTED_VERSION + ")");
        }
        boolean policyShadow = shadow(top);
        Policy.Defaults defaults = defaults(top);
        Map<String, List<String>> approvers = approvers(top);
        List<Rule> rules = rules(top, approvers, policyShadow);
        return new Policy(source, hash(bytes), defaults, approvers, rules, policyShadow);
    }

    private static boolean shadow(YamlObject object) throws PolicyException {
        return object.enumValue("mode", MODES, name -> name).map("shadow"::equals).orElse(false);
    }

    private static Policy.Defaults defaults(YamlObject top) throws PolicyException {
        Optional<YamlObject> section = top.object("defaults");
        if (section.isEmpty()) {
            // Fail closed by default: what cannot be read is held for a person.
            return new Policy.Defaults(Action.REVIEW, Action.ALLOW);
        }
        YamlObject d = section.get();
        d.allowOnly(DEFAULT_KEYS);
        Action unparsed = d.enumValue("unparsed", UNPARSED_ACTIONS, PolicyLoader::action).orElse(Action.REVIEW);
        Action otherwise = d.enumValue("otherwise", ACTIONS, PolicyLoader::action).orElse(Action.ALLOW);
        return new Policy.Defaults(unparsed, otherwise, maxRows(d));
    }

    private static Map<String, List<String>> approvers(YamlObject top) throws PolicyException {
        Optional<YamlObject> section = top.object("approvers");
        Map<String, List<String>> groups = new LinkedHashMap<>();
        if (section.isEmpty()) {
            return groups;
        }
        for (YamlNode.Field field : section.get().fields().values()) {
            // strings() refuses an empty or non-list value, so every group has members.
            List<String> members = section.get().strings(field.name());
            groups.put(field.name(), List.copyOf(new LinkedHashSet<>(members)));
        }
        return groups;
    }

    private static List<Rule> rules(YamlObject top, Map<String, List<String>> approvers, boolean policyShadow) throws PolicyException {
        List<Rule> rules = new ArrayList<>();
        Optional<YamlNode> node = top.node("rules");
        // "rules: []" is a real policy (defaults only), unlike an empty match list, which would match nothing by accident.
        if (node.isEmpty() || (node.get() instanceof YamlNode.Sequence s && s.items().isEmpty())) {
            return rules;
        }
        Optional<List<YamlNode>> items = top.list("rules");
        Map<String, Integer> lineOfId = new HashMap<>();
        for (int i = 0; i < items.get().size(); i++) {
            YamlObject r = YamlObject.of(items.get().get(i), "rules[" + i + "]");
            Rule rule = rule(r, approvers, policyShadow);
            Integer earlier = lineOfId.putIfAbsent(rule.id(), r.keyAt("id").line());
            if (earlier != null) {
                throw YamlObject.error(r.keyAt("id"), r.pathOf("id"),
                        "duplicate rule id '" + rule.id() + "' (first used at line " + earlier + ")");
            }
            rules.add(rule);
        }
        return rules;
    }

    private static Rule rule(YamlObject r, Map<String, List<String>> approvers, boolean policyShadow) throws PolicyException {
        r.allowOnly(RULE_KEYS);
        String id = r.requiredString("id");
        checkId(r, id);
        r.string("description");
        r.required("match");
        Match match = match(r.object("match").orElseThrow());
        Optional<Match> except = r.object("except").isPresent() ? Optional.of(match(r.object("except").get())) : Optional.empty();
        r.required("action");
        Action action = r.enumValue("action", ACTIONS, PolicyLoader::action).orElseThrow();
        if (action != Action.REVIEW) {
            for (String key : REVIEW_ONLY_KEYS) {
                if (r.has(key)) {
                    throw YamlObject.error(r.keyAt(key), r.pathOf(key), "only allowed on a rule with action: review");
                }
            }
        }
        String reason = r.string("reason").orElse("");
        boolean shadow = policyShadow || shadow(r);
        Long maxRows = maxRows(r);
        if (maxRows != null) {
            rowWritesOnly(r, action, match);
        }
        return new Rule(id, match, except, action, review(r, approvers), reason, shadow, maxRows);
    }

    /** {@code max_rows}: a count of rows, at least 0; null when not given. */
    private static Long maxRows(YamlObject o) throws PolicyException {
        Optional<Integer> n = o.integer("max_rows");
        if (n.isPresent() && n.get() < 0) {
            throw YamlObject.error(o.node("max_rows").orElseThrow().where(), o.pathOf("max_rows"), "must be at least 0");
        }
        return n.map(Integer::longValue).orElse(null);
    }

    /**
     * A rule with {@code max_rows} must review or deny, and match writes of rows only: a savepoint can count and
     * undo an INSERT, UPDATE, DELETE, MERGE or REPLACE, never DDL, so a limit anywhere else could not be kept.
     */
    private static void rowWritesOnly(YamlObject r, Action action, Match match) throws PolicyException {
        YamlNode.Location at = r.keyAt("max_rows");
        String path = r.pathOf("max_rows");
        if (action == Action.ALLOW) {
            throw YamlObject.error(at, path, "needs action: review or deny (it applies to a write that touches more rows)");
        }
        boolean kindsWriteOnly = match.kinds().equals(java.util.Set.of(Kind.WRITE));
        if (!match.kinds().isEmpty() && !kindsWriteOnly) {
            throw YamlObject.error(at, path, "a savepoint can count and undo writes of rows only, never DDL: a rule with"
                    + " max_rows matches kinds: [WRITE] alone, not " + match.kinds().stream().map(Enum::name).sorted().toList());
        }
        for (String op : match.operations()) {
            if (!ROW_WRITES.contains(op.toUpperCase(Locale.ROOT))) {
                throw YamlObject.error(at, path, "a savepoint can count and undo writes of rows only: a rule with max_rows"
                        + " names operations among " + String.join(", ", ROW_WRITES) + ", not " + op);
            }
        }
        if (!kindsWriteOnly && match.operations().isEmpty()) {
            throw YamlObject.error(at, path, "a rule with max_rows says which writes it limits: match kinds: [WRITE] or"
                    + " operations among " + String.join(", ", ROW_WRITES));
        }
    }

    private static void checkId(YamlObject r, String id) throws PolicyException {
        // Ids appear in audit records, CLI output and test files: keep them plain words.
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok) {
                throw YamlObject.error(r.keyAt("id"), r.pathOf("id"),
                        "'" + id + "' may only contain letters, digits, '-', '_' and '.'");
            }
        }
    }

    private static ReviewSpec review(YamlObject r, Map<String, List<String>> approvers) throws PolicyException {
        List<String> groups = r.strings("approvers");
        Set<String> members = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            List<String> group = approvers.get(groups.get(i));
            if (group == null) {
                String known = approvers.isEmpty() ? "the policy defines no approver groups" : "known groups: " + String.join(", ", approvers.keySet());
                throw YamlObject.error(r.node("approvers").orElseThrow().where(), r.pathOf("approvers") + "[" + i + "]",
                        "unknown approver group '" + groups.get(i) + "' (" + known + ")");
            }
            members.addAll(group);
        }
        if (groups.isEmpty()) {
            // No groups named: any approver of the policy may vote.
            for (List<String> group : approvers.values()) {
                members.addAll(group);
            }
        }
        int quorum = r.integer("quorum").orElse(1);
        if (quorum < 1) {
            throw YamlObject.error(r.node("quorum").orElseThrow().where(), r.pathOf("quorum"), "must be at least 1");
        }
        // Without any approver groups, approvers are registered elsewhere (the approvals service) and cannot be counted here.
        if (!approvers.isEmpty() && quorum > members.size()) {
            throw YamlObject.error(r.node("quorum").orElseThrow().where(), r.pathOf("quorum"),
                    "quorum " + quorum + " is more than the " + members.size() + " distinct approvers who could vote");
        }
        Duration pending = r.duration("expires").orElse(ReviewSpec.DEFAULT_TTL);
        Duration approval = r.duration("approval_expires").orElse(ReviewSpec.DEFAULT_TTL);
        ReviewSpec.HoldMode hold = r.enumValue("on_hold", HOLD_MODES, name -> ReviewSpec.HoldMode.valueOf(name.toUpperCase(Locale.ROOT)))
                .orElse(ReviewSpec.HoldMode.WAIT);
        return new ReviewSpec(new LinkedHashSet<>(groups), quorum, pending, approval, hold);
    }

    private static Match match(YamlObject m) throws PolicyException {
        m.allowOnly(MATCH_KEYS);
        if (m.isEmpty()) {
            throw YamlObject.error(m.where(), m.path(), "empty (name at least one of " + String.join(", ", MATCH_KEYS) + ")");
        }
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        kinds.addAll(m.enums("kinds", KINDS, Kind::valueOf));
        List<String> operations = m.strings("operations");
        List<NamePattern> tables = patterns(m, "tables", 2, "schema.table");
        List<NamePattern> columns = patterns(m, "columns", 3, "schema.table.column");
        List<String> functions = m.strings("functions");
        List<String> principals = m.strings("principals");
        Boolean unbounded = m.bool("unbounded").orElse(null);
        return new Match(kinds, operations, tables, columns, functions, principals, unbounded);
    }

    private static List<NamePattern> patterns(YamlObject m, String key, int maxParts, String shape) throws PolicyException {
        List<String> texts = m.strings(key);
        List<NamePattern> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            NamePattern p = NamePattern.parse(texts.get(i));
            boolean emptyPart = false;
            for (String part : p.parts()) {
                emptyPart |= part.isEmpty();
            }
            if (p.parts().size() > maxParts || emptyPart) {
                throw YamlObject.error(m.list(key).orElseThrow().get(i).where(), m.pathOf(key) + "[" + i + "]",
                        "'" + texts.get(i) + "' is not a " + key.substring(0, key.length() - 1) + " pattern (expected " + shape
                                + ", or fewer trailing parts)");
            }
            out.add(p);
        }
        return out;
    }

    private static Action action(String name) {
        return Action.valueOf(name.toUpperCase(Locale.ROOT));
    }

    private static List<String> kindNames() {
        List<String> names = new ArrayList<>();
        for (Kind k : Kind.values()) {
            names.add(k.name());
        }
        return names;
    }

    /** Short SHA-256 of the exact bytes: any edit, even a comment, gives a new version (audit is about the file). */
    private static String hash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

}
