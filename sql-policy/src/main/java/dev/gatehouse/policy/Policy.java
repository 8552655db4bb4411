package dev.gatehouse.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A loaded, validated policy. Immutable and thread-safe.
 *
 * @param source    the file name it was read from, for messages
 * @param version   a short SHA-256 of the file's bytes: identifies exactly which policy decided, and keys caches
 * @param approvers approver group to member names, in file order
 * @param shadow    {@code mode: shadow} on the whole policy: nothing it says is enforced
 */
public record Policy(String source, String version, Defaults defaults, Map<String, List<String>> approvers,
                     List<Rule> rules, boolean shadow) {
    /** Policies are hand-written; a bound keeps a wrong path (a log, a dump) from being read whole. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    public Policy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(defaults, "defaults");
        approvers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(approvers));
        rules = List.copyOf(rules);
    }

    /**
     * What applies when no rule decides.
     *
     * @param unparsed  for a statement the analyzer could not read: REVIEW or DENY, never ALLOW (fail closed)
     * @param otherwise for a statement no enforcing rule matched
     * @param maxRows   null, or the rows every write may touch before it is held for review ({@code max_rows})
     */
    public record Defaults(Action unparsed, Action otherwise, Long maxRows) {
        public Defaults(Action unparsed, Action otherwise) {
            this(unparsed, otherwise, null);
        }

        public Defaults {
            Objects.requireNonNull(unparsed, "unparsed");
            Objects.requireNonNull(otherwise, "otherwise");
            if (unparsed == Action.ALLOW) {
                throw new IllegalArgumentException("defaults.unparsed may not be allow");
            }
            if (maxRows != null && maxRows < 0) {
                throw new IllegalArgumentException("defaults.max_rows is at least 0");
            }
        }
    }

    /** Reads and validates a policy file. */
    public static Policy load(Path file) throws PolicyException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new PolicyException(file + ": larger than " + MAX_FILE_BYTES + " bytes; is it a policy file?");
            }
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new PolicyException(file + ": no such policy file", e);
        } catch (IOException e) {
            throw new PolicyException(file + ": cannot read policy file: " + e.getMessage(), e);
        }
        return parse(file.toString(), bytes);
    }

    /** Validates policy YAML; {@code source} names it in error messages. */
    public static Policy parse(String source, byte[] yaml) throws PolicyException {
        return PolicyLoader.parse(source, yaml);
    }
}
