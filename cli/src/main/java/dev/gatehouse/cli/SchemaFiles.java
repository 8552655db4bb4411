package dev.gatehouse.cli;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;

import java.nio.file.Path;

/**
 * Turns a schema file of CREATE statements into the catalog the analyzer resolves names against. The one
 * place the command line reads schema files, for {@code check --schema} and the {@code schema:} of test files.
 */
final class SchemaFiles {
    private SchemaFiles() {
    }

    /**
     * A schema file's catalog, and the database its {@code USE} statement selects (MySQL), or null.
     */
    record Loaded(Catalog catalog, String useDatabase) {
    }

    /** No schema file: names resolve against nothing, so lineage of {@code *} stays incomplete. */
    static Loaded none() {
        return new Loaded(Catalog.EMPTY, null);
    }

    static Loaded load(Path file, Dialect dialect, String defaultSchema) throws UsageException {
        // The schema reader (splitter + catalog builder) is built on other branches and joins this one at merge.
        throw new UsageException("--schema is not available in this build (schema file " + file + ", " + dialect
                + ", default schema " + defaultSchema + ")");
    }
}
