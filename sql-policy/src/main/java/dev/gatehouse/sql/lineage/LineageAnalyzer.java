package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;

import java.util.List;

/**
 * Tables, columns and functions of one statement, read from JSqlParser's tree and resolved against a catalog.
 * Thread-safe; holds no per-call state.
 */
public final class LineageAnalyzer {
    private final Dialect dialect;
    private final Catalog catalog;

    public LineageAnalyzer(Dialect dialect, Catalog catalog) {
        this.dialect = dialect;
        this.catalog = catalog;
    }

    /**
     * @param statementSql one statement (no terminating semicolon); for MySQL, executable {@code /*! ... *}{@code /}
     *                     comments already expanded by the caller
     * @param searchPath   PostgreSQL's search path, or the MySQL current database as a one-element list
     * @return never null and never throws: a statement the parser cannot read gives {@link Lineage#unparsed}
     */
    public Lineage analyze(String statementSql, List<String> searchPath) {
        return Lineage.unparsed("lineage analysis is not built yet (" + dialect + ", catalog " + catalog.version() + ")");
    }
}
