package dev.gatehouse.proxy.session.sql;

/**
 * A change a statement makes to the session state the proxy tracks, or to the catalog it reads
 * ({@link SchemaEffect}). A closed set: the session applies them with an exhaustive switch once the server has
 * confirmed the statement carrying them (its group ended without an error).
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

    /** What the proxy's live catalog of the session's database must hear of (see {@code proxy.catalog.SchemaWatch}). */
    sealed interface SchemaEffect extends SessionEffect {
    }

    /**
     * {@code CREATE}, {@code ALTER}, {@code DROP}, {@code IMPORT FOREIGN SCHEMA}, {@code SELECT ... INTO}, or a
     * {@code DO} or {@code CALL} that may run any of them: tables, views or schemas may have changed.
     */
    record SchemaChange() implements SchemaEffect {
    }

    /** {@code COMMIT} or {@code END}: what the transaction block changed is now seen by other connections. */
    record Commit() implements SchemaEffect {
    }
}
