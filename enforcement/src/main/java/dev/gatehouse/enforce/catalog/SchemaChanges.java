package dev.gatehouse.enforce.catalog;

/**
 * Told when a front end saw the server confirm a statement that may have changed a database's tables, views or
 * schemas (DDL, committed): the catalog it keeps for that database is read again.
 *
 * <p>Threads: called on a session's thread; implementations are shared by every session, so thread-safe.
 */
@FunctionalInterface
public interface SchemaChanges {
    /** For catalogs that never change under the front end (a schema file, none). */
    SchemaChanges NONE = database -> { };

    void changed(String database);
}
