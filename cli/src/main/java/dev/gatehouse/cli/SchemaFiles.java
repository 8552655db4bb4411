package dev.gatehouse.cli;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.catalog.SchemaCatalog;
import dev.gatehouse.sql.catalog.SchemaFileException;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Splitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a schema file of CREATE statements into the catalog the analyzer resolves names against. The one
 * place the command line reads schema files, for {@code check --schema}, the {@code schema:} of test files and
 * the wire proxy's {@code schema:} in {@code serve}.
 */
public final class SchemaFiles {
    /** Schema files are DDL dumps, not data: anything larger is a mistake (a data dump passed by accident). */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    private SchemaFiles() {
    }

    /**
     * A schema file's catalog, and the database its {@code USE} statement selects (MySQL), or null.
     */
    public record Loaded(Catalog catalog, String useDatabase) {
    }

    /** No schema file: names resolve against nothing, so lineage of {@code *} stays incomplete. */
    static Loaded none() {
        return new Loaded(Catalog.EMPTY, null);
    }

    public static Loaded load(Path file, Dialect dialect, String defaultSchema) throws UsageException {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new UsageException(file + ": schema file larger than " + MAX_BYTES + " bytes");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read schema file " + file + ": " + e.getMessage());
        }
        try {
            // PostgreSQL: the whole file through PostgreSQL's own parser (pg_dump's psql meta-commands included)
            SchemaCatalog catalog = dialect == Dialect.POSTGRES
                    ? SchemaCatalog.fromPostgresFile(text, defaultSchema)
                    : SchemaCatalog.fromStatements(Splitter.split(text, dialect), dialect, defaultSchema);
            return new Loaded(catalog, dialect == Dialect.MYSQL ? catalog.defaultSchema() : null);
        } catch (LexException e) {
            throw new UsageException(file + ": at character " + e.offset() + ": " + e.getMessage());
        } catch (SchemaFileException e) {
            throw new UsageException(file + ": statement " + e.statementNumber() + ": " + e.getMessage());
        }
    }
}
