package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.TableAccess;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.analysis.TableUse;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JsonAggregateFunction;
import net.sf.jsqlparser.expression.JsonFunction;
import net.sf.jsqlparser.expression.JsonFunctionType;
import net.sf.jsqlparser.expression.JsonKeyValuePair;
import net.sf.jsqlparser.expression.MySQLGroupConcat;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.WindowDefinition;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Column references of one statement: resolves each name through the FROM scopes (qualified by alias,
 * unqualified by search from the innermost level out, whole-row references, select-list aliases in ORDER BY /
 * GROUP BY), records functions, and accumulates the facts a {@link Lineage} reports. The query walk that
 * builds the scopes lives in {@link LineageWalker}. One instance per analysed statement, on the caller's thread.
 */
abstract sealed class ColumnReads permits LineageWalker {
    /** Names PostgreSQL and MySQL read as session values when no column has them. */
    private static final Set<String> SESSION_KEYWORDS = Set.of("current_user", "session_user", "user",
            "current_role", "current_schema", "current_catalog", "system_user", "localtime", "localtimestamp",
            "current_time", "current_timestamp", "current_date");
    /** Notes are for people; a handful is enough and keeps a hostile statement from growing the result. */
    private static final int MAX_NOTES = 16;

    final Dialect dialect;

    private final Map<TableName, EnumSet<TableUse>> tables = new LinkedHashMap<>();
    final Set<ColumnName> reads = new HashSet<>();
    final Set<ColumnName> writes = new HashSet<>();
    private final Set<String> functions = new HashSet<>(4);
    private final List<String> notes = new ArrayList<>(2);
    boolean complete = true;
    boolean unbounded;
    boolean literalsMatter;

    // Expression-walk state, saved and restored around every nested walk.
    private Scope scope;
    private Set<ColumnName> sink;
    Shape aliasOutputs;
    private boolean aliasFirst;
    /**
     * True while reading values outside any query (MySQL SET and SHOW ... WHERE/LIKE): a bare name there is a
     * keyword value ({@code SET sql_mode = ANSI}) or a result column of the SHOW, never table data; only
     * subqueries read tables.
     */
    private boolean namesAreValues;
    private final Expressions expressions = new Expressions();

    ColumnReads(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The query walk: output shape of a query, used here for subqueries inside expressions. */
    abstract Shape walkSelect(Select select, Scope parent);

    static boolean isSessionKeyword(String folded) {
        return SESSION_KEYWORDS.contains(folded);
    }

    final Lineage result() {
        List<TableAccess> accesses = new ArrayList<>(tables.size());
        for (Map.Entry<TableName, EnumSet<TableUse>> e : tables.entrySet()) {
            accesses.add(new TableAccess(e.getKey(), e.getValue()));
        }
        return new Lineage(true, accesses, reads, writes, functions, unbounded, complete, literalsMatter, notes);
    }

    final void incomplete(String why) {
        complete = false;
        if (notes.size() < MAX_NOTES && !notes.contains(why)) {
            notes.add(why);
        }
    }

    final String fold(String raw) {
        return Identifiers.fold(raw, dialect);
    }

    final void use(TableName table, TableUse use) {
        EnumSet<TableUse> uses = tables.get(table);
        if (uses == null) {
            tables.put(table, EnumSet.of(use));
        } else {
            uses.add(use);
        }
    }

    /**
     * MySQL multi-table UPDATE/DELETE list every table in one FROM-like clause; the ones written are targets
     * (WRITE only, as a single-table target), the rest are READ.
     */
    final void targetsAreWriteOnly() {
        for (EnumSet<TableUse> uses : tables.values()) {
            if (uses.contains(TableUse.WRITE)) {
                uses.remove(TableUse.READ);
            }
        }
    }

    /** Appends every column of {@code source}; false (and the statement incomplete) when they are unknown. */
    final boolean expand(Source source, List<String> names, List<Set<ColumnName>> lineage) {
        switch (source.kind()) {
            case TABLE -> {
                for (String column : source.columns()) {
                    names.add(column);
                    lineage.add(Set.of(new ColumnName(source.table(), column)));
                }
                return true;
            }
            case DERIVED -> {
                names.addAll(source.shape().names());
                lineage.addAll(source.shape().lineage());
                return source.shape().complete();
            }
            case OPAQUE -> {
                if (source.columns() != null) {
                    for (String column : source.columns()) {
                        names.add(column);
                        lineage.add(Set.of());
                    }
                }
                return true;
            }
            case UNKNOWN_TABLE -> {
                incomplete("cannot expand the columns of " + source.table() + ": not in the catalog");
                return false;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- expressions

    /** Reads every column {@code e} mentions into {@code into}, resolving names in {@code sc}. */
    final void read(Expression e, Scope sc, Set<ColumnName> into) {
        if (e == null) {
            return;
        }
        Scope savedScope = scope;
        Set<ColumnName> savedSink = sink;
        scope = sc;
        sink = into;
        try {
            e.accept(expressions, null);
        } finally {
            scope = savedScope;
            sink = savedSink;
        }
    }

    /** Reads what the subqueries of a value expression read; names outside them are values (see {@link #namesAreValues}). */
    final void readValue(Expression e) {
        boolean saved = namesAreValues;
        namesAreValues = true;
        try {
            read(e, null, reads);
        } finally {
            namesAreValues = saved;
        }
    }

    /** Reads with the select list's aliases visible (ORDER BY prefers them, GROUP BY and HAVING fall back to them). */
    final void readWithOutputs(Expression e, Scope sc, Shape outputs, boolean outputsFirst) {
        if (e == null) {
            return;
        }
        Shape saved = aliasOutputs;
        boolean savedFirst = aliasFirst;
        aliasOutputs = outputs;
        aliasFirst = outputsFirst;
        try {
            read(e, sc, reads);
        } finally {
            aliasOutputs = saved;
            aliasFirst = savedFirst;
        }
    }

    final void orderBy(List<OrderByElement> order, Scope sc, Shape outputs) {
        if (order == null) {
            return;
        }
        for (OrderByElement o : order) {
            readWithOutputs(o.getExpression(), sc, outputs, true);
        }
    }

    private void subquery(Select select) {
        Set<ColumnName> into = sink;
        boolean savedValues = namesAreValues;
        namesAreValues = false; // inside a subquery, names are columns again
        try {
            Shape shape = walkSelect(select, scope);
            for (Set<ColumnName> columns : shape.lineage()) {
                into.addAll(columns);
            }
        } finally {
            namesAreValues = savedValues;
        }
    }

    private void recordFunction(List<String> parts, String whole) {
        if (parts == null || parts.isEmpty()) {
            if (!isConstruct(whole)) {
                functions.add(fold(whole));
            }
            return;
        }
        if (parts.size() == 1) {
            if (!isConstruct(parts.get(0))) {
                functions.add(fold(parts.get(0)));
            }
            return;
        }
        StringBuilder name = new StringBuilder(32);
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                name.append('.');
            }
            name.append(fold(parts.get(i)));
        }
        functions.add(name.toString());
    }

    /**
     * JSqlParser models some row and array constructs ({@code = ANY (...)}, {@code ROW(1, 2)}) as calls.
     * They call nothing, and reporting them would make {@code functions:} rules fire on plain comparisons.
     */
    private static boolean isConstruct(String name) {
        return name.equalsIgnoreCase("any") || name.equalsIgnoreCase("all") || name.equalsIgnoreCase("some")
                || name.equalsIgnoreCase("row");
    }

    /** Hot path: resolves one column reference into {@link #sink}. */
    private void resolveColumn(Column c) {
        if (namesAreValues && scope == null) {
            return;
        }
        String raw = c.getColumnName();
        Table t = c.getTable();
        String rawQualifier = t == null ? null : t.getName();
        if (rawQualifier == null) {
            if (dialect == Dialect.MYSQL && Identifiers.isDoubleQuoted(raw)) {
                return; // MySQL's default mode reads "x" as a string literal
            }
            if (raw.equalsIgnoreCase("default")) {
                return; // SET a = DEFAULT, VALUES (DEFAULT): reserved word, reads nothing
            }
            resolveUnqualified(fold(raw));
            return;
        }
        String column = fold(raw);
        String qualifier = fold(rawQualifier);
        String schema = t.getSchemaName() == null ? null : fold(t.getSchemaName());
        Source source = scope == null ? null : scope.byQualifierInChain(qualifier, schema);
        if (source == null) {
            incomplete("no table or alias " + qualifier + " in scope for column " + qualifier + "." + column);
            return;
        }
        resolveIn(source, column);
    }

    private void resolveIn(Source source, String column) {
        switch (source.kind()) {
            case TABLE, DERIVED -> {
                int i = source.indexOf(column);
                if (i >= 0) {
                    source.addColumn(i, sink);
                } else {
                    incomplete("column " + column + " is not known in " + describe(source));
                }
            }
            case UNKNOWN_TABLE -> sink.add(new ColumnName(source.table(), column));
            case OPAQUE -> {
                // function results and VALUES hold no stored data
            }
        }
    }

    static String describe(Source source) {
        return source.table() != null ? source.table().qualified() : String.valueOf(source.alias());
    }

    private void resolveUnqualified(String column) {
        if (aliasOutputs != null && aliasFirst && fromOutputs(column)) {
            return;
        }
        for (Scope level = scope; level != null; level = level.parent) {
            if (resolveAtLevel(level, column)) {
                return;
            }
        }
        if (aliasOutputs != null && !aliasFirst && fromOutputs(column)) {
            return;
        }
        // PostgreSQL: a bare table name in an expression is the whole row (SELECT t FROM t, row_to_json(t)).
        Source whole = scope == null ? null : scope.byQualifierInChain(column, null);
        if (whole != null) {
            readWholeRow(whole);
            return;
        }
        if (!SESSION_KEYWORDS.contains(column)) {
            incomplete("column " + column + " not found in any table in scope");
        }
    }

    /** Every column of a FROM entry into the sink: {@code SELECT t FROM t}, {@code row_to_json(t)}, {@code f(t.*)}. */
    private void readWholeRow(Source source) {
        List<String> ignoredNames = new ArrayList<>();
        List<Set<ColumnName>> lineage = new ArrayList<>();
        expand(source, ignoredNames, lineage);
        for (Set<ColumnName> columns : lineage) {
            sink.addAll(columns);
        }
    }

    /** One query level: known columns win; else tables of unknown shape; else a function source. */
    private boolean resolveAtLevel(Scope level, String column) {
        List<Source> sources = level.sources;
        int matched = 0;
        int unknown = 0;
        boolean opaque = false;
        for (int i = 0, size = sources.size(); i < size; i++) {
            Source source = sources.get(i);
            switch (source.kind()) {
                case TABLE, DERIVED -> {
                    int index = source.indexOf(column);
                    if (index >= 0) {
                        source.addColumn(index, sink);
                        matched++;
                    } else if (!source.shapeKnown()) {
                        unknown++;
                    }
                }
                case UNKNOWN_TABLE -> unknown++;
                case OPAQUE -> opaque |= source.columns() == null || source.indexOf(column) >= 0;
            }
        }
        if (matched > 0) {
            return true;
        }
        if (unknown == 0) {
            return opaque;
        }
        for (int i = 0, size = sources.size(); i < size; i++) {
            Source source = sources.get(i);
            if (source.kind() == Source.Kind.UNKNOWN_TABLE) {
                sink.add(new ColumnName(source.table(), column));
            }
        }
        if (unknown > 1) {
            incomplete("column " + column + " could belong to any of several tables the catalog does not know");
        } else {
            for (int i = 0, size = sources.size(); i < size; i++) {
                if (sources.get(i).kind() == Source.Kind.DERIVED) {
                    incomplete("column " + column + " may come from a subquery whose columns are unknown");
                }
            }
        }
        return true;
    }

    private boolean fromOutputs(String column) {
        int i = aliasOutputs.indexOf(column);
        if (i < 0) {
            return false;
        }
        sink.addAll(aliasOutputs.lineage().get(i));
        return true;
    }

    /** Visits expressions; everything not overridden is traversed by the adapter. */
    private final class Expressions extends ExpressionVisitorAdapter<Void> {
        @Override
        public <S> Void visit(Column column, S context) {
            resolveColumn(column);
            return null;
        }

        @Override
        public <S> Void visit(Function function, S context) {
            recordFunction(function.getMultipartName(), function.getName());
            // The adapter skips named arguments: substring(x FROM 1 FOR 2), position('a' IN x).
            ExpressionList<?> named = function.getNamedParameters();
            if (named != null) {
                named.accept(this, context);
            }
            return super.visit(function, context);
        }

        @Override
        public <S> Void visit(JsonFunction json, S context) {
            functions.add(json.getType() == JsonFunctionType.ARRAY ? "json_array" : "json_object");
            // The adapter visits positional arguments only, not JSON_OBJECT's key/value pairs.
            if (json.getKeyValuePairs() != null) {
                for (JsonKeyValuePair pair : json.getKeyValuePairs()) {
                    if (pair.getKey() instanceof Expression key) {
                        key.accept(this, context);
                    }
                    if (pair.getValue() instanceof Expression value) {
                        value.accept(this, context);
                    }
                }
            }
            return super.visit(json, context);
        }

        @Override
        public <S> Void visit(MySQLGroupConcat groupConcat, S context) {
            functions.add("group_concat");
            return super.visit(groupConcat, context);
        }

        @Override
        public <S> Void visit(JsonAggregateFunction json, S context) {
            functions.add(json.getType() == JsonFunctionType.ARRAY ? "json_arrayagg" : "json_objectagg");
            return super.visit(json, context);
        }

        @Override
        public <S> Void visit(TrimFunction trim, S context) {
            functions.add("trim");
            // The adapter visits neither operand of TRIM([BOTH|LEADING|TRAILING] x FROM y).
            if (trim.getExpression() != null) {
                trim.getExpression().accept(this, context);
            }
            if (trim.getFromExpression() != null) {
                trim.getFromExpression().accept(this, context);
            }
            return null;
        }

        @Override
        public <S> Void visit(AnyComparisonExpression any, S context) {
            subquery(any.getSelect()); // the adapter does not descend into ANY/ALL (SELECT ...)
            return null;
        }

        @Override
        public <S> Void visit(AnalyticExpression expression, S context) {
            recordFunction(null, expression.getName());
            super.visit(expression, context);
            // Not visited by the adapter: FILTER (WHERE ...), PARTITION BY, a window given inline.
            if (expression.getFilterExpression() != null) {
                expression.getFilterExpression().accept(this, context);
            }
            read(expression.getPartitionExpressionList(), scope, reads);
            WindowDefinition window = expression.getWindowDefinition();
            if (window != null) {
                read(window.getPartitionExpressionList(), scope, reads);
                orderBy(window.getOrderByElements(), scope, null);
            }
            return null;
        }

        @Override
        public <S> Void visit(ParenthesedSelect select, S context) {
            subquery(select);
            return null;
        }

        @Override
        public <S> Void visit(Select select, S context) {
            subquery(select);
            return null;
        }

        @Override
        public <S> Void visit(AllColumns allColumns, S context) {
            return null; // count(*): no column's value is read
        }

        @Override
        public <S> Void visit(AllTableColumns allTableColumns, S context) {
            Table t = allTableColumns.getTable();
            Source source = scope == null ? null : scope.byQualifierInChain(fold(t.getName()), null);
            if (source != null) {
                readWholeRow(source);
            }
            return null;
        }
    }
}
