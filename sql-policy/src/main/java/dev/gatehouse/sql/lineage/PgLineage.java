package dev.gatehouse.sql.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.TableAccess;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.analysis.TableUse;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.catalog.Relation;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.gatehouse.sql.pg.PgNodes.body;
import static dev.gatehouse.sql.pg.PgNodes.bool;
import static dev.gatehouse.sql.pg.PgNodes.constant;
import static dev.gatehouse.sql.pg.PgNodes.list;
import static dev.gatehouse.sql.pg.PgNodes.sval;
import static dev.gatehouse.sql.pg.PgNodes.text;
import static dev.gatehouse.sql.pg.PgNodes.type;

/**
 * Lineage of one PostgreSQL statement from PostgreSQL's own parse tree (libpg_query's JSON), resolved against a
 * catalog with the same scopes, sources and shapes as the MySQL walker ({@link Scope}, {@link Source},
 * {@link Shape}). Names in the tree are already folded and de-quoted by PostgreSQL's scanner.
 *
 * <p>Column references go to {@link #sink}: a query's output expressions to the lineage of that output (it
 * counts where the output is used), everything a predicate, join, grouping, ordering, limit or write reads
 * straight to {@link #reads}. Implicit references count: {@code *}, whole-row references, {@code USING} and
 * {@code NATURAL} join columns, alias column lists (which rename by position).
 *
 * <p>One instance per statement, on the caller's thread. Nothing here throws for a tree it does not know: such
 * parts leave {@link #complete} false.
 */
public final class PgLineage {
    /** Views nested deeper than this are not expanded (a hand-written catalog could loop). */
    private static final int MAX_VIEW_DEPTH = 16;
    /** Catalog views that hand out sampled column values (most common values, histograms). */
    private static final Set<String> STATISTICS = Set.of("pg_stats", "pg_statistic", "pg_stats_ext",
            "pg_stats_ext_exprs", "pg_statistic_ext_data");

    private final Catalog catalog;
    private final PgViews views;
    private List<String> searchPath;
    private final Map<TableName, EnumSet<TableUse>> tables = new LinkedHashMap<>();
    private final Set<ColumnName> reads = new HashSet<>();
    private final Set<ColumnName> writes = new HashSet<>();
    private final List<String> notes = new ArrayList<>(2);
    private Set<ColumnName> sink = reads;
    private Scope scope;
    private boolean complete = true;
    private boolean unbounded;
    private boolean literalsMatter;
    private int viewDepth;

    public PgLineage(Catalog catalog, PgViews views, List<String> searchPath) {
        this.catalog = catalog;
        this.views = views;
        this.searchPath = searchPath;
    }

    public Lineage result() {
        List<TableAccess> accesses = new ArrayList<>(tables.size());
        for (Map.Entry<TableName, EnumSet<TableUse>> e : tables.entrySet()) {
            accesses.add(new TableAccess(e.getKey(), e.getValue()));
        }
        return new Lineage(true, accesses, reads, writes, Set.of(), unbounded, complete, literalsMatter, notes);
    }

    private void incomplete(String why) {
        complete = false;
        if (notes.size() < 8 && !notes.contains(why)) {
            notes.add(why);
        }
    }

    /** A statement wrapper ({@code {"SelectStmt": {...}}}); statements without data lineage add nothing. */
    public void statement(JsonNode wrapper) {
        String t = type(wrapper);
        JsonNode n = body(wrapper);
        switch (t) {
            case "SelectStmt" -> {
                JsonNode into = n.get("intoClause");
                Shape shape = query(n, null);
                readAll(shape);
                if (into != null) {
                    TableName target = tableName(into.path("rel"));
                    use(target, TableUse.DDL);
                    use(target, TableUse.WRITE);
                    for (String c : shape.names()) {
                        writes.add(new ColumnName(target, c));
                    }
                }
            }
            case "InsertStmt" -> insert(n);
            case "UpdateStmt" -> update(n);
            case "DeleteStmt" -> delete(n);
            case "MergeStmt" -> merge(n);
            case "CopyStmt" -> copy(n);
            case "DeclareCursorStmt", "PrepareStmt", "ExplainStmt" -> statement(n.path("query"));
            case "CreateTableAsStmt" -> {
                Shape shape = queryOrStatement(n.path("query"));
                readAll(shape);
                TableName target = tableName(n.path("into").path("rel"));
                use(target, TableUse.DDL);
                use(target, TableUse.WRITE);
                for (String c : shape.names()) {
                    writes.add(new ColumnName(target, c));
                }
            }
            case "ViewStmt" -> {
                // a view exposes what its query reads to whoever may select from it
                use(tableName(n.path("view")), TableUse.DDL);
                readAll(queryOrStatement(n.path("query")));
            }
            case "RefreshMatViewStmt" -> {
                TableName target = tableName(n.path("relation"));
                use(target, TableUse.DDL);
                use(target, TableUse.WRITE);
                Optional<Relation> r = catalog.find(target);
                if (r.isPresent() && r.get().isView()) {
                    readAll(viewShape(r.get()));
                } else {
                    incomplete("the query behind materialized view " + target + " is not known");
                }
            }
            case "TruncateStmt" -> {
                unbounded = true;
                for (JsonNode rel : list(n, "relations")) {
                    TableName target = tableName(body(rel));
                    use(target, TableUse.DDL);
                    use(target, TableUse.WRITE);
                    writeEveryColumn(target);
                }
            }
            case "DropStmt" -> drop(n);
            case "CreateStmt", "CreateForeignTableStmt" -> {
                JsonNode base = t.equals("CreateForeignTableStmt") ? n.path("base") : n;
                use(tableName(base.path("relation")), TableUse.DDL);
                for (JsonNode parent : list(base, "inhRelations")) {
                    use(tableName(body(parent)), TableUse.DDL);
                }
            }
            case "AlterTableStmt", "IndexStmt", "CreateTrigStmt", "RuleStmt", "AlterObjectSchemaStmt",
                 "ClusterStmt", "CreatePolicyStmt", "AlterPolicyStmt" -> {
                JsonNode rel = n.get(t.equals("CreatePolicyStmt") || t.equals("AlterPolicyStmt") ? "table" : "relation");
                if (rel != null) {
                    use(tableName(rel), TableUse.DDL);
                }
                if (t.equals("AlterObjectSchemaStmt") && text(n, "newschema") != null && rel != null) {
                    use(new TableName(text(n, "newschema"), tableName(rel).name()), TableUse.DDL);
                }
            }
            case "RenameStmt" -> {
                JsonNode rel = n.get("relation");
                if (rel != null) {
                    use(tableName(rel), TableUse.DDL);
                }
                if ("OBJECT_SCHEMA".equals(text(n, "renameType"))) {
                    schemaWide(text(n, "subname"));
                    schemaWide(text(n, "newname"));
                }
            }
            case "AlterOwnerStmt" -> {
                if ("OBJECT_SCHEMA".equals(text(n, "objectType"))) {
                    schemaWide(sval(n.path("object")));
                }
            }
            case "CreateSchemaStmt" -> {
                schemaWide(text(n, "schemaname"));
                for (JsonNode element : list(n, "schemaElts")) {
                    statement(element);
                }
            }
            case "GrantStmt" -> {
                String target = text(n, "targtype");
                String objtype = text(n, "objtype");
                if ("ACL_TARGET_ALL_IN_SCHEMA".equals(target)) {
                    for (JsonNode schema : list(n, "objects")) {
                        schemaWide(sval(schema));
                    }
                } else if ("OBJECT_TABLE".equals(objtype) || "OBJECT_SEQUENCE".equals(objtype)) {
                    for (JsonNode rel : list(n, "objects")) {
                        use(tableName(body(rel)), TableUse.DDL);
                    }
                } else if ("OBJECT_SCHEMA".equals(objtype)) {
                    for (JsonNode schema : list(n, "objects")) {
                        schemaWide(sval(schema));
                    }
                }
            }
            default -> {
                // no table data read or written (session, transaction, most object DDL)
            }
        }
    }

    // ---------------------------------------------------------------- DDL targets

    private void drop(JsonNode n) {
        String what = text(n, "removeType");
        if (what == null) {
            return;
        }
        switch (what) {
            case "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_FOREIGN_TABLE", "OBJECT_SEQUENCE",
                 "OBJECT_INDEX" -> {
                for (JsonNode object : list(n, "objects")) {
                    List<String> parts = names(object);
                    if (!parts.isEmpty()) {
                        use(qualified(parts), TableUse.DDL);
                    }
                }
            }
            case "OBJECT_SCHEMA" -> {
                for (JsonNode object : list(n, "objects")) {
                    schemaWide(sval(object));
                }
            }
            case "OBJECT_POLICY", "OBJECT_TRIGGER", "OBJECT_RULE" -> {
                // objects are [schema.]table.name: the table is everything but the last part
                for (JsonNode object : list(n, "objects")) {
                    List<String> parts = names(object);
                    if (parts.size() >= 2) {
                        use(qualified(parts.subList(0, parts.size() - 1)), TableUse.DDL);
                    }
                }
            }
            default -> {
                // functions, types, roles...: no table
            }
        }
    }

    /** The String parts of a DROP object ({@code {"List": {"items": [...]}}} or a bare String). */
    private static List<String> names(JsonNode object) {
        String single = sval(object);
        if (single != null) {
            return List.of(single);
        }
        List<String> out = new ArrayList<>(3);
        for (JsonNode item : list(body(object), "items")) {
            String s = sval(item);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private TableName qualified(List<String> parts) {
        int size = parts.size();
        String name = parts.get(size - 1);
        return size >= 2 ? new TableName(parts.get(size - 2), name) : resolve(name);
    }

    /** Every table of a schema ({@code DROP SCHEMA s CASCADE}, {@code ALTER SCHEMA s RENAME}): table rules on {@code s.*} match. */
    private void schemaWide(String schema) {
        if (schema != null) {
            use(TableName.everyTableOf(schema), TableUse.DDL);
        }
    }

    // ---------------------------------------------------------------- tables

    private void use(TableName table, TableUse u) {
        tables.computeIfAbsent(table, k -> EnumSet.noneOf(TableUse.class)).add(u);
    }

    /** A RangeVar (body or wrapper) as PostgreSQL resolves it through the search path. */
    private TableName tableName(JsonNode rangeVar) {
        JsonNode rv = rangeVar.has("RangeVar") ? body(rangeVar) : rangeVar;
        String name = text(rv, "relname");
        if (name == null) {
            incomplete("a relation without a name");
            return new TableName("", "");
        }
        String schema = text(rv, "schemaname");
        return schema != null ? new TableName(schema, name) : resolve(name);
    }

    private TableName resolve(String name) {
        return SearchPaths.resolve(catalog, searchPath, name);
    }

    private void writeEveryColumn(TableName target) {
        Optional<Relation> r = catalog.find(target);
        if (r.isPresent()) {
            for (String c : r.get().columns()) {
                writes.add(new ColumnName(target, c));
            }
        } else {
            writes.add(ColumnName.everyColumnOf(target));
        }
    }

    // ---------------------------------------------------------------- queries

    private void readAll(Shape shape) {
        for (Set<ColumnName> l : shape.lineage()) {
            reads.addAll(l);
        }
    }

    /** A query or a data-modifying statement with RETURNING (CTE bodies, COPY sources, CREATE TABLE AS). */
    private Shape queryOrStatement(JsonNode wrapper) {
        String t = type(wrapper);
        JsonNode n = body(wrapper);
        return switch (t) {
            case "SelectStmt" -> query(n, scope);
            case "InsertStmt" -> insert(n);
            case "UpdateStmt" -> update(n);
            case "DeleteStmt" -> delete(n);
            case "MergeStmt" -> merge(n);
            case "ExecuteStmt" -> {
                incomplete("the prepared statement's lineage is not known here");
                yield new Shape(List.of(), List.of(), false);
            }
            default -> {
                incomplete("no lineage for " + t);
                yield new Shape(List.of(), List.of(), false);
            }
        };
    }

    /** One SELECT (or set operation, or VALUES) whose enclosing level is {@code outer}. */
    private Shape query(JsonNode n, Scope outer) {
        Scope saved = scope;
        Set<ColumnName> savedSink = sink;
        scope = new Scope(outer);
        sink = reads;
        try {
            with(n.get("withClause"));
            Shape shape;
            String op = text(n, "op");
            if (op != null && !op.equals("SETOP_NONE")) {
                Shape left = query(n.path("larg"), scope);
                Shape right = query(n.path("rarg"), scope);
                shape = union(left, right);
            } else if (n.has("valuesLists")) {
                shape = values(n);
            } else {
                for (JsonNode item : list(n, "fromClause")) {
                    fromItem(item, false);
                }
                shape = targets(list(n, "targetList"));
                sink = reads;
                expr(n.get("whereClause"));
                expr(n.get("havingClause"));
                for (JsonNode g : list(n, "groupClause")) {
                    orderingExpr(g, shape);
                }
                expr(n.get("distinctClause"));
                for (JsonNode w : list(n, "windowClause")) {
                    expr(w);
                }
            }
            sink = reads;
            for (JsonNode s : list(n, "sortClause")) {
                orderingExpr(body(s).path("node"), shape);
            }
            expr(n.get("limitCount"));
            expr(n.get("limitOffset"));
            return shape;
        } finally {
            scope = saved;
            sink = savedSink;
        }
    }

    private static Shape union(Shape left, Shape right) {
        int size = left.names().size();
        List<Set<ColumnName>> lineage = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Set<ColumnName> l = new HashSet<>(left.lineage().get(i));
            if (i < right.lineage().size()) {
                l.addAll(right.lineage().get(i));
            }
            lineage.add(l);
        }
        // every output of the right arm reaches the result, whatever the arms' widths
        for (int i = size; i < right.lineage().size(); i++) {
            if (size > 0) {
                lineage.get(size - 1).addAll(right.lineage().get(i));
            }
        }
        return new Shape(left.names(), lineage, left.complete() && right.complete());
    }

    private Shape values(JsonNode n) {
        List<String> names = new ArrayList<>();
        List<Set<ColumnName>> lineage = new ArrayList<>();
        for (JsonNode row : list(n, "valuesLists")) {
            List<JsonNode> items = list(body(row), "items");
            for (int i = 0; i < items.size(); i++) {
                if (i >= names.size()) {
                    names.add("column" + (i + 1));
                    lineage.add(new HashSet<>());
                }
                sink = lineage.get(i);
                expr(items.get(i));
            }
        }
        sink = reads;
        return new Shape(names, lineage, true);
    }

    private void with(JsonNode withClause) {
        if (withClause == null) {
            return;
        }
        boolean recursive = bool(withClause, "recursive");
        for (JsonNode cteWrapper : list(withClause, "ctes")) {
            JsonNode cte = body(cteWrapper);
            String name = text(cte, "ctename");
            List<String> aliases = stringList(cte, "aliascolnames");
            JsonNode q = cte.path("ctequery");
            Shape shape;
            JsonNode qb = body(q);
            if (recursive && type(q).equals("SelectStmt") && !"SETOP_NONE".equals(text(qb, "op")) && qb.has("larg")) {
                // the recursive arm refers to the CTE itself: define it from the first arm, then read the rest
                Shape first = query(qb.path("larg"), scope).renamed(aliases);
                scope.defineCte(name, first);
                Shape second = query(qb.path("rarg"), scope);
                shape = union(first, second).renamed(aliases);
            } else {
                shape = queryOrStatement(q).renamed(aliases);
            }
            scope.defineCte(name, shape);
        }
    }

    /** The select list: names and lineage of every output; stars expand. */
    private Shape targets(List<JsonNode> targetList) {
        List<String> names = new ArrayList<>(targetList.size());
        List<Set<ColumnName>> lineage = new ArrayList<>(targetList.size());
        boolean shapeComplete = true;
        for (JsonNode t : targetList) {
            JsonNode rt = body(t);
            JsonNode val = rt.path("val");
            if (type(val).equals("ColumnRef") && isStar(body(val))) {
                shapeComplete &= star(body(val), names, lineage);
                continue;
            }
            Set<ColumnName> l = new HashSet<>();
            sink = l;
            expr(val);
            String name = text(rt, "name");
            names.add(name != null ? name : outputName(val));
            lineage.add(l);
        }
        sink = reads;
        return new Shape(names, lineage, shapeComplete);
    }

    /** PostgreSQL's name for an unnamed output: the column, the function, the cast's argument, else ?column?. */
    static String outputName(JsonNode val) {
        JsonNode n = body(val);
        switch (type(val)) {
            case "ColumnRef" -> {
                List<JsonNode> fields = list(n, "fields");
                String last = fields.isEmpty() ? null : sval(fields.get(fields.size() - 1));
                return last != null ? last : "?column?";
            }
            case "FuncCall" -> {
                List<JsonNode> fn = list(n, "funcname");
                String last = fn.isEmpty() ? null : sval(fn.get(fn.size() - 1));
                return last != null ? last : "?column?";
            }
            case "TypeCast" -> {
                String inner = outputName(n.path("arg"));
                if (!inner.equals("?column?")) {
                    return inner;
                }
                List<JsonNode> tn = list(n.path("typeName"), "names");
                String last = tn.isEmpty() ? null : sval(tn.get(tn.size() - 1));
                return last != null ? last : "?column?";
            }
            case "CaseExpr" -> { return "case"; }
            case "A_ArrayExpr" -> { return "array"; }
            case "RowExpr" -> { return "row"; }
            case "CoalesceExpr" -> { return "coalesce"; }
            case "SubLink" -> {
                JsonNode sub = body(n.path("subselect"));
                List<JsonNode> tl = list(sub, "targetList");
                if ("EXPR_SUBLINK".equals(text(n, "subLinkType")) && tl.size() == 1) {
                    JsonNode rt = body(tl.get(0));
                    String name = text(rt, "name");
                    return name != null ? name : outputName(rt.path("val"));
                }
                return "EXISTS_SUBLINK".equals(text(n, "subLinkType")) ? "exists"
                        : "ARRAY_SUBLINK".equals(text(n, "subLinkType")) ? "array" : "?column?";
            }
            default -> { return "?column?"; }
        }
    }

    /** ORDER BY / GROUP BY item: an output name or position where PostgreSQL takes one, else an expression. */
    private void orderingExpr(JsonNode item, Shape shape) {
        sink = reads;
        String t = type(item);
        JsonNode n = body(item);
        if (t.equals("A_Const") && n.has("ival")) {
            literalsMatter = true; // ORDER BY 2 reads another output than ORDER BY 1
            int position = n.path("ival").path("ival").asInt(0);
            if (position >= 1 && position <= shape.lineage().size()) {
                reads.addAll(shape.lineage().get(position - 1));
            }
            return;
        }
        if (t.equals("ColumnRef")) {
            List<JsonNode> fields = list(n, "fields");
            if (fields.size() == 1 && sval(fields.get(0)) != null) {
                String name = sval(fields.get(0));
                int i = shape.indexOf(name);
                if (i >= 0 && scope != null && !knownAtLevel(scope, name)) {
                    reads.addAll(shape.lineage().get(i));
                    return;
                }
            }
        }
        expr(item);
    }

    private static boolean knownAtLevel(Scope level, String column) {
        for (Source s : level.sources) {
            if (s.indexOf(column) >= 0 || s.kind() == Source.Kind.UNKNOWN_TABLE) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- FROM

    private void fromItem(JsonNode item, boolean target) {
        String t = type(item);
        JsonNode n = body(item);
        switch (t) {
            case "RangeVar" -> scope.add(rangeVar(n, target ? TableUse.WRITE : TableUse.READ));
            case "RangeSubselect" -> {
                boolean lateral = bool(n, "lateral");
                Shape shape = query(body(n.path("subquery")), lateral ? scope : scope.parent);
                JsonNode alias = n.path("alias");
                scope.add(Source.derived(text(alias, "aliasname"), null, shape.renamed(stringList(alias, "colnames"))));
            }
            case "JoinExpr" -> join(n);
            case "RangeFunction" -> {
                for (JsonNode f : list(n, "functions")) {
                    expr(f);
                }
                JsonNode alias = n.path("alias");
                String name = text(alias, "aliasname");
                if (name == null) {
                    name = functionAlias(n);
                }
                List<String> cols = stringList(alias, "colnames");
                scope.add(Source.opaque(name, cols.isEmpty() ? null : cols));
            }
            case "RangeTableSample" -> {
                fromItem(n.path("relation"), target);
                expr(n.get("args"));
                expr(n.get("repeatable"));
            }
            case "RangeTableFunc" -> {
                expr(n.get("docexpr"));
                expr(n.get("rowexpr"));
                expr(n.get("namespaces"));
                for (JsonNode c : list(n, "columns")) {
                    expr(body(c).get("colexpr"));
                    expr(body(c).get("coldefexpr"));
                }
                JsonNode alias = n.path("alias");
                scope.add(Source.opaque(text(alias, "aliasname"), null));
            }
            default -> incomplete("FROM item " + t + " not read");
        }
    }

    /** A function in FROM without an alias is named after the function. */
    private static String functionAlias(JsonNode rangeFunction) {
        for (JsonNode f : list(rangeFunction, "functions")) {
            for (JsonNode part : list(body(f), "items")) {
                if (type(part).equals("FuncCall")) {
                    List<JsonNode> fn = list(body(part), "funcname");
                    return fn.isEmpty() ? null : sval(fn.get(fn.size() - 1));
                }
            }
        }
        return null;
    }

    private Source rangeVar(JsonNode rv, TableUse how) {
        String relname = text(rv, "relname");
        String schema = text(rv, "schemaname");
        JsonNode alias = rv.path("alias");
        String qualifier = text(alias, "aliasname");
        if (qualifier == null) {
            qualifier = relname;
        }
        List<String> colnames = stringList(alias, "colnames");
        if (schema == null && how == TableUse.READ && scope != null) {
            Shape cte = scope.cte(relname);
            if (cte != null) {
                return Source.derived(qualifier, null, cte.renamed(colnames));
            }
        }
        TableName name = tableName(rv);
        use(name, how);
        if (STATISTICS.contains(name.name()) && (name.schema().equals("pg_catalog") || schema == null)) {
            incomplete(name + " hands out sampled column values of other tables");
        }
        Optional<Relation> found = catalog.find(name);
        if (found.isEmpty()) {
            if (!colnames.isEmpty()) {
                // u(a, b) over a table of unknown columns: each name is some column of it; "*" stands for the rest
                List<String> names = new ArrayList<>(colnames);
                names.add(ColumnName.EVERY_COLUMN);
                List<Set<ColumnName>> lineage = new ArrayList<>(names.size());
                for (int i = 0; i < names.size(); i++) {
                    lineage.add(Set.of(ColumnName.everyColumnOf(name)));
                }
                return Source.derived(qualifier, name, new Shape(names, lineage, false));
            }
            return Source.unknownTable(qualifier, name);
        }
        Relation r = found.get();
        if (r.isView() && how == TableUse.READ) {
            return Source.derived(qualifier, name, viewShape(r).renamed(colnames));
        }
        if (colnames.isEmpty()) {
            return Source.table(qualifier, name, r.columns());
        }
        // u(a, b) renames the first columns by position: u.b is the table's second column
        List<Set<ColumnName>> lineage = new ArrayList<>(r.columns().size());
        for (String c : r.columns()) {
            lineage.add(Set.of(new ColumnName(name, c)));
        }
        return Source.derived(qualifier, name, new Shape(r.columns(), lineage, true).renamed(colnames));
    }

    private Shape viewShape(Relation view) {
        if (viewDepth >= MAX_VIEW_DEPTH) {
            incomplete("views nested deeper than " + MAX_VIEW_DEPTH);
            return new Shape(view.columns(), emptyLineage(view.columns().size()), false);
        }
        PgViews.Parsed parsed = views.definition(view);
        if (parsed.select() == null) {
            incomplete("definition of view " + view.name() + " not read: " + parsed.error());
            return new Shape(view.columns(), emptyLineage(view.columns().size()), false);
        }
        List<String> savedPath = searchPath;
        Scope savedScope = scope;
        List<String> path = new ArrayList<>(savedPath.size() + 1);
        path.add(view.name().schema());
        path.addAll(savedPath);
        searchPath = path;
        scope = null;
        viewDepth++;
        try {
            Shape shape = query(parsed.select(), null);
            return view.columns().isEmpty() ? shape : shape.renamed(view.columns());
        } finally {
            viewDepth--;
            scope = savedScope;
            searchPath = savedPath;
        }
    }

    private static List<Set<ColumnName>> emptyLineage(int size) {
        List<Set<ColumnName>> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(Set.of());
        }
        return out;
    }

    private void join(JsonNode n) {
        int before = scope.sources.size();
        fromItem(n.path("larg"), false);
        int middle = scope.sources.size();
        fromItem(n.path("rarg"), false);
        int after = scope.sources.size();
        List<Source> left = new ArrayList<>(scope.sources.subList(before, middle));
        List<Source> right = new ArrayList<>(scope.sources.subList(middle, after));
        sink = reads;
        List<String> using = stringList(n, "usingClause");
        if (bool(n, "isNatural")) {
            using = commonColumns(left, right);
        }
        for (String c : using) {
            // the join compares both sides' columns: each is read
            resolveAmong(left, c);
            resolveAmong(right, c);
        }
        expr(n.get("quals"));
        JsonNode alias = n.get("alias");
        if (alias != null) {
            // (a JOIN b) AS j: j names every column of both sides
            List<String> names = new ArrayList<>();
            List<Set<ColumnName>> lineage = new ArrayList<>();
            boolean known = true;
            for (Source s : scope.sources.subList(before, after)) {
                known &= expand(s, names, lineage);
            }
            scope.add(Source.derived(text(alias, "aliasname"), null,
                    new Shape(names, lineage, known).renamed(stringList(alias, "colnames"))));
        }
    }

    private List<String> commonColumns(List<Source> left, List<Source> right) {
        List<String> l = new ArrayList<>();
        List<String> r = new ArrayList<>();
        boolean known = true;
        for (Source s : left) {
            known &= s.shapeKnown() && s.columns() != null;
            if (s.columns() != null) {
                l.addAll(s.columns());
            }
        }
        for (Source s : right) {
            known &= s.shapeKnown() && s.columns() != null;
            if (s.columns() != null) {
                r.addAll(s.columns());
            }
        }
        if (!known) {
            // the compared columns are not all known: every column of the unknown relations may be one of them
            for (Source s : left) {
                readEveryColumnIfUnknown(s);
            }
            for (Source s : right) {
                readEveryColumnIfUnknown(s);
            }
        }
        List<String> common = new ArrayList<>();
        for (String c : l) {
            if (r.contains(c) && !common.contains(c)) {
                common.add(c);
            }
        }
        return common;
    }

    private void readEveryColumnIfUnknown(Source s) {
        if (s.kind() == Source.Kind.UNKNOWN_TABLE) {
            sink.add(ColumnName.everyColumnOf(s.table()));
        } else if (!s.shapeKnown()) {
            int every = s.indexOf(ColumnName.EVERY_COLUMN);
            if (every >= 0) {
                s.addColumn(every, sink);
            } else {
                incomplete("NATURAL JOIN over " + ColumnReads.describe(s) + ", whose columns are not known");
            }
        }
    }

    private void resolveAmong(List<Source> sources, String column) {
        for (Source s : sources) {
            switch (s.kind()) {
                case TABLE, DERIVED -> {
                    int i = s.indexOf(column);
                    if (i >= 0) {
                        s.addColumn(i, sink);
                        return;
                    }
                }
                case UNKNOWN_TABLE -> {
                    sink.add(new ColumnName(s.table(), column));
                    return;
                }
                case OPAQUE -> {
                    if (s.columns() == null || s.indexOf(column) >= 0) {
                        return;
                    }
                }
            }
        }
        incomplete("join column " + column + " not found on one side");
    }

    // ---------------------------------------------------------------- stars and whole rows

    private static boolean isStar(JsonNode columnRef) {
        List<JsonNode> fields = list(columnRef, "fields");
        return !fields.isEmpty() && type(fields.get(fields.size() - 1)).equals("A_Star");
    }

    /** {@code *} or {@code t.*} into names and lineage; false when a relation's columns are not all known. */
    private boolean star(JsonNode columnRef, List<String> names, List<Set<ColumnName>> lineage) {
        List<JsonNode> fields = list(columnRef, "fields");
        if (fields.size() == 1) {
            boolean known = true;
            for (Source s : scope.sources) {
                known &= expand(s, names, lineage);
            }
            return known;
        }
        Source s = qualifiedSource(fields.subList(0, fields.size() - 1));
        if (s == null) {
            incomplete("no table " + joined(fields.subList(0, fields.size() - 1)) + " in scope for its *");
            return false;
        }
        return expand(s, names, lineage);
    }

    private boolean expand(Source s, List<String> names, List<Set<ColumnName>> lineage) {
        switch (s.kind()) {
            case TABLE -> {
                for (String c : s.columns()) {
                    names.add(c);
                    lineage.add(Set.of(new ColumnName(s.table(), c)));
                }
                return true;
            }
            case DERIVED -> {
                names.addAll(s.shape().names());
                lineage.addAll(s.shape().lineage());
                if (!s.shape().complete() && s.shape().indexOf(ColumnName.EVERY_COLUMN) < 0) {
                    incomplete("* over " + ColumnReads.describe(s) + ", whose columns are not all known");
                }
                return s.shape().complete();
            }
            case UNKNOWN_TABLE -> {
                // its columns are not known: "*" names them all, and stands for any name looked up through it
                names.add(ColumnName.EVERY_COLUMN);
                lineage.add(Set.of(ColumnName.everyColumnOf(s.table())));
                return false;
            }
            case OPAQUE -> {
                if (s.columns() == null) {
                    return false;
                }
                for (String c : s.columns()) {
                    names.add(c);
                    lineage.add(Set.of());
                }
                return true;
            }
        }
        return false;
    }

    /** The source a qualifier names ({@code t}, {@code s.t}, {@code db.s.t}), innermost level first. */
    private Source qualifiedSource(List<JsonNode> qualifier) {
        int size = qualifier.size();
        String table = sval(qualifier.get(size - 1));
        String schema = size >= 2 ? sval(qualifier.get(size - 2)) : null;
        return scope == null || table == null ? null : scope.byQualifierInChain(table, schema);
    }

    private static String joined(List<JsonNode> parts) {
        StringBuilder b = new StringBuilder();
        for (JsonNode p : parts) {
            if (!b.isEmpty()) {
                b.append('.');
            }
            b.append(sval(p));
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- expressions

    /**
     * Every column reference under {@code node} into {@link #sink}; subqueries get their own level. The walk is
     * generic: any field that is not a known scoping construct is descended, so no expression form is skipped.
     */
    private void expr(JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isArray()) {
            for (JsonNode e : node) {
                expr(e);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "ColumnRef" -> columnRef(v);
                case "SubLink" -> {
                    Set<ColumnName> into = sink;
                    sink = reads;
                    expr(v.get("testexpr"));
                    sink = into;
                    Shape shape = query(body(v.path("subselect")), scope);
                    for (Set<ColumnName> l : shape.lineage()) {
                        into.addAll(l);
                    }
                }
                case "SelectStmt" -> {
                    Set<ColumnName> into = sink;
                    Shape shape = query(v, scope);
                    for (Set<ColumnName> l : shape.lineage()) {
                        into.addAll(l);
                    }
                }
                case "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt" -> {
                    Set<ColumnName> into = sink;
                    Shape shape = queryOrStatement(node);
                    for (Set<ColumnName> l : shape.lineage()) {
                        into.addAll(l);
                    }
                }
                case "TypeName", "typeName", "location", "funcname", "name", "agg_star" -> {
                    // names, types and positions: no column
                }
                default -> expr(v);
            }
        }
    }

    private void columnRef(JsonNode n) {
        List<JsonNode> fields = list(n, "fields");
        if (fields.isEmpty()) {
            return;
        }
        if (isStar(n)) {
            List<String> ignored = new ArrayList<>();
            List<Set<ColumnName>> lineage = new ArrayList<>();
            star(n, ignored, lineage);
            for (Set<ColumnName> l : lineage) {
                sink.addAll(l);
            }
            return;
        }
        if (fields.size() == 1) {
            unqualified(sval(fields.get(0)));
            return;
        }
        // t.c, s.t.c, db.s.t.c: the last part is the column when a relation is named by the rest;
        // otherwise c.f is a field of a composite column c (PostgreSQL tries the relation first)
        String column = sval(fields.get(fields.size() - 1));
        Source s = qualifiedSource(fields.subList(0, fields.size() - 1));
        if (s != null && column != null) {
            resolveIn(s, column);
            return;
        }
        if (fields.size() >= 2 && sval(fields.get(0)) != null && resolveUnqualified(sval(fields.get(0))) != Found.NO) {
            return; // composite column's field
        }
        incomplete("no table or alias " + joined(fields.subList(0, fields.size() - 1)) + " in scope");
    }

    private void resolveIn(Source source, String column) {
        switch (source.kind()) {
            case TABLE, DERIVED -> {
                int i = source.indexOf(column);
                if (i < 0) {
                    i = source.indexOf(ColumnName.EVERY_COLUMN); // a column of a table whose columns are not known
                }
                if (i >= 0) {
                    source.addColumn(i, sink);
                } else {
                    incomplete("column " + column + " is not known in " + ColumnReads.describe(source));
                }
            }
            case UNKNOWN_TABLE -> sink.add(new ColumnName(source.table(), column));
            case OPAQUE -> {
                // function results and VALUES hold no stored data
            }
        }
    }

    private void unqualified(String column) {
        if (column == null) {
            return;
        }
        Found found = resolveUnqualified(column);
        if (found == Found.SURE) {
            return;
        }
        // a bare relation name in an expression is its whole row (SELECT t FROM t, row_to_json(t)); where only
        // tables of unknown shape were candidates, the name may be either, so both count
        Source whole = scope == null ? null : scope.byQualifierInChain(column, null);
        if (whole != null) {
            List<String> ignored = new ArrayList<>();
            List<Set<ColumnName>> lineage = new ArrayList<>();
            expand(whole, ignored, lineage);
            for (Set<ColumnName> l : lineage) {
                sink.addAll(l);
            }
            return;
        }
        if (found == Found.NO) {
            incomplete("column " + column + " not found in any table in scope");
        }
    }

    /** How one query level answers an unqualified column name. */
    private enum Found { SURE, MAYBE, NO }

    /**
     * Innermost level first, as PostgreSQL resolves: a level whose known columns hold the name ends the search. A
     * level with tables of unknown shape may hold it: the name is reported for each of them, and the search goes on
     * outward (it may be an outer column), so the reported reads are a superset of the true one and stay complete.
     */
    private Found resolveUnqualified(String column) {
        boolean maybe = false;
        for (Scope level = scope; level != null; level = level.parent) {
            Found found = resolveAtLevel(level, column);
            if (found == Found.SURE) {
                return Found.SURE;
            }
            maybe |= found == Found.MAYBE;
        }
        return maybe ? Found.MAYBE : Found.NO;
    }

    private Found resolveAtLevel(Scope level, String column) {
        List<Source> sources = level.sources;
        int matched = 0;
        int unknown = 0;
        boolean opaqueHas = false;
        boolean opaqueMay = false;
        for (Source source : sources) {
            switch (source.kind()) {
                case TABLE, DERIVED -> {
                    int index = source.indexOf(column);
                    if (index >= 0) {
                        source.addColumn(index, sink);
                        matched++;
                    } else if (!source.shapeKnown()) {
                        unknown++;
                        int every = source.indexOf(ColumnName.EVERY_COLUMN);
                        if (every >= 0) {
                            source.addColumn(every, sink);
                        } else if (source.kind() == Source.Kind.DERIVED) {
                            incomplete("column " + column + " may come from a subquery whose columns are unknown");
                        }
                    }
                }
                case UNKNOWN_TABLE -> {
                    unknown++;
                    sink.add(new ColumnName(source.table(), column));
                }
                case OPAQUE -> {
                    if (source.columns() == null) {
                        opaqueMay = true;
                    } else if (source.indexOf(column) >= 0) {
                        opaqueHas = true;
                    }
                }
            }
        }
        if (matched > 0 || opaqueHas) {
            return Found.SURE;
        }
        return unknown > 0 || opaqueMay ? Found.MAYBE : Found.NO;
    }

    // ---------------------------------------------------------------- writes

    /** The DML target as a scope entry: its alias (or name) sees the table's columns. */
    private Source target(JsonNode relation) {
        Source s = rangeVar(relation.has("RangeVar") ? body(relation) : relation, TableUse.WRITE);
        if (s.kind() == Source.Kind.DERIVED && s.table() != null) {
            // a view as target: its base tables are written through it
            incomplete("write through view " + s.table());
        }
        return s;
    }

    /** What each data-modifying statement does past the frame {@link #modifying} gives it. */
    @FunctionalInterface
    private interface Modification {
        Shape walk(Source target);
    }

    /**
     * The frame every data-modifying statement shares: a level of its own with its WITH, its target (in scope
     * unless {@code targetInScope} is false: an INSERT's source cannot see it), then {@code body}.
     */
    private Shape modifying(JsonNode n, boolean targetInScope, Modification body) {
        Scope saved = scope;
        scope = new Scope(saved);
        try {
            with(n.get("withClause"));
            Source target = target(n.path("relation"));
            if (targetInScope) {
                scope.add(target);
            }
            sink = reads;
            return body.walk(target);
        } finally {
            scope = saved;
            sink = reads;
        }
    }

    /** {@code SET a = x, (b, c) = (...)}: the columns named are written, what their values read is read. */
    private void assignments(List<JsonNode> targetList, TableName table) {
        sink = reads;
        for (JsonNode t : targetList) {
            JsonNode rt = body(t);
            String name = text(rt, "name");
            if (name != null) {
                writes.add(new ColumnName(table, name));
            }
            expr(rt.get("indirection"));
            expr(rt.get("val"));
        }
    }

    private Shape insert(JsonNode n) {
        return modifying(n, false, target -> {
            TableName table = target.table();
            List<JsonNode> cols = list(n, "cols");
            if (cols.isEmpty()) {
                writeEveryColumn(table);
            } else {
                for (JsonNode c : cols) {
                    String name = text(body(c), "name");
                    if (name != null) {
                        writes.add(new ColumnName(table, name));
                    }
                }
            }
            JsonNode select = n.get("selectStmt");
            if (select != null) {
                readAll(query(body(select), scope));
            }
            scope.add(target);
            JsonNode conflict = n.get("onConflictClause");
            if (conflict != null) {
                sink = reads;
                expr(conflict.path("infer"));
                // EXCLUDED is the row proposed for insertion: its values are the source's, already read
                scope.add(Source.opaque("excluded", target.columns()));
                assignments(list(conflict, "targetList"), table);
                expr(conflict.get("whereClause"));
            }
            return returning(list(n, "returningList"));
        });
    }

    private Shape update(JsonNode n) {
        return modifying(n, true, target -> {
            for (JsonNode item : list(n, "fromClause")) {
                fromItem(item, false);
            }
            assignments(list(n, "targetList"), target.table());
            where(n.get("whereClause"));
            return returning(list(n, "returningList"));
        });
    }

    private Shape delete(JsonNode n) {
        return modifying(n, true, target -> {
            for (JsonNode item : list(n, "usingClause")) {
                fromItem(item, false);
            }
            writeEveryColumn(target.table());
            where(n.get("whereClause"));
            return returning(list(n, "returningList"));
        });
    }

    private Shape merge(JsonNode n) {
        return modifying(n, true, target -> {
            fromItem(n.path("sourceRelation"), false);
            where(n.get("joinCondition"));
            for (JsonNode w : list(n, "mergeWhenClauses")) {
                JsonNode c = body(w);
                sink = reads;
                expr(c.get("condition"));
                String command = text(c, "commandType");
                List<JsonNode> targets = list(c, "targetList");
                if ("CMD_DELETE".equals(command) || ("CMD_INSERT".equals(command) && targets.isEmpty())) {
                    writeEveryColumn(target.table());
                }
                assignments(targets, target.table());
                expr(c.get("values"));
            }
            return new Shape(List.of(), List.of(), true);
        });
    }

    private Shape returning(List<JsonNode> returningList) {
        if (returningList.isEmpty()) {
            return new Shape(List.of(), List.of(), true);
        }
        Shape shape = targets(returningList);
        readAll(shape);
        return shape;
    }

    private void copy(JsonNode n) {
        JsonNode query = n.get("query");
        if (query != null) {
            readAll(queryOrStatement(query));
            return;
        }
        boolean from = bool(n, "is_from");
        TableName table = tableName(n.path("relation"));
        use(table, from ? TableUse.WRITE : TableUse.READ);
        Set<ColumnName> into = from ? writes : reads;
        List<String> cols = stringList(n, "attlist");
        if (cols.isEmpty()) {
            Optional<Relation> r = catalog.find(table);
            if (r.isPresent()) {
                for (String c : r.get().columns()) {
                    into.add(new ColumnName(table, c));
                }
            } else {
                into.add(ColumnName.everyColumnOf(table));
            }
        } else {
            for (String c : cols) {
                into.add(new ColumnName(table, c));
            }
        }
        scope = new Scope(null);
        scope.add(Source.unknownTable(table.name(), table));
        sink = reads;
        expr(n.get("whereClause"));
        scope = null;
    }

    // ---------------------------------------------------------------- unbounded writes

    /** The WHERE (or MERGE's ON) is read, and decides whether every row may be touched. */
    private void where(JsonNode predicate) {
        sink = reads;
        if (predicate == null) {
            unbounded = true;
            return;
        }
        expr(predicate);
        Truth t = truth(predicate);
        if (t == Truth.TRUE || t == Truth.CONSTANT) {
            unbounded = true;
        }
        if (t != Truth.ROW) {
            literalsMatter = true; // the same shape with other literals could be decided otherwise
        }
    }

    /** What a predicate is for the rows: the same for all (true, false, unknown constant) or row-dependent. */
    private enum Truth { TRUE, FALSE, CONSTANT, ROW }

    private Truth truth(JsonNode wrapper) {
        String t = type(wrapper);
        JsonNode n = body(wrapper);
        switch (t) {
            case "BoolExpr" -> {
                String op = text(n, "boolop");
                List<JsonNode> args = list(n, "args");
                if ("NOT_EXPR".equals(op)) {
                    Truth a = args.isEmpty() ? Truth.CONSTANT : truth(args.get(0));
                    return a == Truth.TRUE ? Truth.FALSE : a == Truth.FALSE ? Truth.TRUE : a;
                }
                boolean and = "AND_EXPR".equals(op);
                boolean sawRow = false;
                boolean sawConstant = false;
                boolean sawDecisive = false;
                for (JsonNode a : args) {
                    Truth v = truth(a);
                    if (v == (and ? Truth.FALSE : Truth.TRUE)) {
                        sawDecisive = true;
                    } else if (v == Truth.ROW) {
                        sawRow = true;
                    } else if (v == Truth.CONSTANT) {
                        sawConstant = true;
                    }
                }
                if (sawDecisive) {
                    return and ? Truth.FALSE : Truth.TRUE;
                }
                if (and) {
                    return sawRow ? Truth.ROW : sawConstant ? Truth.CONSTANT : Truth.TRUE;
                }
                // OR with a constant that may be true touches every row
                return sawConstant ? Truth.CONSTANT : sawRow ? Truth.ROW : Truth.FALSE;
            }
            case "A_Const", "TypeCast" -> {
                Boolean b = booleanConstant(wrapper);
                if (b != null) {
                    literalsMatter = true;
                    return b ? Truth.TRUE : Truth.FALSE;
                }
                return dependsOnRow(wrapper) ? Truth.ROW : Truth.CONSTANT;
            }
            case "A_Expr" -> {
                Boolean b = comparison(n);
                if (b != null) {
                    literalsMatter = true;
                    return b ? Truth.TRUE : Truth.FALSE;
                }
                return dependsOnRow(wrapper) ? Truth.ROW : Truth.CONSTANT;
            }
            default -> {
                return dependsOnRow(wrapper) ? Truth.ROW : Truth.CONSTANT;
            }
        }
    }

    /** Whether an expression refers to any column (its own subqueries' columns included, conservatively). */
    private static boolean dependsOnRow(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isArray()) {
            for (JsonNode e : node) {
                if (dependsOnRow(e)) {
                    return true;
                }
            }
            return false;
        }
        if (!node.isObject()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "ColumnRef", "CurrentOfExpr" -> {
                    return true; // WHERE CURRENT OF: the one row the cursor is on
                }
                case "SubLink" -> {
                    // a subquery over its own tables is the same for every row unless it refers outward;
                    // treating a correlated one as row-dependent needs resolution, so only outward-looking
                    // unqualified names can make it so: conservatively, a subquery counts as constant
                    // when its predicate parts name no column outside its own FROM
                    if (correlated(e.getValue())) {
                        return true;
                    }
                    if (dependsOnRow(e.getValue().get("testexpr"))) {
                        return true;
                    }
                }
                default -> {
                    if (dependsOnRow(e.getValue())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A subquery that names a qualifier not defined in its own FROM clauses refers to the outer row. */
    private static boolean correlated(JsonNode subLink) {
        JsonNode select = body(subLink.path("subselect"));
        Set<String> own = new HashSet<>();
        collectQualifiers(select, own);
        return refersOutside(select, own);
    }

    private static void collectQualifiers(JsonNode node, Set<String> into) {
        if (node == null || !node.isContainerNode()) {
            return;
        }
        if (node.isObject()) {
            JsonNode rv = node.get("RangeVar");
            if (rv != null) {
                String alias = text(rv.path("alias"), "aliasname");
                into.add(alias != null ? alias : String.valueOf(text(rv, "relname")));
            }
            JsonNode sub = node.get("RangeSubselect");
            if (sub != null) {
                into.add(String.valueOf(text(sub.path("alias"), "aliasname")));
            }
        }
        for (JsonNode child : node) {
            collectQualifiers(child, into);
        }
    }

    private static boolean refersOutside(JsonNode node, Set<String> own) {
        if (node == null || !node.isContainerNode()) {
            return false;
        }
        if (node.isObject()) {
            JsonNode ref = node.get("ColumnRef");
            if (ref != null) {
                List<JsonNode> fields = list(ref, "fields");
                if (fields.size() == 1) {
                    // an unqualified name may be the outer row's column; a bare * is the subquery's own
                    return !type(fields.get(0)).equals("A_Star");
                }
                String qualifier = fields.size() >= 2 ? sval(fields.get(fields.size() - 2)) : null;
                return qualifier == null || !own.contains(qualifier);
            }
        }
        for (JsonNode child : node) {
            if (refersOutside(child, own)) {
                return true;
            }
        }
        return false;
    }

    /** {@code true}, {@code 't'::bool}, {@code 'yes'::boolean}, {@code 1::bool}: its value, else null. */
    private static Boolean booleanConstant(JsonNode wrapper) {
        String t = type(wrapper);
        JsonNode n = body(wrapper);
        if (t.equals("A_Const") && n.has("boolval")) {
            return n.path("boolval").path("boolval").asBoolean(false);
        }
        if (t.equals("TypeCast")) {
            List<JsonNode> names = list(n.path("typeName"), "names");
            String last = names.isEmpty() ? null : sval(names.get(names.size() - 1));
            if (("bool".equals(last) || "boolean".equals(last)) && type(n.path("arg")).equals("A_Const")) {
                String v = constant(n.path("arg"));
                return v == null ? null : parseBool(v);
            }
            Boolean inner = booleanConstant(n.path("arg"));
            return ("bool".equals(last) || "boolean".equals(last)) ? inner : null;
        }
        return null;
    }

    /** PostgreSQL's boolin: unique prefixes of true/false/yes/no, on/off, 1/0, ignoring case and spaces. */
    private static Boolean parseBool(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return null;
        }
        if ("true".startsWith(s) || "yes".startsWith(s) || s.equals("on") || s.equals("1")) { // "o" alone is an error
            return Boolean.TRUE;
        }
        if ("false".startsWith(s) || "no".startsWith(s) || s.equals("off") || s.equals("of") || s.equals("0")) {
            return Boolean.FALSE;
        }
        return null;
    }

    /** {@code 1 = 1}, {@code 'a' <> 'b'}: comparisons of two numeric or two string constants. */
    private static Boolean comparison(JsonNode aExpr) {
        if (!"AEXPR_OP".equals(text(aExpr, "kind"))) {
            return null;
        }
        List<JsonNode> name = list(aExpr, "name");
        if (name.size() != 1) {
            return null;
        }
        String op = sval(name.get(0));
        JsonNode l = aExpr.path("lexpr");
        JsonNode r = aExpr.path("rexpr");
        if (!type(l).equals("A_Const") || !type(r).equals("A_Const")) {
            return null;
        }
        String a = constant(l);
        String b = constant(r);
        if (a == null || b == null || op == null) {
            return null;
        }
        int c;
        boolean numeric = !body(l).has("sval") && !body(r).has("sval") && !body(l).has("bsval") && !body(r).has("bsval");
        if (numeric) {
            try {
                c = new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
            } catch (NumberFormatException e) {
                return null;
            }
        } else if (body(l).has("sval") && body(r).has("sval")) {
            c = a.compareTo(b); // untyped literals compare as text; collation order only matters for <, >
            if (!op.equals("=") && !op.equals("<>") && !op.equals("!=")) {
                return null;
            }
        } else {
            return null;
        }
        return switch (op) {
            case "=" -> c == 0;
            case "<>", "!=" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> null;
        };
    }

    private static List<String> stringList(JsonNode node, String field) {
        List<JsonNode> items = list(node, field);
        if (items.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(items.size());
        for (JsonNode i : items) {
            String s = sval(i);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }
}
