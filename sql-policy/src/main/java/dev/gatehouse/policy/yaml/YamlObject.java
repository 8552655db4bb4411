package dev.gatehouse.policy.yaml;

import dev.gatehouse.policy.PolicyException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Strict, typed access to one YAML mapping at a known field path. Every accessor names the file, line,
 * column and path when the value is missing or of the wrong type; {@link #allowOnly} rejects keys nobody
 * asked for. Used for policy files and policy test files. Not thread-safe; lives for one load.
 */
public final class YamlObject {
    private final YamlNode.Mapping mapping;
    private final String path;

    private YamlObject(YamlNode.Mapping mapping, String path) {
        this.mapping = mapping;
        this.path = path;
    }

    /** The document's root, which must be a mapping. */
    public static YamlObject root(YamlNode node) throws PolicyException {
        return of(node, "");
    }

    /** @param path the field path of {@code node}, for messages */
    public static YamlObject of(YamlNode node, String path) throws PolicyException {
        if (node instanceof YamlNode.Mapping m) {
            return new YamlObject(m, path);
        }
        throw error(node.where(), path.isEmpty() ? "(document)" : path, "expected a mapping of keys, found " + node.describe());
    }

    public String path() {
        return path;
    }

    public YamlNode.Location where() {
        return mapping.where();
    }

    public boolean isEmpty() {
        return mapping.fields().isEmpty();
    }

    /** The path of a child field, e.g. {@code rules[1].match}. */
    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Rejects the first key not in {@code allowed}, listing the allowed ones. */
    public void allowOnly(List<String> allowed) throws PolicyException {
        for (YamlNode.Field field : mapping.fields().values()) {
            if (!allowed.contains(field.name())) {
                throw error(field.keyAt(), pathOf(field.name()),
                        "unknown field (expected one of " + String.join(", ", allowed) + ")");
            }
        }
    }

    public boolean has(String key) {
        return mapping.fields().containsKey(key);
    }

    public Optional<YamlNode> node(String key) {
        YamlNode.Field field = mapping.fields().get(key);
        return field == null ? Optional.empty() : Optional.of(field.value());
    }

    /** Where a key was written (for errors about a value that is valid alone but not in context). */
    public YamlNode.Location keyAt(String key) {
        YamlNode.Field field = mapping.fields().get(key);
        return field == null ? mapping.where() : field.keyAt();
    }

    public YamlNode required(String key) throws PolicyException {
        YamlNode.Field field = mapping.fields().get(key);
        if (field == null) {
            throw error(mapping.where(), pathOf(key), "missing (required)");
        }
        return field.value();
    }

    public Optional<String> string(String key) throws PolicyException {
        Optional<YamlNode> node = node(key);
        return node.isEmpty() ? Optional.empty() : Optional.of(text(node.get(), pathOf(key)));
    }

    public String requiredString(String key) throws PolicyException {
        return text(required(key), pathOf(key));
    }

    public Optional<Integer> integer(String key) throws PolicyException {
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (node.get() instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.INTEGER) {
            try {
                return Optional.of(Integer.parseInt(s.text()));
            } catch (NumberFormatException e) {
                throw error(s.where(), pathOf(key), "number too large");
            }
        }
        throw error(node.get().where(), pathOf(key), "expected a whole number, found " + node.get().describe());
    }

    public Optional<Boolean> bool(String key) throws PolicyException {
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (node.get() instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.BOOLEAN) {
            return Optional.of(Boolean.parseBoolean(s.text()));
        }
        throw error(node.get().where(), pathOf(key), "expected true or false, found " + node.get().describe());
    }

    public Optional<YamlObject> object(String key) throws PolicyException {
        Optional<YamlNode> node = node(key);
        return node.isEmpty() ? Optional.empty() : Optional.of(of(node.get(), pathOf(key)));
    }

    /** A list of items; an empty list is an error (it would silently match or allow nothing). */
    public Optional<List<YamlNode>> list(String key) throws PolicyException {
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        if (node.get() instanceof YamlNode.Sequence s) {
            if (s.items().isEmpty()) {
                throw error(s.where(), pathOf(key), "empty list (leave the field out instead)");
            }
            return Optional.of(s.items());
        }
        throw error(node.get().where(), pathOf(key), "expected a list, found " + node.get().describe());
    }

    /** A non-empty list of non-blank strings. */
    public List<String> strings(String key) throws PolicyException {
        Optional<List<YamlNode>> items = list(key);
        if (items.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(items.get().size());
        for (int i = 0; i < items.get().size(); i++) {
            out.add(text(items.get().get(i), pathOf(key) + "[" + i + "]"));
        }
        return out;
    }

    /**
     * A non-empty list of enum constant names, compared ignoring case; bad values list the valid ones.
     * @param valid the allowed names in the spelling shown to users
     */
    public <T> List<T> enums(String key, List<String> valid, Function<String, T> byName) throws PolicyException {
        Optional<List<YamlNode>> items = list(key);
        if (items.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(items.get().size());
        for (int i = 0; i < items.get().size(); i++) {
            YamlNode item = items.get().get(i);
            out.add(oneOf(item, pathOf(key) + "[" + i + "]", valid, byName));
        }
        return out;
    }

    /** One enum value of a scalar field. */
    public <T> Optional<T> enumValue(String key, List<String> valid, Function<String, T> byName) throws PolicyException {
        Optional<YamlNode> node = node(key);
        return node.isEmpty() ? Optional.empty() : Optional.of(oneOf(node.get(), pathOf(key), valid, byName));
    }

    /** A duration such as {@code 90s}, {@code 15m}, {@code 2h} or {@code 1d}; positive. */
    public Optional<Duration> duration(String key) throws PolicyException {
        Optional<YamlNode> node = node(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        String text = text(node.get(), pathOf(key));
        Duration parsed = parseDuration(text);
        if (parsed == null) {
            throw error(node.get().where(), pathOf(key),
                    "'" + text + "' is not a duration (a positive whole number followed by s, m, h or d, e.g. 15m)");
        }
        return Optional.of(parsed);
    }

    /** The mapping's entries in file order (for free-form maps such as approver groups). */
    public Map<String, YamlNode.Field> fields() {
        return mapping.fields();
    }

    /** A non-blank string scalar. Numbers and booleans are refused: quote them if they are meant as text. */
    public static String text(YamlNode node, String path) throws PolicyException {
        if (node instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.STRING) {
            if (s.text().isBlank()) {
                throw error(s.where(), path, "must not be blank");
            }
            return s.text();
        }
        String hint = node instanceof YamlNode.Scalar s && s.type() != YamlNode.ScalarType.NULL ? " (quote it to make it text)" : "";
        throw error(node.where(), path, "expected text, found " + node.describe() + hint);
    }

    public static PolicyException error(YamlNode.Location where, String path, String message) {
        return new PolicyException(where + ": " + path + ": " + message);
    }

    private static <T> T oneOf(YamlNode node, String path, List<String> valid, Function<String, T> byName) throws PolicyException {
        String text = text(node, path);
        for (String name : valid) {
            if (name.equalsIgnoreCase(text)) {
                return byName.apply(name);
            }
        }
        throw error(node.where(), path, "'" + text + "' is not valid (expected one of " + String.join(", ", valid) + ")");
    }

    /** Char-level: digits then one unit letter. Null when malformed, zero or absurdly large. */
    static Duration parseDuration(String text) {
        int n = text.length();
        if (n < 2 || n > 12) {
            return null;
        }
        long amount = 0;
        for (int i = 0; i < n - 1; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            amount = amount * 10 + (c - '0');
        }
        if (amount == 0) {
            return null;
        }
        return switch (Character.toLowerCase(text.charAt(n - 1))) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> null;
        };
    }

    /** Upper-case enum name to the user-facing lower-case spelling list. */
    public static List<String> lowerNames(Enum<?>[] values) {
        List<String> names = new ArrayList<>(values.length);
        for (Enum<?> v : values) {
            names.add(v.name().toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
