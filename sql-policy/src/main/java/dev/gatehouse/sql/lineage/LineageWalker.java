package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.analysis.TableUse;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.catalog.Relation;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.WindowDefinition;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.Distinct;
import net.sf.jsqlparser.statement.select.Fetch;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.Offset;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.select.TableStatement;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks the queries of one statement: resolves tables through the search path and the catalog, columns
 * through the FROM scopes, and expands stars, whole-row references, CTEs, views and derived tables down to
 * base-table columns. One instance per analysed statement, on the caller's thread; statement-level rules
 * (targets, writes, unbounded) live in {@link StatementLineage}, which extends this.
 */
abstract sealed class LineageWalker extends ColumnReads permits StatementLineage {
    /** Views nested deeper than this are not expanded (a hand-written catalog could even loop). */
    private static final int MAX_VIEW_DEPTH = 16;
    private static final String NO_DATABASE = "(none)";

    final Catalog catalog;
    private final ViewDefinitions views;
    List<String> searchPath;
    private int viewDepth;

    LineageWalker(Dialect dialect, Catalog catalog, ViewDefinitions views, List<String> searchPath) {
        super(dialect);
        this.catalog = catalog;
        this.views = views;
        this.searchPath = searchPath;
    }

    // ---------------------------------------------------------------- tables

    /**
     * Hot path: a table name as the dialect resolves it. PostgreSQL: the first schema of the search path whose
     * catalog entry has the table; else {@code pg_catalog} for {@code pg_*} names (searched implicitly first by
     * the server); else the first schema of the path other than {@code $user} (the session user is unknown
     * here), {@code pg_catalog} and {@code pg_temp}; else {@code public}. MySQL: the current database.
     */
    final TableName resolveTableName(Table t) {
        String name = fold(t.getName());
        String schema = t.getSchemaName();
        if (schema != null) {
            return new TableName(fold(schema), name);
        }
        List<String> path = searchPath;
        if (dialect == Dialect.MYSQL) {
            if (path.isEmpty()) {
                incomplete("no current database to resolve " + name);
                return new TableName(NO_DATABASE, name);
            }
            return new TableName(path.get(0), name);
        }
        return SearchPaths.resolve(catalog, path, name);
    }

    /** Adds a FROM-clause table (or CTE) to {@code sc} and records its use. */
    final Source addTable(Table t, Scope sc, TableUse use) {
        String name = fold(t.getName());
        String alias = t.getAlias() != null ? fold(t.getAlias().getName()) : name;
        if (t.getSchemaName() == null) {
            Shape cte = sc.cte(name);
            if (cte != null) {
                Source source = Source.derived(alias, null, cte);
                sc.add(source);
                return source;
            }
        }
        TableName table = resolveTableName(t);
        use(table, use);
        if (dialect == Dialect.MYSQL && isStatisticsTable(table)) {
            incomplete("statistics table " + table.qualified() + " hands out values of other tables' columns");
        }
        Source source = sourceFor(alias, table);
        sc.add(source);
        return source;
    }

    /**
     * MariaDB's engine-independent statistics ({@code mysql.column_stats}: min, max, histograms), InnoDB's index
     * statistics and MySQL's histograms ({@code information_schema.column_statistics}) hold values of the
     * columns they describe, so reading them may read any column: column rules must not be satisfied.
     */
    private static boolean isStatisticsTable(TableName t) {
        return (t.schema().equals("mysql") && (t.name().equals("column_stats") || t.name().equals("innodb_index_stats")))
                || (t.schema().equals("information_schema") && t.name().equals("column_statistics"));
    }

    /** What a resolved table looks like to column references: catalog columns, a view's lineage, or unknown. */
    final Source sourceFor(String alias, TableName table) {
        Relation relation = catalog.find(table).orElse(null);
        if (relation == null) {
            return Source.unknownTable(alias, table);
        }
        if (relation.isView()) {
            return Source.derived(alias, table, expandView(relation));
        }
        return Source.table(alias, table, relation.columns());
    }

    private Shape expandView(Relation view) {
        if (viewDepth >= MAX_VIEW_DEPTH) {
            incomplete("views nested deeper than " + MAX_VIEW_DEPTH + " at " + view.name());
            return opaqueShape(view.columns());
        }
        ViewDefinitions.Parsed parsed = views.definition(view, dialect);
        if (parsed.select() == null) {
            incomplete("definition of view " + view.name() + " could not be parsed: " + parsed.error());
            return opaqueShape(view.columns());
        }
        List<String> outerPath = searchPath;
        // A view's unqualified names were bound when it was created; its own schema is the best guess.
        List<String> viewPath = new ArrayList<>(outerPath.size() + 1);
        viewPath.add(view.name().schema());
        viewPath.addAll(outerPath);
        searchPath = viewPath;
        viewDepth++;
        try {
            return walkSelect(parsed.select(), null).renamed(view.columns());
        } finally {
            viewDepth--;
            searchPath = outerPath;
        }
    }

    private static Shape opaqueShape(List<String> names) {
        List<Set<ColumnName>> lineage = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            lineage.add(Set.of());
        }
        return new Shape(names, lineage, false);
    }

    // ---------------------------------------------------------------- queries

    /** Hot path: output shape of any query form; column reads outside the select list go to {@link #reads}. */
    @Override
    final Shape walkSelect(Select select, Scope parent) {
        Shape savedOutputs = aliasOutputs;
        aliasOutputs = null;
        try {
            Scope sc = parent;
            List<WithItem<?>> with = select.getWithItemsList();
            if (with != null && !with.isEmpty()) {
                sc = new Scope(parent);
                defineCtes(with, sc);
            }
            Shape shape;
            if (select instanceof PlainSelect ps) {
                shape = walkPlainSelect(ps, sc);
            } else if (select instanceof SetOperationList so) {
                shape = walkSetOperations(so, sc);
            } else if (select instanceof ParenthesedSelect p) {
                shape = walkSelect(p.getSelect(), sc);
                orderByOutputs(p.getOrderByElements(), sc, shape);
            } else if (select instanceof Values v) {
                shape = walkValues(v, sc);
            } else if (select instanceof TableStatement ts) {
                Scope own = new Scope(sc);
                Source source = addTable(ts.getTable(), own, TableUse.READ);
                shape = starShape(own, source);
            } else {
                incomplete("query form " + select.getClass().getSimpleName() + " is not analysed");
                shape = new Shape(List.of(), List.of(), false);
            }
            limits(select, sc);
            return shape;
        } finally {
            aliasOutputs = savedOutputs;
        }
    }

    /** LIMIT / OFFSET / FETCH may hold subqueries, whose values leak through the row count. */
    private void limits(Select select, Scope sc) {
        Limit limit = select.getLimit();
        if (limit != null) {
            read(limit.getRowCount(), sc, reads);
            read(limit.getOffset(), sc, reads);
        }
        Offset offset = select.getOffset();
        if (offset != null) {
            read(offset.getOffset(), sc, reads);
        }
        Fetch fetch = select.getFetch();
        if (fetch != null) {
            read(fetch.getExpression(), sc, reads);
        }
    }

    final void defineCtes(List<WithItem<?>> items, Scope sc) {
        boolean recursive = items.get(0).isRecursive();
        for (WithItem<?> item : items) {
            String name = fold(item.getAlias().getName());
            List<String> renamed = selectItemNames(item.getWithItemList());
            Shape shape;
            if (item.getParenthesedStatement() instanceof ParenthesedSelect body) {
                if ((recursive || item.isRecursive()) && body.getSelect() instanceof SetOperationList so) {
                    // The non-recursive branch defines the columns; re-walk until the lineage stops growing.
                    sc.defineCte(name, walkSelect(so.getSelects().get(0), sc).renamed(renamed));
                    shape = sc.cte(name);
                    for (int round = 0; round < 4; round++) {
                        Shape next = walkSelect(body, sc).renamed(renamed);
                        sc.defineCte(name, next);
                        boolean stable = next.equals(shape);
                        shape = next;
                        if (stable) {
                            break;
                        }
                    }
                } else {
                    shape = walkSelect(body, sc).renamed(renamed);
                }
            } else {
                shape = walkModifyingCte(item, sc).renamed(renamed);
            }
            sc.defineCte(name, shape);
        }
    }

    /** Data-modifying CTE ({@code WITH d AS (DELETE ... RETURNING *)}); statement rules live in the subclass. */
    abstract Shape walkModifyingCte(WithItem<?> item, Scope sc);

    private Shape walkPlainSelect(PlainSelect ps, Scope parent) {
        Scope sc = new Scope(parent);
        addFromItems(ps.getFromItem(), ps.getJoins(), sc, TableUse.READ);
        read(ps.getWhere(), sc, reads);
        Shape out = selectItems(ps.getSelectItems(), sc);
        Distinct distinct = ps.getDistinct();
        if (distinct != null && distinct.getOnSelectItems() != null) {
            for (SelectItem<?> item : distinct.getOnSelectItems()) {
                readWithOutputs(item.getExpression(), sc, out, false);
            }
        }
        GroupByElement groupBy = ps.getGroupBy();
        if (groupBy != null) {
            readWithOutputs(groupBy.getGroupByExpressionList(), sc, out, false);
            List<ExpressionList<Expression>> sets = groupBy.getGroupingSets();
            if (sets != null) {
                for (ExpressionList<Expression> set : sets) {
                    readWithOutputs(set, sc, out, false);
                }
            }
        }
        readWithOutputs(ps.getHaving(), sc, out, false);
        List<WindowDefinition> windows = ps.getWindowDefinitions();
        if (windows != null) {
            for (WindowDefinition w : windows) {
                read(w.getPartitionExpressionList(), sc, reads);
                orderBy(w.getOrderByElements(), sc, null);
            }
        }
        read(ps.getQualify(), sc, reads);
        orderBy(ps.getOrderByElements(), sc, out);
        List<Table> into = ps.getIntoTables();
        if (into != null) {
            // SELECT ... INTO new_table creates and fills a table.
            for (Table t : into) {
                TableName target = resolveTableName(t);
                use(target, TableUse.DDL);
                use(target, TableUse.WRITE);
                for (String column : out.names()) {
                    writes.add(new ColumnName(target, column));
                }
            }
        }
        return out;
    }

    /** FROM items and their joins; join conditions are read once every item is in scope. */
    final void addFromItems(FromItem from, List<Join> joins, Scope sc, TableUse use) {
        if (from != null) {
            addFromItem(from, sc, use);
        }
        if (joins == null) {
            return;
        }
        for (Join join : joins) {
            int left = sc.sources.size();
            addFromItem(join.getFromItem(), sc, use);
            if (join.isNatural() && dialect == Dialect.MYSQL) {
                naturalJoin(sc, left);
            }
        }
        joinConditions(joins, sc);
    }

    /**
     * NATURAL JOIN compares every column name the two sides share: those columns of both sides are read (their
     * values decide which rows come back). Sources {@code 0..left-1} of {@code sc} are the left side.
     */
    private void naturalJoin(Scope sc, int left) {
        List<Source> sources = sc.sources;
        for (int r = left; r < sources.size(); r++) {
            Source right = sources.get(r);
            if (!right.shapeKnown() || right.columns() == null) {
                incomplete("NATURAL JOIN with " + describe(right) + ", whose columns are not known");
                continue;
            }
            for (int l = 0; l < left; l++) {
                Source other = sources.get(l);
                if (!other.shapeKnown() || other.columns() == null) {
                    incomplete("NATURAL JOIN with " + describe(other) + ", whose columns are not known");
                    continue;
                }
                for (int c = 0; c < right.columns().size(); c++) {
                    int match = other.indexOf(right.columns().get(c));
                    if (match >= 0) {
                        right.addColumn(c, reads);
                        other.addColumn(match, reads);
                    }
                }
            }
        }
    }

    final void joinConditions(List<Join> joins, Scope sc) {
        for (Join join : joins) {
            for (Expression on : join.getOnExpressions()) {
                read(on, sc, reads);
            }
            List<Column> using = join.getUsingColumns();
            if (using != null) {
                for (Column c : using) {
                    read(c, sc, reads);
                }
            }
        }
    }

    final void addFromItem(FromItem item, Scope sc, TableUse use) {
        if (item instanceof Table t) {
            addTable(t, sc, use);
        } else if (item instanceof ParenthesedSelect p) {
            Shape shape = walkSelect(p, sc).renamed(aliasColumns(p.getAlias()));
            sc.add(Source.derived(aliasName(p.getAlias()), null, shape));
        } else if (item instanceof ParenthesedFromItem pf) {
            if (pf.getAlias() != null && pf.getJoins() == null && pf.getFromItem() instanceof Select inner) {
                // (VALUES ...) v(a, b) and friends: a derived table named by the outer alias.
                Shape shape = walkSelect(inner, sc).renamed(aliasColumns(pf.getAlias()));
                sc.add(Source.derived(aliasName(pf.getAlias()), null, shape));
            } else {
                addFromItems(pf.getFromItem(), pf.getJoins(), sc, use);
            }
        } else if (item instanceof TableFunction tf) {
            read(tf.getFunction(), sc, reads);
            Alias alias = tf.getAlias();
            String name = alias != null ? fold(alias.getName()) : fold(lastPart(tf.getFunction()));
            sc.add(Source.opaque(name, aliasColumns(alias)));
        } else if (item instanceof Select other) {
            Shape shape = walkSelect(other, sc).renamed(aliasColumns(other.getAlias()));
            sc.add(Source.derived(aliasName(other.getAlias()), null, shape));
        } else {
            incomplete("FROM item " + item.getClass().getSimpleName() + " is not analysed");
        }
    }

    private Shape walkSetOperations(SetOperationList so, Scope parent) {
        List<Select> branches = so.getSelects();
        Shape first = walkSelect(branches.get(0), parent);
        List<Set<ColumnName>> lineage = new ArrayList<>(first.lineage().size());
        for (Set<ColumnName> columns : first.lineage()) {
            lineage.add(new HashSet<>(columns));
        }
        boolean shapeComplete = first.complete();
        for (int i = 1; i < branches.size(); i++) {
            Shape branch = walkSelect(branches.get(i), parent);
            shapeComplete &= branch.complete();
            for (int c = 0; c < lineage.size() && c < branch.lineage().size(); c++) {
                lineage.get(c).addAll(branch.lineage().get(c));
            }
        }
        Shape out = new Shape(first.names(), lineage, shapeComplete);
        orderByOutputs(so.getOrderByElements(), parent, out);
        return out;
    }

    /** ORDER BY of a set operation or parenthesised query: names refer to its output columns. */
    private void orderByOutputs(List<OrderByElement> order, Scope parent, Shape out) {
        if (order != null && !order.isEmpty()) {
            orderBy(order, new Scope(parent), out);
        }
    }

    private Shape walkValues(Values values, Scope sc) {
        ExpressionList<?> rows = values.getExpressions();
        Set<ColumnName> all = new HashSet<>(2);
        read(rows, sc, all);
        int width = !rows.isEmpty() && rows.get(0) instanceof ExpressionList<?> row ? row.size() : 1;
        List<String> names = new ArrayList<>(width);
        List<Set<ColumnName>> lineage = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
            names.add("column" + i);
            lineage.add(all);
        }
        return new Shape(names, lineage, true);
    }

    /** Output shape of a select list; stars and {@code t.*} expand through the scope's entries. */
    final Shape selectItems(List<? extends SelectItem<?>> items, Scope sc) {
        List<String> names = new ArrayList<>(items.size());
        List<Set<ColumnName>> lineage = new ArrayList<>(items.size());
        boolean shapeComplete = true;
        for (SelectItem<?> item : items) {
            Expression e = item.getExpression();
            if (e instanceof AllTableColumns atc) {
                Table t = atc.getTable();
                Source source = sc.byQualifier(fold(t.getName()),
                        t.getSchemaName() == null ? null : fold(t.getSchemaName()));
                if (source == null) {
                    incomplete("no table " + t.getName() + " for " + t.getName() + ".*");
                    shapeComplete = false;
                } else {
                    shapeComplete &= expand(source, names, lineage);
                }
            } else if (e instanceof AllColumns) {
                for (Source source : sc.sources) {
                    shapeComplete &= expand(source, names, lineage);
                }
            } else {
                Set<ColumnName> columns = new HashSet<>(4);
                read(e, sc, columns);
                names.add(outputName(item));
                lineage.add(columns);
            }
        }
        return new Shape(names, lineage, shapeComplete);
    }

    private Shape starShape(Scope sc, Source source) {
        List<String> names = new ArrayList<>();
        List<Set<ColumnName>> lineage = new ArrayList<>();
        boolean shapeComplete = expand(source, names, lineage);
        return new Shape(names, lineage, shapeComplete);
    }

    private String outputName(SelectItem<?> item) {
        if (item.getAlias() != null) {
            return fold(item.getAlias().getName());
        }
        Expression e = item.getExpression();
        if (e instanceof Column c) {
            return fold(c.getColumnName());
        }
        if (e instanceof Function f) {
            return fold(lastPart(f));
        }
        return "?column?";
    }

    private static String lastPart(Function f) {
        List<String> parts = f.getMultipartName();
        return parts == null || parts.isEmpty() ? f.getName() : parts.get(parts.size() - 1);
    }

    private String aliasName(Alias alias) {
        return alias == null ? null : fold(alias.getName());
    }

    private List<String> aliasColumns(Alias alias) {
        if (alias == null || alias.getAliasColumns() == null || alias.getAliasColumns().isEmpty()) {
            return null;
        }
        List<Alias.AliasColumn> columns = alias.getAliasColumns();
        List<String> names = new ArrayList<>(columns.size());
        for (Alias.AliasColumn c : columns) {
            names.add(fold(c.name));
        }
        return names;
    }

    private List<String> selectItemNames(List<SelectItem<?>> items) {
        if (items == null || items.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>(items.size());
        for (SelectItem<?> item : items) {
            Expression e = item.getExpression();
            names.add(e instanceof Column c ? fold(c.getColumnName()) : fold(e.toString()));
        }
        return names;
    }
}
