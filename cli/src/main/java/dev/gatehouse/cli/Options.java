package dev.gatehouse.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses {@code --name value}, {@code --name=value} and {@code --flag} options against a declared list,
 * so every command rejects unknown options the same way and documents its options from the same list.
 * Immutable once parsed.
 */
public final class Options {

    /**
     * One option.
     *
     * @param valueName what the value is, shown in help ({@code FILE}); null for a flag without a value
     */
    public record Spec(String name, String valueName, String help) {
        public boolean takesValue() {
            return valueName != null;
        }
    }

    private final Map<String, String> values;
    private final Set<String> flags;
    private final List<String> positional;

    private Options(Map<String, String> values, Set<String> flags, List<String> positional) {
        this.values = values;
        this.flags = flags;
        this.positional = positional;
    }

    /** @param positionalAllowed whether non-option arguments (file names) are accepted */
    public static Options parse(List<String> args, List<Spec> specs, boolean positionalAllowed) throws UsageException {
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                if (!positionalAllowed) {
                    throw new UsageException("unexpected argument '" + arg + "'");
                }
                positional.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Spec spec = find(specs, name);
            if (spec == null) {
                throw new UsageException("unknown option '" + name + "' (options: " + names(specs) + ")");
            }
            if (spec.takesValue()) {
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException("option " + name + " needs a value (" + spec.valueName() + ")");
                }
                if (values.put(spec.name(), value) != null) {
                    throw new UsageException("option " + name + " is given twice");
                }
            } else {
                if (eq >= 0) {
                    throw new UsageException("option " + name + " takes no value");
                }
                flags.add(spec.name());
            }
        }
        return new Options(values, flags, positional);
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String required(String name) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("option " + name + " is required");
        }
        return v;
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    /** The options part of a help text, one aligned line per option. */
    public static String describe(List<Spec> specs) {
        StringBuilder out = new StringBuilder("Options:\n");
        for (Spec spec : specs) {
            String left = spec.takesValue() ? spec.name() + " " + spec.valueName() : spec.name();
            out.append("  ").append(left).append(" ".repeat(Math.max(1, 28 - left.length()))).append(spec.help()).append('\n');
        }
        return out.toString();
    }

    private static Spec find(List<Spec> specs, String name) {
        for (Spec spec : specs) {
            if (spec.name().equals(name)) {
                return spec;
            }
        }
        return null;
    }

    private static String names(List<Spec> specs) {
        List<String> names = new ArrayList<>();
        for (Spec spec : specs) {
            names.add(spec.name());
        }
        return String.join(", ", names);
    }
}
