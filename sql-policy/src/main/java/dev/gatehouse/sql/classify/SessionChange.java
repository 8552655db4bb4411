package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.analysis.Kind;

import java.util.List;
import java.util.Set;

/** What a statement changes in the session that later statements of the same submission depend on. */
public sealed interface SessionChange {
    None NONE = new None();

    /** Nothing later statements need to know. */
    record None() implements SessionChange {
    }

    /** {@code SET search_path TO a, b} (PostgreSQL) or {@code USE db} (MySQL): names resolve here from now on. */
    record SearchPath(List<String> schemas) implements SessionChange {
        public SearchPath {
            schemas = List.copyOf(schemas);
        }
    }

    /** {@code RESET search_path}, {@code SET search_path TO DEFAULT}, {@code RESET ALL}: back to the caller's default. */
    record ResetSearchPath() implements SessionChange {
    }

    /** {@code PREPARE name ...}: a later {@code EXECUTE name} has these kinds. */
    record Prepare(String name, Set<Kind> kinds) implements SessionChange {
        public Prepare {
            kinds = Set.copyOf(kinds);
        }
    }
}
