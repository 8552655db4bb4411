package dev.gatehouse.sql.catalog;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lineage.Identifiers;
import dev.gatehouse.sql.lineage.LineageAnalyzer;
import dev.gatehouse.sql.lineage.StatementParser;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.create.schema.CreateSchema;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.schema.Column;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a MySQL schema file's statements in order (with JSqlParser) into relations, schemas and the database in
 * effect; see {@link SchemaCatalog} for what is understood. PostgreSQL files are read by {@link PgSchemaReader}.
 * Mutable, single-threaded, used once per file.
 */
final class SchemaFileReader {
    private final Dialect dialect;
    final Map<TableName, Relation> relations = new LinkedHashMap<>();
    final Set<String> schemas = new HashSet<>();
    List<String> path;

    SchemaFileReader(Dialect dialect, List<String> path) {
        this.dialect = dialect;
        this.path = path;
        schemas.addAll(path);
    }

    /** Lineage over what is defined so far, to name the columns of views and CREATE TABLE AS. */
    private LineageAnalyzer analyzerSoFar() {
        return new LineageAnalyzer(dialect, SchemaCatalog.live(dialect, relations, schemas, path));
    }

    void apply(String sql, int number) {
        LeadingWords words;
        try {
            words = LeadingWords.read(sql, dialect);
        } catch (LexException e) {
            throw new SchemaFileException(number, "cannot read the statement: " + e.getMessage());
        }
        if (words.size() == 0) {
            return;
        }
        switch (words.upper(0)) {
            case "SET" -> setSearchPath(words);
            case "USE" -> {
                if (words.size() > 1) {
                    path = List.of(words.name(1));
                    schemas.add(path.get(0));
                }
            }
            case "CREATE", "ALTER", "DROP" -> applyDefinition(sql, number, words);
            default -> {
                // data, grants, comments...: nothing a catalog needs
            }
        }
    }

    private void setSearchPath(LeadingWords words) {
        int i = 1;
        if (words.is(i, "SESSION") || words.is(i, "LOCAL")) {
            i++;
        }
        if (!words.is(i, "SEARCH_PATH")) {
            return;
        }
        i++;
        if (words.is(i, "TO")) {
            i++;
        }
        List<String> next = new ArrayList<>(2);
        for (; i < words.size(); i++) {
            String name = words.name(i);
            if (!name.isEmpty()) {
                next.add(name);
            }
        }
        if (!next.isEmpty()) {
            path = List.copyOf(next);
            schemas.addAll(next);
        }
    }

    private void applyDefinition(String sql, int number, LeadingWords words) {
        boolean relation = words.definesRelation();
        if (words.is(0, "CREATE") && (words.is(1, "DATABASE") || words.is(1, "SCHEMA"))) {
            createSchema(words);
            return;
        }
        Statement statement;
        try {
            statement = StatementParser.parse(withoutViewOptions(sql, words), dialect);
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            if (relation) {
                throw new SchemaFileException(number, "cannot read " + words.first(4) + "...: "
                        + StatementParser.shortMessage(e));
            }
            return; // ALTER ... OWNER TO, CREATE FUNCTION...: not about relations' shapes
        }
        if (statement instanceof CreateTable create) {
            createTable(create, number);
        } else if (statement instanceof CreateView view) {
            createView(view);
        } else if (statement instanceof Alter alter) {
            alter(alter);
        } else if (statement instanceof Drop drop) {
            drop(drop);
        } else if (statement instanceof CreateSchema schema && schema.getSchemaName() != null) {
            schemas.add(Identifiers.fold(schema.getSchemaName(), dialect));
        } else if (relation) {
            throw new SchemaFileException(number, "expected a table or view definition, read "
                    + statement.getClass().getSimpleName());
        }
    }

    /**
     * mysqldump writes {@code CREATE ALGORITHM=... DEFINER=... SQL SECURITY ... VIEW}; the options say nothing
     * about the view's shape and JSqlParser does not read them, so the text before VIEW is replaced.
     */
    private String withoutViewOptions(String sql, LeadingWords words) {
        if (dialect != Dialect.MYSQL || words.is(1, "VIEW") || words.is(1, "OR") && words.is(3, "VIEW")) {
            return sql;
        }
        int view = words.offsetOf("VIEW");
        if (view < 0 || !words.is(0, "CREATE")) {
            return sql;
        }
        return (words.is(1, "OR") ? "CREATE OR REPLACE " : "CREATE ") + sql.substring(view);
    }

    private void createSchema(LeadingWords words) {
        int i = 2;
        if (words.is(i, "IF")) {
            i += 3; // IF NOT EXISTS
        }
        if (i < words.size() && !words.is(i, "AUTHORIZATION")) {
            schemas.add(words.name(i));
        } else if (words.is(i, "AUTHORIZATION") && i + 1 < words.size()) {
            schemas.add(words.name(i + 1)); // CREATE SCHEMA AUTHORIZATION role names it after the role
        }
    }

    private TableName name(Table table) {
        String name = Identifiers.fold(table.getName(), dialect);
        if (table.getSchemaName() != null) {
            return new TableName(Identifiers.fold(table.getSchemaName(), dialect), name);
        }
        return new TableName(creationSchema(), name);
    }

    /** PostgreSQL creates in the first schema of the path (the session user's schema is unknown, so skipped). */
    private String creationSchema() {
        for (String s : path) {
            if (!s.equals("$user")) {
                return s;
            }
        }
        return dialect == Dialect.POSTGRES ? "public" : "(none)";
    }

    private void put(Relation relation, boolean ifNotExists) {
        if (ifNotExists && relations.containsKey(relation.name())) {
            return;
        }
        relations.put(relation.name(), relation);
        schemas.add(relation.name().schema());
    }

    private void createTable(CreateTable create, int number) {
        TableName name = name(create.getTable());
        List<String> columns = new ArrayList<>();
        List<String> options = create.getTableOptionsStrings();
        if (options != null) {
            inheritedColumns(options, columns);
        }
        if (create.getLikeTable() != null) {
            Relation like = relations.get(name(create.getLikeTable()));
            if (like == null) {
                throw new SchemaFileException(number, "LIKE " + create.getLikeTable() + ": no such table defined earlier");
            }
            columns.addAll(like.columns());
        }
        if (create.getColumnDefinitions() != null) {
            for (ColumnDefinition c : create.getColumnDefinitions()) {
                addColumn(columns, Identifiers.fold(c.getColumnName(), dialect));
            }
        }
        if (create.getSelect() != null) {
            List<String> listed = create.getColumns();
            if (listed != null && !listed.isEmpty()) {
                for (String c : listed) {
                    addColumn(columns, Identifiers.fold(c, dialect));
                }
            } else {
                for (String c : analyzerSoFar().outputColumns(create.getSelect(), path)) {
                    addColumn(columns, c);
                }
            }
        }
        put(new Relation(name, columns, null), create.isIfNotExists());
    }

    /** PostgreSQL {@code INHERITS (a, b)}: parents' columns come first, in order. */
    private void inheritedColumns(List<String> options, List<String> columns) {
        for (int i = 0; i + 1 < options.size(); i++) {
            if (!options.get(i).equalsIgnoreCase("INHERITS")) {
                continue;
            }
            String list = options.get(i + 1);
            int start = list.indexOf('(') + 1;
            for (int j = start; j <= list.length(); j++) {
                if (j == list.length() || list.charAt(j) == ',' || list.charAt(j) == ')') {
                    String parent = list.substring(start, j).strip();
                    start = j + 1;
                    if (parent.isEmpty()) {
                        continue;
                    }
                    Relation p = relations.get(new TableName(creationSchema(), Identifiers.fold(parent, dialect)));
                    if (p != null) {
                        for (String c : p.columns()) {
                            addColumn(columns, c);
                        }
                    }
                }
            }
        }
    }

    private static void addColumn(List<String> columns, String column) {
        if (!columns.contains(column)) {
            columns.add(column);
        }
    }

    private void createView(CreateView view) {
        TableName name = name(view.getView());
        List<String> columns = new ArrayList<>();
        if (view.getColumnNames() != null && !view.getColumnNames().isEmpty()) {
            for (Column c : view.getColumnNames()) {
                columns.add(Identifiers.fold(c.getColumnName(), dialect));
            }
        } else {
            columns.addAll(analyzerSoFar().outputColumns(view.getSelect(), path));
        }
        put(new Relation(name, columns, view.getSelect().toString()), view.isIfNotExists());
    }

    private void alter(Alter alter) {
        TableName name = name(alter.getTable());
        Relation relation = relations.get(name);
        if (relation == null || alter.getAlterExpressions() == null) {
            return;
        }
        List<String> columns = new ArrayList<>(relation.columns());
        TableName renamedTo = null;
        for (AlterExpression e : alter.getAlterExpressions()) {
            switch (e.getOperation()) {
                case ADD -> {
                    if (e.getColDataTypeList() != null) {
                        for (AlterExpression.ColumnDataType c : e.getColDataTypeList()) {
                            addColumn(columns, Identifiers.fold(c.getColumnName(), dialect));
                        }
                    }
                }
                case DROP -> {
                    if (e.getColumnName() != null) {
                        columns.remove(Identifiers.fold(e.getColumnName(), dialect));
                    }
                }
                case RENAME -> {
                    if (e.getColumnOldName() != null && e.getColumnName() != null) {
                        int i = columns.indexOf(Identifiers.fold(e.getColumnOldName(), dialect));
                        if (i >= 0) {
                            columns.set(i, Identifiers.fold(e.getColumnName(), dialect));
                        }
                    }
                }
                case RENAME_TABLE -> {
                    if (e.getNewTableName() != null) {
                        renamedTo = new TableName(name.schema(), Identifiers.fold(e.getNewTableName(), dialect));
                    }
                }
                default -> {
                    // constraints, defaults, storage: no effect on the column list
                }
            }
        }
        relations.remove(name);
        TableName finalName = renamedTo != null ? renamedTo : name;
        relations.put(finalName, relation.named(finalName).withColumns(columns));
    }

    private void drop(Drop drop) {
        String type = drop.getType() == null ? "" : drop.getType().toUpperCase(Locale.ROOT);
        if (type.equals("TABLE") || type.equals("VIEW")) {
            relations.remove(name(drop.getName()));
        }
    }
}
