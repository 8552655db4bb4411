package dev.gatehouse.enforce.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.catalog.Relation;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Catalog} read lazily, one relation at a time, from a live database, and cached with a bound (absent
 * names too: CTE names and typos are looked up often). {@link #refresh()} (called when DDL passes through the
 * connection, and by the wire proxy on an interval) empties the cache and moves {@link #version()} on, so
 * decision caches keyed by the version can never reuse an answer computed against the old schema. DDL made by
 * other connections is seen after the next refresh. The JDBC driver reads over the client's own connection; the
 * wire proxy over connections of its own, one per database ({@link UpstreamCatalogs}).
 *
 * <p>Fail closed: a metadata query that fails throws {@link CatalogUnavailableException}, and moves the version on
 * too: the analyzer reads such a statement as one whose lineage is incomplete (the policy's {@code unparsed}
 * default, never an allow), and that answer must not be reused once the database answers again.
 *
 * <p>Threads: any; the cache is concurrent, loads run on the asking thread over the source.
 */
public final class LiveCatalog implements Catalog {
    public static final int DEFAULT_MAX_RELATIONS = 4096;

    private final RelationSource source;
    private final Cache<TableName, Optional<Relation>> relations;
    private final Cache<String, Boolean> schemas;
    /**
     * Versions are unique across every live catalog of the JVM: decision caches are shared by all connections,
     * and two connections (to different databases, or one after DDL) must never present the same version.
     */
    private static final AtomicLong VERSIONS = new AtomicLong();
    private volatile long version = VERSIONS.incrementAndGet();

    public LiveCatalog(RelationSource source, int maxRelations) {
        this.source = source;
        this.relations = Caffeine.newBuilder().maximumSize(maxRelations).build();
        this.schemas = Caffeine.newBuilder().maximumSize(Math.max(16, maxRelations / 16)).build();
    }

    @Override
    public Optional<Relation> find(TableName name) {
        return relations.get(name, this::load);
    }

    @Override
    public boolean hasSchema(String schema) {
        return schemas.get(schema, this::loadSchema);
    }

    @Override
    public long version() {
        return version;
    }

    /** Forget everything read so far; the next lookups read the database again under a new version. */
    public void refresh() {
        relations.invalidateAll();
        schemas.invalidateAll();
        // After the invalidation: a decision made from a relation loaded before it carries the old version.
        version = VERSIONS.incrementAndGet();
    }

    private Optional<Relation> load(TableName name) {
        try {
            return source.load(name);
        } catch (SQLException e) {
            throw unavailable("cannot read " + name + " from the database's metadata", e);
        }
    }

    private Boolean loadSchema(String schema) {
        try {
            return source.schemaExists(schema);
        } catch (SQLException e) {
            throw unavailable("cannot read schema " + schema + " from the database's metadata", e);
        }
    }

    /** A decision made while this lookup failed is keyed by the old version: it is never reused. */
    private CatalogUnavailableException unavailable(String message, SQLException cause) {
        version = VERSIONS.incrementAndGet();
        return new CatalogUnavailableException(message, cause);
    }

    /** The catalog could not be read: callers must refuse rather than decide without it. */
    public static final class CatalogUnavailableException extends RuntimeException {
        public CatalogUnavailableException(String message, SQLException cause) {
            super(message, cause);
        }
    }
}
