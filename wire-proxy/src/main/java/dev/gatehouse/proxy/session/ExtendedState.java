package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.guard.BoundValue;
import dev.gatehouse.proxy.protocol.frontend.Bind;
import dev.gatehouse.enforce.session.SqlScan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The extended-query objects of one session as the client created them: statements (name to SQL and declared
 * types) and portals (name to statement and bound values). Bounded by the configured maximum so that a client
 * cannot grow the proxy's memory without limit. Used only by the session's client-reader thread.
 */
final class ExtendedState {

    /** A parsed statement, with its scan done once (a named statement is executed many times). */
    record Statement(String sql, int[] parameterTypes, SqlScan scan) {
    }

    /** A bound portal; {@code statement} is null when the Bind named a statement the proxy never saw. */
    static final class Portal {
        final Statement statement;
        final Bind bind;
        /**
         * Set once it is allowed (at its first Execute, or earlier when a Flush, Sync or later Execute must send
         * its Bind): later Executes of the same portal fetch more rows.
         */
        boolean allowed;

        Portal(Statement statement, Bind bind) {
            this.statement = statement;
            this.bind = bind;
        }

        List<BoundValue> values() {
            return ClientSession.boundValues(bind.parameters(), statement == null ? null : statement.parameterTypes());
        }
    }

    private final int maxObjects;
    private final Map<String, Statement> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();

    ExtendedState(int maxObjects) {
        this.maxObjects = maxObjects;
    }

    /** Records a Parse about to be sent; null when the session already holds the maximum. */
    Statement parse(String name, String sql, int[] types) {
        if (!statements.containsKey(name) && statements.size() >= maxObjects) {
            return null;
        }
        Statement previous = statements.get(name);
        // Hot path: clients re-parse the unnamed statement with the same text query after query; scan it once.
        SqlScan scan = previous != null && previous.sql().equals(sql) ? previous.scan() : SqlScan.of(sql);
        Statement statement = new Statement(sql, types, scan);
        statements.put(name, statement);
        return statement;
    }

    boolean has(String name) {
        return statements.containsKey(name);
    }

    Statement statement(String name) {
        return statements.get(name);
    }

    /** The server did not create it: forget it, unless a later Parse has replaced it already. */
    void parseFailed(String name, Statement statement) {
        statements.remove(name, statement);
    }

    /** The new portal; null when the session already holds the maximum number of portals. */
    Portal bind(Bind bind) {
        if (!portals.containsKey(bind.portal()) && portals.size() >= maxObjects) {
            return null;
        }
        Portal portal = new Portal(statements.get(bind.statement()), bind);
        portals.put(bind.portal(), portal);
        return portal;
    }

    Portal portal(String name) {
        return portals.get(name);
    }

    void closeStatement(String name) {
        statements.remove(name);
    }

    void closePortal(String name) {
        portals.remove(name);
    }

    /** DISCARD ALL / DEALLOCATE ALL drop protocol-level statements too. */
    void clearStatements() {
        statements.clear();
        portals.clear();
    }
}
