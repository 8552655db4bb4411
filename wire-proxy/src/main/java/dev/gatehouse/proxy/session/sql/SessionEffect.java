package dev.gatehouse.proxy.session.sql;

/**
 * A change a statement makes to the session state the proxy tracks. A closed set: the session applies them
 * with an exhaustive switch once the statement carrying them has been allowed.
 */
public sealed interface SessionEffect {

    /** {@code PREPARE name AS body}: remembered so that {@code EXECUTE name} is decided with its body. */
    record Prepare(String name, String body) implements SessionEffect {
    }

    /** {@code DEALLOCATE [PREPARE] name}; {@code name} null for {@code DEALLOCATE ALL}. */
    record Deallocate(String name) implements SessionEffect {
    }

    /** {@code DISCARD ALL} (also drops every prepared statement and resets the role and search_path). */
    record DiscardAll() implements SessionEffect {
    }

    /** {@code SET [SESSION|LOCAL] search_path ...}; {@code value} null for {@code RESET search_path}. */
    record SetSearchPath(String value) implements SessionEffect {
    }

    /** {@code SET [SESSION|LOCAL] ROLE name}; {@code role} null for NONE and {@code RESET ROLE}. */
    record SetRole(String role) implements SessionEffect {
    }

    /** {@code RESET ALL}: search_path and role back to their defaults. */
    record ResetAll() implements SessionEffect {
    }
}
