package dev.gatehouse.sql.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.sql.catalog.Relation;
import dev.gatehouse.sql.pg.PgNodes;
import dev.gatehouse.sql.pg.PgTrees;

import java.util.concurrent.ConcurrentHashMap;

/**
 * View definitions read by PostgreSQL's parser once, so lineage through a view does not re-parse its SELECT on
 * every statement. Bounded: past {@link #MAX_ENTRIES} views, definitions are parsed per use instead of cached.
 * The trees are only read after publication. Any thread.
 */
public final class PgViews {
    static final int MAX_ENTRIES = 10_000;

    /** A parsed definition's SelectStmt body, or why it could not be read. */
    record Parsed(JsonNode select, String error) {
    }

    /** Keyed by the whole relation, so a catalog that changed under the reader still gets its own definition. */
    private final ConcurrentHashMap<Relation, Parsed> parsed = new ConcurrentHashMap<>();

    Parsed definition(Relation view) {
        Parsed cached = parsed.get(view);
        if (cached != null) {
            return cached;
        }
        Parsed fresh = parse(view.definition());
        if (parsed.size() < MAX_ENTRIES) {
            parsed.putIfAbsent(view, fresh);
        }
        return fresh;
    }

    private static Parsed parse(String definition) {
        PgTrees.Tree tree = PgTrees.parse(definition, true);
        if (tree.error() != null) {
            return new Parsed(null, tree.error());
        }
        if (tree.statements().size() != 1) {
            return new Parsed(null, "not one statement");
        }
        JsonNode stmt = tree.statements().get(0).stmt();
        if (!PgNodes.type(stmt).equals("SelectStmt")) {
            return new Parsed(null, "not a SELECT");
        }
        return new Parsed(PgNodes.body(stmt), null);
    }
}
