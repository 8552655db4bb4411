package dev.gatehouse.enforce.session;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A change a statement makes to the session, as the server reads the statement. A closed set: a front end applies
 * them with an exhaustive switch once the server confirmed the statement carrying them (a statement that failed
 * changed nothing).
 */
public sealed interface SessionEffect {

    /**
     * {@code PREPARE name [(types)] AS body}.
     *
     * @param name the name exactly as the server stores and compares it: unquoted names folded (ASCII letters only),
     *             quoted ones verbatim, both cut to 63 bytes, by PostgreSQL's own parser
     * @param body the statement text after {@code AS}, from its first token to its last (comments around it left out)
     */
    record Prepare(String name, String body) implements SessionEffect {
    }

    /** {@code DEALLOCATE [PREPARE] name}; {@code name} (as {@link Prepare#name}) null for {@code DEALLOCATE ALL}. */
    record Deallocate(String name) implements SessionEffect {
    }

    /** {@code DISCARD ALL}: drops every prepared statement, portal and temporary table; resets every setting. */
    record DiscardAll() implements SessionEffect {
    }

    /**
     * {@code SET}, {@code SET LOCAL}, {@code RESET} or a {@code set_config} call anywhere in the statement (also where
     * it runs later or not at all, as in a function body: counted as if it ran).
     *
     * @param name  the setting as the server looks it up, lower case ({@code SET ROLE} is {@code role},
     *              {@code SET NAMES} {@code client_encoding}, {@code SET SCHEMA} {@code search_path}); null when
     *              computed at run time ({@code set_config($1, ...)})
     * @param value the value's items as written ({@code SET search_path = a, b} gives two, {@code set_config} one
     *              text); empty for the default ({@code RESET}, {@code TO DEFAULT}); null when not known before it
     *              runs ({@code FROM CURRENT}, a computed {@code set_config} value)
     */
    record Setting(String name, List<String> value) implements SessionEffect {
        /** The settings a decision depends on: where names resolve, who runs it, and how its text is read. */
        public static final Set<String> TRACKED = Set.of("search_path", "role", "session_authorization",
                "client_encoding", "standard_conforming_strings");

        public Setting {
            name = name == null ? null : name.toLowerCase(Locale.ROOT);
            value = value == null ? null : List.copyOf(value);
        }

        /** True when a decision may depend on this setting (or its name is not known). */
        public boolean tracked() {
            return name == null || TRACKED.contains(name);
        }
    }

    /** {@code RESET ALL}: every setting but the role and session authorization back to its default. */
    record ResetAll() implements SessionEffect {
    }

    /**
     * A text Gatehouse could not read (PostgreSQL's parser in Gatehouse refused what the server may accept, or the
     * two readings of its backslashes differ): what it prepared or dropped is unknown, so nothing prepared before it
     * can be trusted.
     */
    record Unreadable() implements SessionEffect {
    }
}
