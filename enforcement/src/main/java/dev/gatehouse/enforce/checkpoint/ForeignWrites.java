package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.catalog.Relation;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a limited write reaches a PostgreSQL foreign table: its wrapper, not the server's transaction, keeps
 * what it writes, so the savepoint a counted run relies on may not undo it. Such a write is never run to be
 * counted. Read from the client's catalog (the one the decision was made with), for every front end alike; only
 * limited writes ask it, and a live catalog answers from its cache for the tables the analysis already read.
 * Engines without transactions (MySQL's MyISAM...) are not in the catalog: the JDBC driver asks for those itself.
 *
 * <p>Threads: the deciding thread; stateless.
 */
final class ForeignWrites {
    private ForeignWrites() {
    }

    /**
     * Why a rollback may not undo the writes of {@code decision}'s statements, or null when it can.
     *
     * @throws RuntimeException when the catalog cannot be read (the caller refuses, failing closed)
     */
    static String reason(Decision decision, Catalog catalog) {
        Set<TableName> written = new LinkedHashSet<>();
        RowGuard.addWritten(decision, written);
        for (TableName t : written) {
            Optional<Relation> r = catalog.find(t);
            if (r.isPresent() && r.get().foreign()) {
                return t.qualified() + " is or holds a foreign table, whose writes a rollback may not undo";
            }
        }
        return null;
    }
}
