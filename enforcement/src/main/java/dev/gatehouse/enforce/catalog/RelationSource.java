package dev.gatehouse.enforce.catalog;

import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Relation;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Where a {@link LiveCatalog} reads tables and views from: one database's metadata over one connection.
 *
 * <p>Threads: whichever thread asks the catalog; the connection it reads over must be free then.
 */
public interface RelationSource {

    /** One table or view with its columns in order and, for a view, its SELECT. */
    Optional<Relation> load(TableName name) throws SQLException;

    boolean schemaExists(String schema) throws SQLException;
}
