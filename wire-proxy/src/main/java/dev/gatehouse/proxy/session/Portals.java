package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.guard.BoundValue;
import dev.gatehouse.proxy.protocol.frontend.Bind;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The portals the client bound through the proxy: name to statement and bound values. Bounded by the configured
 * maximum so that a client cannot grow the proxy's memory without limit. Threads: the session's client reader.
 */
final class Portals {

    /** A bound portal; {@code statement} is null when the Bind named a statement the proxy does not know. */
    static final class Portal {
        final PreparedStatements.Statement statement;
        final Bind bind;
        /**
         * Set once it is allowed (at its first Execute, or earlier when a Flush, Sync or later Execute must send
         * its Bind): later Executes of the same portal fetch more rows.
         */
        boolean allowed;
        /** Allowed only within this many rows: its first Execute runs counted ({@link CountedRun}); else null. */
        dev.gatehouse.enforce.checkpoint.RowGuard rows;

        Portal(PreparedStatements.Statement statement, Bind bind) {
            this.statement = statement;
            this.bind = bind;
        }

        List<BoundValue> values() {
            return Executions.boundValues(bind.parameters(), statement == null ? null : statement.parameterTypes);
        }
    }

    private final int maxPortals;
    private final Map<String, Portal> byName = new HashMap<>();

    Portals(int maxPortals) {
        this.maxPortals = maxPortals;
    }

    /** The new portal; null when the session already holds the maximum number of portals. */
    Portal bind(Bind bind, PreparedStatements.Statement statement) {
        if (!byName.containsKey(bind.portal()) && byName.size() >= maxPortals) {
            return null;
        }
        Portal portal = new Portal(statement, bind);
        byName.put(bind.portal(), portal);
        return portal;
    }

    Portal get(String name) {
        return byName.get(name);
    }

    void close(String name) {
        byName.remove(name);
    }

    /** DISCARD ALL closes every portal. */
    void clear() {
        byName.clear();
    }
}
