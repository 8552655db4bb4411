package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.RowCount;
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
     * Hot path: parse once, walk the tree once (per backslash reading when a string holds a backslash).
     *
     * @param statementSql one statement (no terminating semicolon); for MySQL, executable {@code /*! ... *}{@code /}
     *                     comments are read as code here (the caller may have expanded them already)
     * @param searchPath   PostgreSQL's search path, or the MySQL current database as a one-element list; schema
     *                     names already case-folded
     * @return never null and never throws: a statement the parser cannot read gives {@link Lineage#unparsed}
     */
    public Lineage analyze(String statementSql, List<String> searchPath) {
        if (dialect == Dialect.MYSQL) {
            try {
                return analyzeMysql(statementSql, searchPath);
            } catch (RuntimeException | StackOverflowError e) {
                // Fail closed: a text the rebuild did not expect must never pass as "nothing touched".
                return Lineage.unparsed("lineage failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        Lineage usual = analyze(statementSql, searchPath, false);
        if (statementSql.indexOf('\\') < 0) {
            return usual;
        }
        // A backslash may end a string literal in one session mode and escape its quote in the other, so the
        // code outside literals can differ; report what either reading shows.
        Lineage other = analyze(statementSql, searchPath, true);
        if (usual.parsed() && other.parsed()) {
            return union(usual, other);
        }
        // Mixing E'' and standard strings makes the escape reading inexact; stay with the default reading.
        return usual;
    }

    /**
     * MySQL: JSqlParser reads text rebuilt from Gatehouse's lexer tokens ({@link MysqlParserText}), never the
     * statement as written, so comments, {@code --1}, backslashes and executable comments are read one way
     * only. A string with a backslash reads differently with NO_BACKSLASH_ESCAPES, which a session can turn
     * on: both readings are analysed and united; a reading the server would reject (it cannot be lexed) is
     * left out, one it would run but the parser cannot read leaves the lineage incomplete.
     */
    private Lineage analyzeMysql(String statementSql, List<String> searchPath) {
        MysqlParserText.Text usual = MysqlParserText.of(statementSql, true);
        Lineage l = analyzeMysqlEscapes(statementSql, usual, searchPath);
        if (!usual.doubleQuoted() || !l.parsed()) {
            return l;
        }
        // With ANSI_QUOTES (a session can turn it on) "ssn" is a column, not a string: its reads count too. Names
        // that reading cannot resolve would be errors on the server, so only what it adds is kept.
        Lineage ansi = analyzeRebuilt(MysqlParserText.of(statementSql, usual.lexed(), true), searchPath);
        if (!ansi.parsed()) {
            return incomplete(l, "with ANSI_QUOTES the statement reads differently and could not be parsed: " + ansi.notes());
        }
        return addReads(l, ansi);
    }

    private Lineage analyzeMysqlEscapes(String statementSql, MysqlParserText.Text usual, List<String> searchPath) {
        if (!usual.lexed()) {
            MysqlParserText.Text other = MysqlParserText.of(statementSql, false);
            if (!other.lexed()) {
                return Lineage.unparsed("parse error: " + usual.problem());
            }
            // Only a NO_BACKSLASH_ESCAPES session runs this text, and that reading is exact.
            return analyzeRebuilt(other, searchPath);
        }
        Lineage first = analyzeRebuilt(usual, searchPath);
        if (!usual.dependsOnEscapes()) {
            return first;
        }
        MysqlParserText.Text other = MysqlParserText.of(statementSql, false);
        if (!other.lexed()) {
            return first; // a NO_BACKSLASH_ESCAPES session rejects the text
        }
        Lineage second = analyzeRebuilt(other, searchPath);
        if (first.parsed() && second.parsed()) {
            return union(first, second);
        }
        if (first.parsed()) {
            return incomplete(first, "with NO_BACKSLASH_ESCAPES the statement reads differently and could not be parsed: "
                    + second.notes());
        }
        return second.parsed()
                ? incomplete(second, "without NO_BACKSLASH_ESCAPES the statement could not be parsed: " + first.notes())
                : first;
    }

    private Lineage analyzeRebuilt(MysqlParserText.Text text, List<String> searchPath) {
        if (!text.readable()) {
            return Lineage.unparsed("parse error: " + text.problem());
        }
        if (text.database() != null) {
            return wholeDatabase(text.database(), searchPath);
        }
        Statement statement;
        try {
            statement = StatementParser.parse(text.sql(), false, text.bounds());
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            return Lineage.unparsed("parse error: " + StatementParser.shortMessage(e));
        }
        return walk(statement, searchPath);
    }

    /**
     * DROP/ALTER DATABASE s (and CREATE OR REPLACE DATABASE s) reach every table of s: reported as the table
     * {@code s.*} with DDL use, which a rule on {@code s.*} (or {@code *}) matches. Which tables s holds is not
     * known here, so the lineage is incomplete and rules naming one of them match as possible (fail closed).
     */
    private static Lineage wholeDatabase(String database, List<String> searchPath) {
        String schema = !database.isEmpty() ? database : searchPath.isEmpty() ? "(none)" : searchPath.get(0);
        TableName everything = new TableName(schema, "*");
        return new Lineage(true, List.of(new TableAccess(everything, EnumSet.of(TableUse.DDL))), Set.of(), Set.of(),
                Set.of(), false, false, false, List.of("reaches every table of database " + schema + ", reported as " + everything.qualified()));
    }

    /** {@code l} with what {@code more} adds (tables, columns, functions, unbounded); complete as {@code l}. */
    private static Lineage addReads(Lineage l, Lineage more) {
        Lineage u = union(l, more);
        return new Lineage(true, u.tables(), u.reads(), u.writes(), u.functions(), u.unbounded(), l.complete(), true, l.notes(),
                u.rowCount());
    }

    private static Lineage incomplete(Lineage l, String why) {
        List<String> notes = new ArrayList<>(l.notes());
        notes.add(why);
        return new Lineage(l.parsed(), l.tables(), l.reads(), l.writes(), l.functions(), l.unbounded(), false, true, notes,
                l.rowCount());
    }

    private Lineage analyze(String statementSql, List<String> searchPath, boolean backslashEscapes) {
        Statement statement;
        try {
            statement = StatementParser.parse(statementSql, dialect, backslashEscapes);
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            return Lineage.unparsed("parse error: " + StatementParser.shortMessage(e));
        }
        return walk(statement, searchPath);
    }

    private Lineage walk(Statement statement, List<String> searchPath) {
        try {
            StatementLineage walker = new StatementLineage(dialect, catalog, views, searchPath);
            walker.walk(statement);
            return walker.result().withRowCount(MysqlRowCount.of(statement));
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
                a.complete() && b.complete(), true, notes, eitherCount(a.rowCount(), b.rowCount()));
    }

    /** Two readings' row counts: the one that tells less; readings of different forms tell nothing. */
    private static RowCount eitherCount(RowCount a, RowCount b) {
        if (a == null || b == null) {
            return a == b ? null : RowCount.UNCOUNTED;
        }
        return a.either(b);
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
