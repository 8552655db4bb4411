package dev.gatehouse.sql.catalog;

import dev.gatehouse.sql.analysis.TableName;

import java.util.Optional;

/**
 * What the analyzer knows of a database's tables and views. Two sources implement it: a schema file of
 * CREATE statements (the command line) and a live connection's metadata (the driver and the proxy).
 * Implementations are immutable snapshots; {@link #version()} changes whenever the content does, so caches
 * keyed by it can never reuse an answer computed against another schema.
 */
public interface Catalog {

    /** The table or view, by already case-folded schema and name. */
    Optional<Relation> find(TableName name);

    /** Whether {@code schema} exists (used to resolve unqualified names through a search path). */
    boolean hasSchema(String schema);

    /** Changes whenever the catalog's content changes. */
    long version();

    /** A catalog that knows nothing: every column reference is reported as written, lineage stays incomplete for stars. */
    Catalog EMPTY = new Catalog() {
        @Override public Optional<Relation> find(TableName name) { return Optional.empty(); }
        @Override public boolean hasSchema(String schema) { return false; }
        @Override public long version() { return 0L; }
    };
}
