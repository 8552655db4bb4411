package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.Select;

import java.util.List;

/**
 * Tables, columns and functions of one statement, read from JSqlParser's tree and resolved against a catalog.
 * Thread-safe, any thread; holds no per-call state (only a bounded cache of parsed view definitions for its
 * catalog).
 */
public final class LineageAnalyzer {
    private final Dialect dialect;
    private final Catalog catalog;
    private final ViewDefinitions views = new ViewDefinitions();

    public LineageAnalyzer(Dialect dialect, Catalog catalog) {
        this.dialect = dialect;
        this.catalog = catalog;
    }

    /**
     * Hot path: parse once, walk the tree once.
     *
     * @param statementSql one statement (no terminating semicolon); for MySQL, executable {@code /*! ... *}{@code /}
     *                     comments already expanded by the caller
     * @param searchPath   PostgreSQL's search path, or the MySQL current database as a one-element list; schema
     *                     names already case-folded
     * @return never null and never throws: a statement the parser cannot read gives {@link Lineage#unparsed}
     */
    public Lineage analyze(String statementSql, List<String> searchPath) {
        Statement statement;
        try {
            statement = StatementParser.parse(statementSql, dialect);
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            return Lineage.unparsed("parse error: " + StatementParser.shortMessage(e));
        }
        try {
            StatementLineage walker = new StatementLineage(dialect, catalog, views, searchPath);
            walker.walk(statement);
            return walker.result();
        } catch (RuntimeException | StackOverflowError e) {
            // Fail closed: a tree shape the walker did not expect must never pass as "nothing touched".
            return Lineage.unparsed("lineage failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * The output column names of a query, as a view or {@code CREATE TABLE AS} over it would name them. Used by
     * the schema catalog while it is being built; columns behind stars over unknown tables are missing.
     */
    public List<String> outputColumns(Select select, List<String> searchPath) {
        StatementLineage walker = new StatementLineage(dialect, catalog, views, searchPath);
        return walker.walkSelect(select, null).names();
    }
}
