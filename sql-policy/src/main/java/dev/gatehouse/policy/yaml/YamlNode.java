package dev.gatehouse.policy.yaml;

import java.util.List;
import java.util.Map;

/**
 * A YAML value with where it was written. Built by {@link YamlDocument} from Jackson's streaming parser so
 * every error can name the exact line and column, which a data-bound tree would have forgotten.
 */
public sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    Location where();

    /** What kind of value this is, for "expected a list, found a mapping" messages. */
    String describe();

    /** A source position, 1-based. */
    record Location(String file, int line, int column) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column;
        }
    }

    /** One key of a mapping, with where the key (not its value) was written: unknown keys point there. */
    record Field(String name, Location keyAt, YamlNode value) {
    }

    /** @param fields in file order */
    record Mapping(Location where, Map<String, Field> fields) implements YamlNode {
        public Mapping {
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Sequence(Location where, List<YamlNode> items) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A scalar: a string, number, boolean or null, as the YAML parser typed it. */
    record Scalar(Location where, ScalarType type, String text) implements YamlNode {
        @Override
        public String describe() {
            return switch (type) {
                case STRING -> "the text '" + text + "'";
                case INTEGER, DECIMAL -> "the number " + text;
                case BOOLEAN -> "the boolean " + text;
                case NULL -> "nothing (null)";
            };
        }
    }

    enum ScalarType { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }
}
