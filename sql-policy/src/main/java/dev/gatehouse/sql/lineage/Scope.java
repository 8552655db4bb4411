package dev.gatehouse.sql.lineage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The names visible at one query level: its FROM entries and the CTEs defined there. Lookups fall back to the
 * enclosing level, which is how correlated subqueries and nested WITH clauses see outer names.
 * Per-call, single-threaded.
 */
final class Scope {
    final Scope parent;
    final List<Source> sources = new ArrayList<>(4);
    private HashMap<String, Shape> ctes;

    Scope(Scope parent) {
        this.parent = parent;
    }

    void add(Source source) {
        sources.add(source);
    }

    /** Hot path: the entry of this level that {@code qualifier} names (schema-qualified when {@code schema} is set). */
    Source byQualifier(String qualifier, String schema) {
        List<Source> s = sources;
        for (int i = 0, size = s.size(); i < size; i++) {
            Source source = s.get(i);
            if (source.alias() != null && source.alias().equals(qualifier)
                    && (schema == null || (source.table() != null && source.table().schema().equals(schema)))) {
                return source;
            }
        }
        return null;
    }

    /** The entry named {@code qualifier} here or in an enclosing level. */
    Source byQualifierInChain(String qualifier, String schema) {
        for (Scope level = this; level != null; level = level.parent) {
            Source found = level.byQualifier(qualifier, schema);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    void defineCte(String name, Shape shape) {
        if (ctes == null) {
            ctes = new HashMap<>(4);
        }
        ctes.put(name, shape);
    }

    /** The CTE visible here under {@code name}, or null. */
    Shape cte(String name) {
        for (Scope level = this; level != null; level = level.parent) {
            if (level.ctes != null) {
                Shape shape = level.ctes.get(name);
                if (shape != null) {
                    return shape;
                }
            }
        }
        return null;
    }
}
