package dev.gatehouse.sql.catalog;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.lineage.Identifiers;
import dev.gatehouse.sql.pg.PgQuery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable catalog read from a schema file's statements (the command line's {@code --schema}).
 * PostgreSQL files are read by PostgreSQL's own parser ({@link PgSchemaReader}: everything {@code pg_dump
 * --schema-only} writes). MySQL files: CREATE SCHEMA / DATABASE, CREATE TABLE (columns, {@code AS SELECT},
 * {@code LIKE}), CREATE VIEW (definition kept for lineage), ALTER TABLE ADD / DROP / RENAME COLUMN and RENAME TO,
 * DROP TABLE / VIEW and {@code USE db}. The search path (PostgreSQL) or {@code USE} (MySQL) changes the schema
 * that later unqualified names are created in, and the last one in effect is exposed as {@link #defaultSchema()}.
 * A relation definition that cannot be read is an error naming the statement number: a catalog missing a
 * table would make lineage wrong without anyone noticing. Immutable and thread-safe once built.
 */
public final class SchemaCatalog implements Catalog {
    private final Dialect dialect;
    private final Map<TableName, Relation> relations;
    private final Set<String> schemas;
    private final List<String> searchPath;
    private final long version;

    private SchemaCatalog(Dialect dialect, Map<TableName, Relation> relations, Set<String> schemas,
                          List<String> searchPath, long version) {
        this.dialect = dialect;
        this.relations = relations;
        this.schemas = schemas;
        this.searchPath = searchPath;
        this.version = version;
    }

    /** A read-only view over a reader's state while it is still reading (version 0: never cached). */
    static SchemaCatalog live(Dialect dialect, Map<TableName, Relation> relations, Set<String> schemas,
                              List<String> searchPath) {
        return new SchemaCatalog(dialect, Collections.unmodifiableMap(relations), Collections.unmodifiableSet(schemas),
                searchPath, 0);
    }

    /** The immutable catalog: copies of the builder's state and their content hash. */
    private static SchemaCatalog snapshot(Dialect dialect, Map<TableName, Relation> relations, Set<String> schemas,
                                          List<String> searchPath) {
        Map<TableName, Relation> copy = Collections.unmodifiableMap(new LinkedHashMap<>(relations));
        List<String> path = List.copyOf(searchPath);
        return new SchemaCatalog(dialect, copy, Set.copyOf(schemas), path, hash(dialect, copy, path));
    }

    /**
     * @param statements    the schema file's statements in order, already split (no terminating semicolons needed)
     * @param defaultSchema where unqualified names are created until a {@code SET search_path} or {@code USE}:
     *                      PostgreSQL's search path (comma separated; null means {@code public}), or MySQL's
     *                      database (null: none until a {@code USE})
     * @throws SchemaFileException when a relation definition cannot be read
     */
    public static SchemaCatalog fromStatements(List<String> statements, Dialect dialect, String defaultSchema) {
        if (dialect == Dialect.POSTGRES) {
            PgSchemaReader reader = postgresReader(defaultSchema);
            for (int i = 0; i < statements.size(); i++) {
                reader.readStatement(statements.get(i), i + 1);
            }
            return snapshot(dialect, reader.relations, reader.schemas, reader.path);
        }
        SchemaFileReader reader = new SchemaFileReader(dialect, initialPath(dialect, defaultSchema));
        for (int i = 0; i < statements.size(); i++) {
            reader.apply(statements.get(i), i + 1);
        }
        return snapshot(dialect, reader.relations, reader.schemas, reader.path);
    }

    /**
     * A PostgreSQL schema file as a whole, read by PostgreSQL's own parser: what {@code pg_dump --schema-only}
     * writes (psql meta-command lines such as {@code \restrict} included) or a hand-written file.
     *
     * @param defaultSchema the search path until the file sets one (comma separated; null means {@code public})
     * @throws SchemaFileException when the parser rejects the file, or a relation's columns cannot be known
     */
    public static SchemaCatalog fromPostgresFile(String text, String defaultSchema) {
        PgSchemaReader reader = postgresReader(defaultSchema);
        reader.readFile(text);
        return snapshot(Dialect.POSTGRES, reader.relations, reader.schemas, reader.path);
    }

    private static PgSchemaReader postgresReader(String defaultSchema) {
        if (!PgQuery.available()) {
            // No other reader of PostgreSQL text: a catalog read by a different grammar would be wrong unnoticed.
            throw new SchemaFileException(1, "PostgreSQL schema files are read by libpg_query, which is unavailable: "
                    + PgQuery.unavailableReason());
        }
        return new PgSchemaReader(initialPath(Dialect.POSTGRES, defaultSchema));
    }

    private static List<String> initialPath(Dialect dialect, String defaultSchema) {
        if (defaultSchema == null || defaultSchema.isBlank()) {
            return dialect == Dialect.POSTGRES ? List.of("public") : List.of();
        }
        List<String> path = new ArrayList<>(2);
        int start = 0;
        // Comma-separated names; each folded by the dialect (a quoted one keeps its case in PostgreSQL).
        for (int i = 0; i <= defaultSchema.length(); i++) {
            if (i == defaultSchema.length() || defaultSchema.charAt(i) == ',') {
                String part = defaultSchema.substring(start, i).strip();
                if (!part.isEmpty()) {
                    path.add(Identifiers.fold(part, dialect));
                }
                start = i + 1;
            }
        }
        return path;
    }

    @Override
    public Optional<Relation> find(TableName name) {
        return Optional.ofNullable(relations.get(name));
    }

    @Override
    public boolean hasSchema(String schema) {
        return schemas.contains(schema);
    }

    @Override
    public long version() {
        return version;
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * PostgreSQL: the first schema of the search path in effect at the end of the file; MySQL: the database of
     * the last {@code USE} (or the one given), which is also the default current database. Null when none.
     */
    public String defaultSchema() {
        for (String s : searchPath) {
            if (!s.equals("$user")) {
                return s;
            }
        }
        return null;
    }

    /** The search path (PostgreSQL) or current database (MySQL, one element) in effect at the end of the file. */
    public List<String> searchPath() {
        return searchPath;
    }

    public Collection<Relation> relations() {
        return relations.values();
    }

    /** SHA-256 of everything lineage can observe, so different schemas never share a version (0 is EMPTY's). */
    private static long hash(Dialect dialect, Map<TableName, Relation> relations, List<String> searchPath) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        StringBuilder text = new StringBuilder(256).append(dialect).append('\u0000');
        for (String s : searchPath) {
            text.append(s).append('\u0001');
        }
        for (Relation r : new TreeMap<>(relations).values()) {
            text.append('\u0000').append(r.name().schema()).append('\u0001').append(r.name().name()).append('\u0001');
            for (String c : r.columns()) {
                text.append(c).append('\u0002');
            }
            text.append('\u0001').append(r.definition() == null ? "\u0003" : r.definition());
            if (r.foreign()) {
                text.append('\u0004'); // only when set: the versions of catalogs without foreign tables stay as they were
            }
        }
        byte[] d = digest.digest(text.toString().getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return v == 0 ? 1 : v;
    }
}
