package dev.gatehouse.cli.approvals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --name=value} flags plus positional arguments, checked against the flags a
 * command knows so a typo is an error, not a silently ignored option.
 */
record Flags(Map<String, String> values, List<String> positional) {

    static Flags parse(String[] args, int from, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if ("help".equals(name)) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                if (!known.contains(name) && !"help".equals(name)) {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
                values.put(name, value);
            } else {
                positional.add(a);
            }
        }
        return new Flags(values, positional);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean help() {
        return values.containsKey("help");
    }
}
