package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.gate.Gate;
import dev.gatehouse.sql.catalog.Catalog;

import java.util.List;

/**
 * One client's way through the shared {@link Checkpoint}: its gate reads through the client's own catalog
 * (a connection's live metadata) and is rebuilt, sharing the decision cache, when that catalog's version
 * moves (DDL passed through). Gate keys hold the catalog version, so an answer made against another schema
 * is never reused.
 *
 * <p>Threads: the client's threads (usually one at a time); the bound gate is published through a volatile,
 * so a client shared across threads at worst rebuilds it twice.
 */
public final class ClientCheckpoint {
    private final Checkpoint checkpoint;
    private final Gate base;
    private final Catalog catalog;
    private volatile Bound bound;

    /** A gate and the catalog version it was made for. */
    private record Bound(Gate gate, long catalogVersion) {
    }

    ClientCheckpoint(Checkpoint checkpoint, Gate base, Catalog catalog) {
        this.checkpoint = checkpoint;
        this.base = base;
        this.catalog = catalog;
    }

    /** The policy this client decides by. */
    public dev.gatehouse.policy.Policy policy() {
        return checkpoint.policy();
    }

    /** Early classification (prepare, nativeSQL): only {@link Outcome.Deny} or {@link Outcome.Failed} act. */
    public Outcome classify(String sql, String defaultSchema, Caller caller) {
        return classify(sql, defaultSchema, null, caller);
    }

    /**
     * @param sessionUser the database user the session logged in as ({@code SET ROLE} to it changes nothing), or
     *                    null when not known
     */
    public Outcome classify(String sql, String defaultSchema, String sessionUser, Caller caller) {
        Gate gate;
        try {
            gate = gate();
        } catch (RuntimeException e) {
            return new Outcome.Failed("the catalog could not be read: " + e.getMessage(), e);
        }
        return checkpoint.classify(gate, sql, defaultSchema, sessionUser, caller);
    }

    /**
     * Hot path: a volatile read and a version compare, then the checkpoint's cached decision.
     *
     * @param parameters bound values by position, or null for plain SQL
     */
    public Outcome check(String sql, List<?> parameters, String defaultSchema, Caller caller) {
        return check(sql, parameters, defaultSchema, null, caller);
    }

    /** Hot path, as {@link #check(String, List, String, Caller)}, with the session's user (null when not known). */
    public Outcome check(String sql, List<?> parameters, String defaultSchema, String sessionUser, Caller caller) {
        Gate gate;
        try {
            gate = gate();
        } catch (RuntimeException e) {
            return new Outcome.Failed("the catalog could not be read: " + e.getMessage(), e);
        }
        return checkpoint.check(gate, sql, parameters, defaultSchema, sessionUser, caller);
    }

    /** Hot path: allocates only after the catalog changed. */
    private Gate gate() {
        long version = catalog.version();
        Bound b = bound;
        if (b == null || b.catalogVersion() != version) {
            // The version is read before the gate is made: if it moves meanwhile, the next call rebuilds again.
            b = new Bound(base.withCatalog(catalog), version);
            bound = b;
        }
        return b.gate();
    }
}
