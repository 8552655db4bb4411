package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.TableAccess;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.analysis.TableUse;
import dev.gatehouse.sql.catalog.Catalog;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.Select;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        boolean escapesByDefault = dialect == Dialect.MYSQL;
        if (escapesByDefault) {
            // Checked once for the default reading: a hazard there must not let the other reading stand in.
            String hazard = StatementParser.mysqlHazard(statementSql, true);
            if (hazard != null) {
                return Lineage.unparsed("parse error: " + hazard);
            }
        }
        Lineage usual = analyze(statementSql, searchPath, escapesByDefault);
        if (statementSql.indexOf('\\') < 0) {
            return usual;
        }
        // A backslash may end a string literal in one session mode and escape its quote in the other, so the
        // code outside literals can differ; report what either reading shows.
        Lineage other = analyze(statementSql, searchPath, !escapesByDefault);
        if (usual.parsed() && other.parsed()) {
            return union(usual, other);
        }
        // MySQL: a statement only valid without escapes runs in a NO_BACKSLASH_ESCAPES session, where that reading
        // is exact. PostgreSQL: mixing E'' and standard strings makes the escape reading inexact; stay unparsed.
        return !usual.parsed() && other.parsed() && dialect == Dialect.MYSQL ? other : usual;
    }

    private Lineage analyze(String statementSql, List<String> searchPath, boolean backslashEscapes) {
        Statement statement;
        try {
            statement = StatementParser.parse(statementSql, dialect, backslashEscapes);
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

    /** Everything either reading found; complete only if both were. */
    private static Lineage union(Lineage a, Lineage b) {
        Map<TableName, EnumSet<TableUse>> uses = new LinkedHashMap<>();
        for (Lineage l : List.of(a, b)) {
            for (TableAccess access : l.tables()) {
                uses.computeIfAbsent(access.table(), t -> EnumSet.noneOf(TableUse.class)).addAll(access.uses());
            }
        }
        List<TableAccess> tables = new ArrayList<>(uses.size());
        uses.forEach((table, u) -> tables.add(new TableAccess(table, u)));
        Set<ColumnName> reads = new HashSet<>(a.reads());
        reads.addAll(b.reads());
        Set<ColumnName> writes = new HashSet<>(a.writes());
        writes.addAll(b.writes());
        Set<String> functions = new HashSet<>(a.functions());
        functions.addAll(b.functions());
        List<String> notes = new ArrayList<>(a.notes());
        notes.addAll(b.notes());
        // Literals decide which reading applies, so the answer depends on them.
        return new Lineage(true, tables, reads, writes, functions, a.unbounded() || b.unbounded(),
                a.complete() && b.complete(), true, notes);
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
