package dev.gatehouse.cli;

import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Analyzer;

import java.nio.file.Path;

/**
 * What {@code check} and {@code test} both need: a policy, a catalog, a dialect and a default schema,
 * assembled into a {@link Gate}. Immutable.
 *
 * @param defaultSchema PostgreSQL search path or MySQL current database; empty for MySQL without one
 */
record CheckSetup(Gate gate, Dialect dialect, String defaultSchema) {

    /**
     * @param schema        a schema file or null
     * @param defaultSchema as given by the user, or null for the dialect's default: {@code public} for
     *                      PostgreSQL; for MySQL the schema file's {@code USE}, else none
     */
    static CheckSetup open(Path policyFile, Path schema, Dialect dialect, String defaultSchema) throws PolicyException, UsageException {
        Policy policy = Policy.load(policyFile);
        String initial = defaultSchema != null ? defaultSchema : dialect == Dialect.POSTGRES ? "public" : "";
        SchemaFiles.Loaded loaded = schema == null ? SchemaFiles.none() : SchemaFiles.load(schema, dialect, initial);
        String effective = defaultSchema != null ? defaultSchema
                : dialect == Dialect.MYSQL && loaded.useDatabase() != null ? loaded.useDatabase() : initial;
        return new CheckSetup(new Gate(new Analyzer(dialect, loaded.catalog()), policy), dialect, effective);
    }

    static Dialect dialect(String name) throws UsageException {
        try {
            return Dialect.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
