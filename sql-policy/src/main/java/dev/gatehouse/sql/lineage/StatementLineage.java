package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.analysis.TableUse;
import dev.gatehouse.sql.catalog.Catalog;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.ResetStatement;
import net.sf.jsqlparser.statement.ParenthesedStatement;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.SavepointStatement;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.ShowColumnsStatement;
import net.sf.jsqlparser.statement.ShowStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UseStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.schema.CreateSchema;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.AlterView;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.InsertConflictAction;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.merge.MergeDelete;
import net.sf.jsqlparser.statement.merge.MergeInsert;
import net.sf.jsqlparser.statement.merge.MergeOperation;
import net.sf.jsqlparser.statement.merge.MergeUpdate;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.show.ShowTablesStatement;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.upsert.UpsertType;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Statement-level lineage: which tables a statement writes or changes, which columns it writes, and whether
 * an UPDATE/DELETE is unbounded. Decisions worth knowing:
 * <ul>
 *   <li>DELETE, TRUNCATE, MERGE ... DELETE and REPLACE write every column of the rows they remove: a
 *       vanished row changes all its values, so a rule protecting {@code users.ssn} sees them.</li>
 *   <li>RETURNING columns are reads even inside a data-modifying CTE (over-reporting is the safe side).</li>
 *   <li>CREATE VIEW reports its definition's reads: the view will expose exactly those values.</li>
 *   <li>Statements with no table lineage (SET, SHOW, transaction control...) are complete and empty; any
 *       other statement type the walker does not know makes the lineage incomplete.</li>
 * </ul>
 * One instance per statement, on the caller's thread.
 */
final class StatementLineage extends LineageWalker {

    StatementLineage(Dialect dialect, Catalog catalog, ViewDefinitions views, List<String> searchPath) {
        super(dialect, catalog, views, searchPath);
    }

    /** Hot path: dispatches on the statement type. */
    void walk(Statement statement) {
        if (statement instanceof Select select) {
            readAll(walkSelect(select, null));
        } else if (statement instanceof Insert insert) {
            walkInsert(insert, null);
        } else if (statement instanceof Update update) {
            walkUpdate(update, null);
        } else if (statement instanceof Delete delete) {
            walkDelete(delete, null);
        } else if (statement instanceof Merge merge) {
            walkMerge(merge);
        } else if (statement instanceof Upsert upsert) {
            walkUpsert(upsert);
        } else if (statement instanceof CreateTable create) {
            walkCreateTable(create);
        } else if (statement instanceof CreateView view) {
            TableName name = resolveTableName(view.getView());
            use(name, TableUse.DDL);
            if (view.isMaterialized()) {
                use(name, TableUse.WRITE); // a materialized view stores the rows it selects
            }
            readAll(walkSelect(view.getSelect(), null));
        } else if (statement instanceof AlterView view) {
            use(resolveTableName(view.getView()), TableUse.DDL);
            readAll(walkSelect(view.getSelect(), null));
        } else if (statement instanceof Alter alter) {
            walkAlter(alter);
        } else if (statement instanceof Drop drop) {
            walkDrop(drop);
        } else if (statement instanceof Truncate truncate) {
            walkTruncate(truncate);
        } else if (statement instanceof CreateIndex index) {
            use(resolveTableName(index.getTable()), TableUse.DDL);
        } else if (statement instanceof ExplainStatement explain) {
            if (explain.getStatement() != null) {
                walk(explain.getStatement());
            }
        } else if (dialect == Dialect.MYSQL && statement instanceof SetStatement set) {
            // SET @x = (SELECT ssn FROM users): the value reaches a variable, and from there anything.
            for (int i = 0, n = set.getCount(); i < n; i++) {
                List<Expression> values = set.getExpressions(i);
                if (values != null) {
                    for (Expression value : values) {
                        readValue(value);
                    }
                }
            }
        } else if (dialect == Dialect.MYSQL && statement instanceof ShowTablesStatement show) {
            // SHOW TABLES WHERE / LIKE may hold subqueries; their values decide which rows come back.
            readValue(show.getWhereCondition());
            readValue(show.getLikeExpression());
        } else if (statement instanceof SetStatement || statement instanceof ResetStatement
                || statement instanceof ShowStatement || statement instanceof UseStatement
                || statement instanceof ShowTablesStatement || statement instanceof ShowColumnsStatement
                || statement instanceof Commit || statement instanceof RollbackStatement
                || statement instanceof SavepointStatement || statement instanceof CreateSchema) {
            // no table data involved
        } else {
            incomplete("lineage does not describe " + statement.getClass().getSimpleName() + " statements");
        }
    }

    @Override
    Shape walkModifyingCte(WithItem<?> item, Scope sc) {
        ParenthesedStatement body = item.getParenthesedStatement();
        if (body instanceof ParenthesedInsert insert) {
            return walkInsert(insert.getInsert(), sc);
        }
        if (body instanceof ParenthesedUpdate update) {
            return walkUpdate(update.getUpdate(), sc);
        }
        if (body instanceof ParenthesedDelete delete) {
            return walkDelete(delete.getDelete(), sc);
        }
        incomplete("WITH item " + item.getAlias() + " is not analysed");
        return new Shape(List.of(), List.of(), false);
    }

    private void readAll(Shape shape) {
        for (Set<ColumnName> columns : shape.lineage()) {
            reads.addAll(columns);
        }
    }

    private Scope withCtes(List<WithItem<?>> with, Scope parent) {
        Scope sc = new Scope(parent);
        if (with != null && !with.isEmpty()) {
            defineCtes(with, sc);
        }
        return sc;
    }

    // ---------------------------------------------------------------- INSERT / REPLACE

    private Shape walkInsert(Insert insert, Scope parent) {
        Scope outer = withCtes(insert.getWithItemsList(), parent);
        Scope sc = new Scope(outer);
        Source target = addTable(insert.getTable(), sc, TableUse.WRITE);
        boolean setForm = insert.getSetUpdateSets() != null && !insert.getSetUpdateSets().isEmpty();
        if (!setForm) {
            writeColumns(target, insert.getColumns(), "INSERT");
        }
        if (insert.getSelect() != null) {
            readAll(walkSelect(insert.getSelect(), outer));
        }
        updateSets(insert.getSetUpdateSets(), sc, target.table());
        updateSets(insert.getDuplicateUpdateSets(), sc, target.table());
        InsertConflictAction conflict = insert.getConflictAction();
        if (conflict != null) {
            // excluded.* is the row being inserted, not stored data.
            sc.add(Source.opaque("excluded", target.columns()));
            updateSets(conflict.getUpdateSets(), sc, target.table());
            read(conflict.getWhereExpression(), sc, reads);
        }
        return returning(insert.getReturningClause(), sc);
    }

    private void walkUpsert(Upsert upsert) {
        Scope sc = new Scope(null);
        Source target = addTable(upsert.getTable(), sc, TableUse.WRITE);
        if (upsert.getUpsertType() == UpsertType.REPLACE || upsert.getUpsertType() == UpsertType.REPLACE_SET) {
            writeAllColumns(target, "REPLACE"); // REPLACE deletes the conflicting row before inserting
        } else if (upsert.getUpdateSets() == null || upsert.getUpdateSets().isEmpty()) {
            writeColumns(target, upsert.getColumns(), "UPSERT");
        }
        if (upsert.getSelect() != null) {
            readAll(walkSelect(upsert.getSelect(), null));
        }
        updateSets(upsert.getUpdateSets(), sc, target.table());
        updateSets(upsert.getDuplicateUpdateSets(), sc, target.table());
    }

    /** The listed columns, or every column of the table when the list is omitted. */
    private void writeColumns(Source target, ExpressionList<Column> columns, String verb) {
        if (columns == null || columns.isEmpty()) {
            writeAllColumns(target, verb);
            return;
        }
        if (target.table() == null) {
            incomplete(verb + " target " + target.alias() + " is not a table");
            return;
        }
        for (Column c : columns) {
            writes.add(new ColumnName(target.table(), fold(c.getColumnName())));
        }
    }

    private void writeAllColumns(Source target, String verb) {
        if (target.table() == null || target.kind() == Source.Kind.UNKNOWN_TABLE || target.columns() == null) {
            incomplete(verb + " writes every column of " + describe(target) + ", which the catalog does not know");
            return;
        }
        for (String column : target.columns()) {
            writes.add(new ColumnName(target.table(), column));
        }
    }

    // ---------------------------------------------------------------- UPDATE

    private Shape walkUpdate(Update update, Scope parent) {
        Scope sc = new Scope(withCtes(update.getWithItemsList(), parent));
        List<Join> startJoins = update.getStartJoins();
        // MySQL multi-table UPDATE: only tables whose columns are SET are written.
        boolean multiTable = startJoins != null && !startJoins.isEmpty();
        Source target = addTable(update.getTable(), sc, multiTable ? TableUse.READ : TableUse.WRITE);
        if (multiTable) {
            addFromItems(null, startJoins, sc, TableUse.READ);
        }
        addFromItems(update.getFromItem(), update.getJoins(), sc, TableUse.READ);
        updateSets(update.getUpdateSets(), sc, multiTable ? null : target.table());
        if (multiTable) {
            targetsAreWriteOnly();
        }
        where(update.getWhere(), sc);
        orderBy(update.getOrderByElements(), sc, null);
        return returning(update.getReturningClause(), sc);
    }

    private void updateSets(List<UpdateSet> sets, Scope sc, TableName defaultTarget) {
        if (sets == null) {
            return;
        }
        for (UpdateSet set : sets) {
            for (Column c : set.getColumns()) {
                writeColumn(c, sc, defaultTarget);
            }
            read(set.getValues(), sc, reads);
        }
    }

    /** A SET target: qualified names pick their table; unqualified ones the statement's target. */
    private void writeColumn(Column c, Scope sc, TableName defaultTarget) {
        String column = fold(c.getColumnName());
        Table t = c.getTable();
        if (t != null && t.getName() != null) {
            Source source = sc.byQualifier(fold(t.getName()), t.getSchemaName() == null ? null : fold(t.getSchemaName()));
            if (source != null && source.table() != null) {
                writes.add(new ColumnName(source.table(), column));
                use(source.table(), TableUse.WRITE);
                return;
            }
            if (defaultTarget == null) {
                incomplete("SET target " + c + " does not name a table in scope");
                return;
            }
        }
        if (defaultTarget != null) {
            writes.add(new ColumnName(defaultTarget, column));
            return;
        }
        Source owner = null;
        int candidates = 0;
        for (Source source : sc.sources) {
            if (source.table() != null && (source.indexOf(column) >= 0 || source.kind() == Source.Kind.UNKNOWN_TABLE)) {
                owner = source;
                candidates++;
            }
        }
        if (candidates == 1) {
            writes.add(new ColumnName(owner.table(), column));
            use(owner.table(), TableUse.WRITE);
        } else {
            incomplete("cannot tell which table SET " + column + " writes");
        }
    }

    // ---------------------------------------------------------------- DELETE / TRUNCATE

    private Shape walkDelete(Delete delete, Scope parent) {
        Scope sc = new Scope(withCtes(delete.getWithItemsList(), parent));
        List<Table> targets = delete.getTables();
        boolean multiTable = targets != null && !targets.isEmpty();
        Source from = addTable(delete.getTable(), sc, multiTable ? TableUse.READ : TableUse.WRITE);
        List<Table> using = delete.getUsingList();
        if (using != null) {
            for (Table t : using) {
                addTable(t, sc, TableUse.READ);
            }
        }
        addFromItems(null, delete.getJoins(), sc, TableUse.READ);
        if (multiTable) {
            for (Table t : targets) {
                Source source = sc.byQualifier(fold(t.getName()), t.getSchemaName() == null ? null : fold(t.getSchemaName()));
                if (source == null || source.table() == null) {
                    TableName name = resolveTableName(t);
                    use(name, TableUse.WRITE);
                    source = sourceFor(name.name(), name);
                }
                use(source.table(), TableUse.WRITE);
                writeAllColumns(source, "DELETE");
            }
            targetsAreWriteOnly();
        } else {
            writeAllColumns(from, "DELETE");
        }
        where(delete.getWhere(), sc);
        orderBy(delete.getOrderByElements(), sc, null);
        return returning(delete.getReturningClause(), sc);
    }

    private void walkTruncate(Truncate truncate) {
        unbounded = true;
        List<Table> targets = truncate.getTables();
        if (targets == null || targets.isEmpty()) {
            targets = List.of(truncate.getTable());
        }
        Scope sc = new Scope(null);
        for (Table t : targets) {
            Source source = addTable(t, sc, TableUse.DDL);
            writeAllColumns(source, "TRUNCATE");
        }
    }

    /** WHERE columns are reads; a missing or constant-true WHERE makes the statement unbounded. */
    private void where(Expression where, Scope sc) {
        if (where == null) {
            unbounded = true;
            return;
        }
        read(where, sc, reads);
        WhereTruth truth = new WhereTruth(dialect);
        if (truth.mayMatchEveryRow(where)) {
            unbounded = true;
        }
        literalsMatter |= truth.literalsDecided();
    }

    private Shape returning(ReturningClause returning, Scope sc) {
        if (returning == null || returning.isEmpty()) {
            return new Shape(List.of(), List.of(), true);
        }
        Shape shape = selectItems(returning, sc);
        readAll(shape);
        return shape;
    }

    // ---------------------------------------------------------------- MERGE

    private void walkMerge(Merge merge) {
        Scope sc = new Scope(withCtes(merge.getWithItemsList(), null));
        Source target = addTable(merge.getTable(), sc, TableUse.WRITE);
        if (merge.getFromItem() != null) {
            addFromItem(merge.getFromItem(), sc, TableUse.READ);
        }
        read(merge.getOnCondition(), sc, reads);
        List<MergeOperation> operations = merge.getOperations();
        if (operations == null) {
            return;
        }
        for (MergeOperation op : operations) {
            if (op instanceof MergeUpdate update) {
                read(update.getAndPredicate(), sc, reads);
                updateSets(update.getUpdateSets(), sc, target.table());
                read(update.getWhereCondition(), sc, reads);
                read(update.getDeleteWhereCondition(), sc, reads);
            } else if (op instanceof MergeInsert insert) {
                read(insert.getAndPredicate(), sc, reads);
                writeColumns(target, insert.getColumns(), "MERGE INSERT");
                read(insert.getValues(), sc, reads);
                read(insert.getWhereCondition(), sc, reads);
            } else if (op instanceof MergeDelete delete) {
                read(delete.getAndPredicate(), sc, reads);
                writeAllColumns(target, "MERGE DELETE");
            } else {
                incomplete("MERGE action " + op.getClass().getSimpleName() + " is not analysed");
            }
        }
    }

    // ---------------------------------------------------------------- DDL

    private void walkCreateTable(CreateTable create) {
        TableName name = resolveTableName(create.getTable());
        use(name, TableUse.DDL);
        if (create.getLikeTable() != null) {
            use(resolveTableName(create.getLikeTable()), TableUse.READ);
        }
        Select select = create.getSelect();
        if (select != null) {
            // CREATE TABLE ... AS SELECT fills the new table.
            use(name, TableUse.WRITE);
            Shape shape = walkSelect(select, null);
            readAll(shape);
            List<String> names = create.getColumns() != null && !create.getColumns().isEmpty()
                    ? create.getColumns() : shape.names();
            for (String column : names) {
                writes.add(new ColumnName(name, fold(column)));
            }
        }
    }

    private void walkAlter(Alter alter) {
        TableName name = resolveTableName(alter.getTable());
        use(name, TableUse.DDL);
        List<AlterExpression> expressions = alter.getAlterExpressions();
        if (expressions == null) {
            return;
        }
        for (AlterExpression e : expressions) {
            String renamed = e.getNewTableName();
            if (renamed != null) {
                use(resolveTableName(new Table(renamed).withSchemaName(alter.getTable().getSchemaName())), TableUse.DDL);
            }
        }
    }

    private void walkDrop(Drop drop) {
        String type = drop.getType() == null ? "" : drop.getType().toUpperCase(Locale.ROOT);
        if (type.equals("TABLE") || type.equals("VIEW") || type.equals("MATERIALIZED VIEW")
                || (type.equals("VIEW") && drop.isMaterialized())) {
            use(resolveTableName(drop.getName()), TableUse.DDL);
        }
    }
}
