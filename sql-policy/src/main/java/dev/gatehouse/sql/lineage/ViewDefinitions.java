package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Relation;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.Select;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed view definitions, so lineage through a view does not re-parse its SELECT on every statement. One
 * instance per {@link LineageAnalyzer}. The parsed trees are only read after publication. Bounded: past
 * {@link #MAX_ENTRIES} views, definitions are parsed per use instead of cached. Any thread.
 */
final class ViewDefinitions {
    static final int MAX_ENTRIES = 10_000;

    /** A parsed definition, or the parser's message when it could not be read. */
    record Parsed(Select select, String error) {
    }

    /** Keyed by the whole relation, so a catalog that changed under the analyzer still gets its own definition. */
    private final ConcurrentHashMap<Relation, Parsed> parsed = new ConcurrentHashMap<>();

    Parsed definition(Relation view, Dialect dialect) {
        Parsed cached = parsed.get(view);
        if (cached != null) {
            return cached;
        }
        Parsed fresh = parse(view.definition(), dialect);
        if (parsed.size() < MAX_ENTRIES) {
            parsed.putIfAbsent(view, fresh);
        }
        return fresh;
    }

    private static Parsed parse(String definition, Dialect dialect) {
        try {
            Statement statement = StatementParser.parse(definition, dialect);
            if (statement instanceof Select select) {
                return new Parsed(select, null);
            }
            return new Parsed(null, "not a SELECT");
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            return new Parsed(null, StatementParser.shortMessage(e));
        }
    }
}
