package dev.gatehouse.sql.lineage;

import dev.gatehouse.sql.Dialect;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether an UPDATE/DELETE WHERE clause can select every row: {@code WHERE 1=1}, {@code WHERE true},
 * {@code x OR true}, {@code NOT false}. Only AND/OR/NOT are looked through; a predicate that mentions a
 * column or a subquery depends on the row and counts as bounding. A column-free predicate is evaluated when
 * it is a literal or a comparison of literals; anything else column-free (a function call, a parameter) is
 * "unsure" and, to fail closed, treated as possibly true. Per call, single-threaded.
 */
final class WhereTruth {

    /** Closed set of outcomes of the three-valued walk, plus "unsure" for column-free text we do not evaluate. */
    enum Truth { TRUE, FALSE, UNSURE, ROW }

    private final Dialect dialect;
    private boolean literalsDecided;

    WhereTruth(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Whether a column-free part was evaluated, i.e. the answer depends on literal values. */
    boolean literalsDecided() {
        return literalsDecided;
    }

    /** Hot path for UPDATE/DELETE: true when the WHERE may hold for every row. */
    boolean mayMatchEveryRow(Expression where) {
        Truth t = eval(where);
        return t == Truth.TRUE || t == Truth.UNSURE;
    }

    Truth eval(Expression e) {
        if (e instanceof Parenthesis p) {
            return eval(p.getExpression());
        }
        if (e instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
            return eval(list.get(0));
        }
        if (e instanceof AndExpression and) {
            return and(eval(and.getLeftExpression()), eval(and.getRightExpression()));
        }
        if (e instanceof OrExpression or) {
            return or(eval(or.getLeftExpression()), eval(or.getRightExpression()));
        }
        if (e instanceof NotExpression not) {
            return not(eval(not.getExpression()));
        }
        if (dependsOnRow(e)) {
            return Truth.ROW;
        }
        literalsDecided = true;
        return constant(e);
    }

    private static Truth and(Truth a, Truth b) {
        if (a == Truth.FALSE || b == Truth.FALSE) {
            return Truth.FALSE;
        }
        if (a == Truth.TRUE && b == Truth.TRUE) {
            return Truth.TRUE;
        }
        // A row-dependent conjunct bounds the result whatever the other one is.
        return a == Truth.ROW || b == Truth.ROW ? Truth.ROW : Truth.UNSURE;
    }

    private static Truth or(Truth a, Truth b) {
        if (a == Truth.TRUE || b == Truth.TRUE) {
            return Truth.TRUE;
        }
        if (a == Truth.UNSURE || b == Truth.UNSURE) {
            return Truth.UNSURE;
        }
        return a == Truth.FALSE && b == Truth.FALSE ? Truth.FALSE : Truth.ROW;
    }

    private static Truth not(Truth a) {
        return switch (a) {
            case TRUE -> Truth.FALSE;
            case FALSE -> Truth.TRUE;
            case UNSURE, ROW -> a;
        };
    }

    private Truth constant(Expression e) {
        if (e instanceof Parenthesis p) {
            return constant(p.getExpression());
        }
        if (e instanceof BooleanValue b) {
            return b.getValue() ? Truth.TRUE : Truth.FALSE;
        }
        if (e instanceof LongValue l) {
            return l.getValue() != 0 ? Truth.TRUE : Truth.FALSE;
        }
        if (e instanceof NullValue) {
            return Truth.FALSE;
        }
        if (e instanceof IsNullExpression isNull) {
            Expression left = isNull.getLeftExpression();
            if (left instanceof NullValue) {
                return isNull.isNot() ? Truth.FALSE : Truth.TRUE;
            }
            if (left instanceof LongValue || left instanceof StringValue || left instanceof BooleanValue) {
                return isNull.isNot() ? Truth.TRUE : Truth.FALSE;
            }
            return Truth.UNSURE;
        }
        if (e instanceof ComparisonOperator cmp) {
            return compare(cmp);
        }
        return Truth.UNSURE;
    }

    private Truth compare(ComparisonOperator cmp) {
        Expression l = cmp.getLeftExpression();
        Expression r = cmp.getRightExpression();
        int order;
        if (isNumber(l) && isNumber(r)) {
            order = Double.compare(number(l), number(r));
        } else if (l instanceof StringValue ls && r instanceof StringValue rs) {
            // MySQL's default collations compare case-insensitively.
            String a = dialect == Dialect.MYSQL ? ls.getValue().toLowerCase(Locale.ROOT) : ls.getValue();
            String b = dialect == Dialect.MYSQL ? rs.getValue().toLowerCase(Locale.ROOT) : rs.getValue();
            order = a.compareTo(b);
        } else if (l instanceof BooleanValue lb && r instanceof BooleanValue rb) {
            order = Boolean.compare(lb.getValue(), rb.getValue());
        } else {
            return Truth.UNSURE;
        }
        boolean result;
        if (cmp instanceof EqualsTo) {
            result = order == 0;
        } else if (cmp instanceof NotEqualsTo) {
            result = order != 0;
        } else if (cmp instanceof GreaterThan) {
            result = order > 0;
        } else if (cmp instanceof GreaterThanEquals) {
            result = order >= 0;
        } else if (cmp instanceof MinorThan) {
            result = order < 0;
        } else if (cmp instanceof MinorThanEquals) {
            result = order <= 0;
        } else {
            return Truth.UNSURE;
        }
        return result ? Truth.TRUE : Truth.FALSE;
    }

    private static boolean isNumber(Expression e) {
        return e instanceof LongValue || e instanceof DoubleValue;
    }

    private static double number(Expression e) {
        return e instanceof LongValue l ? l.getValue() : ((DoubleValue) e).getValue();
    }

    private boolean dependsOnRow(Expression e) {
        RowDependence finder = new RowDependence(dialect);
        e.accept(finder, null);
        return finder.found;
    }

    /** Finds a real column reference or a subquery anywhere in an expression. */
    private static final class RowDependence extends ExpressionVisitorAdapter<Void> {
        private final Dialect dialect;
        boolean found;

        RowDependence(Dialect dialect) {
            this.dialect = dialect;
        }

        @Override
        public <S> Void visit(Column column, S context) {
            if (column.getTable() == null || column.getTable().getName() == null) {
                String raw = column.getColumnName();
                // MySQL reads "x" as a string; session keywords are constants for the statement.
                if (dialect == Dialect.MYSQL && Identifiers.isDoubleQuoted(raw)) {
                    return null;
                }
                if (ColumnReads.isSessionKeyword(Identifiers.fold(raw, dialect))) {
                    return null;
                }
            }
            found = true;
            return null;
        }

        @Override
        public <S> Void visit(ParenthesedSelect select, S context) {
            found |= dialect != Dialect.MYSQL || Correlation.isCorrelated(select, dialect);
            return null;
        }

        @Override
        public <S> Void visit(Select select, S context) {
            found |= dialect != Dialect.MYSQL || Correlation.isCorrelated(select, dialect);
            return null;
        }
    }

    /**
     * Whether a subquery refers to the outer statement's rows. One that does not ({@code WHERE (SELECT true)},
     * {@code EXISTS (SELECT 1)}, {@code 1 IN (SELECT 1)}) has one value for every row, so it may select every row.
     * Correlated: a qualified name no table, alias or CTE inside the subquery defines, or any unqualified name in
     * a subquery that reads no table. An unqualified name next to inner tables is taken as theirs (the other
     * answer would only be "bounded"), and a subquery this cannot read counts as uncorrelated: both fail closed.
     */
    private static final class Correlation extends TablesNamesFinder<Void> {
        private final Dialect dialect;
        private final Set<String> defined = new HashSet<>();
        private final List<Column> columns = new ArrayList<>();

        private Correlation(Dialect dialect) {
            this.dialect = dialect;
        }

        static boolean isCorrelated(Select select, Dialect dialect) {
            Correlation c = new Correlation(dialect);
            try {
                c.getTables((net.sf.jsqlparser.statement.Statement) select);
            } catch (RuntimeException e) {
                return false;
            }
            for (Column column : c.columns) {
                Table t = column.getTable();
                if (t != null && t.getName() != null) {
                    if (!c.defined.contains(Identifiers.fold(t.getName(), dialect))) {
                        return true;
                    }
                } else if (c.defined.isEmpty() && !isValue(column.getColumnName(), dialect)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isValue(String raw, Dialect dialect) {
            return (dialect == Dialect.MYSQL && Identifiers.isDoubleQuoted(raw))
                    || ColumnReads.isSessionKeyword(Identifiers.fold(raw, dialect));
        }

        private void define(Alias alias) {
            if (alias != null && alias.getName() != null) {
                defined.add(Identifiers.fold(alias.getName(), dialect));
            }
        }

        @Override
        public <S> Void visit(Table table, S context) {
            if (table.getName() != null) {
                defined.add(Identifiers.fold(table.getName(), dialect));
            }
            define(table.getAlias());
            return super.visit(table, context);
        }

        @Override
        public <S> Void visit(ParenthesedSelect select, S context) {
            define(select.getAlias());
            return super.visit(select, context);
        }

        @Override
        public <S> Void visit(WithItem<?> item, S context) {
            define(item.getAlias());
            return super.visit(item, context);
        }

        @Override
        public <S> Void visit(Column column, S context) {
            columns.add(column); // not a table, whatever the finder would make of its qualifier
            return null;
        }
    }
}
