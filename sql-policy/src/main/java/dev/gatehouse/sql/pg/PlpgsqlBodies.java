package dev.gatehouse.sql.pg;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a PL/pgSQL block runs, read by PostgreSQL's own PL/pgSQL parser (libpg_query's pg_query_parse_plpgsql): the
 * SQL text of every {@code PLpgSQL_expr} in the tree, wherever it sits, as text PostgreSQL's main parser accepts,
 * and whether the block runs SQL built at run time ({@code EXECUTE} of a computed string).
 *
 * <p>Fails closed: a body that does not parse, another language, a tree holding an expression in a place this class
 * does not know, or a body beyond the bounds ({@link #MAX_BODY_CHARS}, {@link #MAX_TREE_DEPTH}, {@link #MAX_TEXTS})
 * gives a {@link Result} with an error and no texts; callers then keep the statement PROCEDURAL.
 *
 * <p>Stateless, any thread.
 */
public final class PlpgsqlBodies {
    /** Bodies up to this size are read; a larger one is an error (callers already bound the whole submission). */
    public static final int MAX_BODY_CHARS = 1024 * 1024;
    /**
     * JSON nesting of the PL/pgSQL tree read (3 levels per nested block, loop or IF: some 330 of them): deeper is an
     * error, so the walk's work and Jackson's reading stay bounded whatever the body.
     */
    public static final int MAX_TREE_DEPTH = 1000;
    /** SQL texts reported per body; more is an error (each is read again by the caller's analyzer). */
    public static final int MAX_TEXTS = 4096;
    /** Dollar-quote tags tried when wrapping a DO body; a body holding all of them is an error. */
    static final int MAX_TAG_TRIES = 64;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(2 * MAX_TREE_DEPTH) // the walk's own bound, counted alike, says why first
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build());

    private PlpgsqlBodies() {
    }

    /** How a text came out of the block, for callers that weigh them differently. */
    public enum Source {
        /** A statement the block runs as written (SQL statement, PERFORM as SELECT, CALL, nested DO, cursor query). */
        STATEMENT,
        /** An expression PL/pgSQL evaluates ({@code x > 1}, a default, an assignment's value), given as {@code SELECT expr}. */
        EXPRESSION,
        /** The string literal an {@code EXECUTE '...'} runs: SQL text like a submission's (may hold several statements). */
        EXECUTED_LITERAL
    }

    /** One SQL text of the block, in PostgreSQL's syntax, to be read like a submission. */
    public record Text(String sql, Source source) {
        public Text {
            Objects.requireNonNull(sql);
            Objects.requireNonNull(source);
        }
    }

    /**
     * @param texts   every SQL text the block holds, in tree order, each once; empty on error
     * @param dynamic true when the block runs SQL computed at run time (EXECUTE, FOR ... IN EXECUTE, OPEN ... FOR
     *                EXECUTE, RETURN QUERY EXECUTE of anything but a string literal): its texts are not all it runs
     * @param variables the names the block declares (parameters, DECLAREd variables and cursors, loop variables,
     *                  {@code found}, a trigger's {@code new} and {@code old}) as PL/pgSQL stores them. In the texts
     *                  they read like column names: a name no table in scope has (an expression's {@code SELECT n = 0})
     *                  is one of these or an error. Never drop a column a table does have because a variable shares
     *                  its name: {@code #variable_conflict use_column} or the plpgsql.variable_conflict setting make
     *                  the column win
     * @param error   why the block was not read, or null
     */
    public record Result(List<Text> texts, boolean dynamic, Set<String> variables, String error) {
        public Result {
            texts = List.copyOf(texts);
            variables = Set.copyOf(variables);
            if (error != null && (!texts.isEmpty() || dynamic || !variables.isEmpty())) {
                throw new IllegalArgumentException("an error carries no texts");
            }
        }

        public boolean ok() {
            return error == null;
        }

        /** The texts' SQL alone. */
        public List<String> sqls() {
            List<String> out = new ArrayList<>(texts.size());
            for (Text t : texts) {
                out.add(t.sql());
            }
            return out;
        }

        static Result failed(String why) {
            return new Result(List.of(), false, Set.of(), why);
        }
    }

    // ---------------------------------------------------------------- entry points

    /**
     * A {@code DO} statement's block, from its parse node ({@code {"DoStmt": {...}}} or its fields, as
     * {@link PgTrees} gives it): the {@code as} and {@code language} arguments are read from the node, so the body is
     * the string exactly as the server's parser decoded it.
     *
     * @param standardConformingStrings the setting the statement was read with; it also governs the body's reading
     */
    public static Result ofDo(JsonNode doStmt, boolean standardConformingStrings) {
        JsonNode n = PgNodes.type(doStmt).equals("DoStmt") ? PgNodes.body(doStmt) : doStmt;
        if (n == null || !n.isObject()) {
            return Result.failed("no DO statement node");
        }
        String body = null;
        String language = null;
        int bodies = 0;
        int languages = 0;
        for (JsonNode arg : PgNodes.list(n, "args")) {
            JsonNode d = PgNodes.body(arg);
            String name = PgNodes.text(d, "defname");
            // the server refuses a repeated option ("conflicting or redundant options"): so do we
            if ("as".equals(name)) {
                bodies++;
                body = PgNodes.sval(d.get("arg"));
            } else if ("language".equals(name)) {
                languages++;
                language = PgNodes.sval(d.get("arg"));
            } else {
                return Result.failed("DO option " + name + " not understood");
            }
        }
        if (bodies != 1 || body == null) {
            return Result.failed("DO without exactly one body");
        }
        if (languages > 1 || (languages == 1 && language == null)) {
            return Result.failed("DO with a repeated or unreadable LANGUAGE");
        }
        return ofDoBody(body, languages == 0 ? "plpgsql" : language, standardConformingStrings);
    }

    /** A {@code DO} statement given as text holding that one statement, read with the session's setting. */
    public static Result ofDoStatement(String doSql, boolean standardConformingStrings) {
        PgTrees.Tree tree = PgTrees.parse(doSql, standardConformingStrings);
        if (tree.error() != null) {
            return Result.failed("statement not readable: " + tree.error());
        }
        if (tree.statements().size() != 1 || !PgNodes.type(tree.statements().get(0).stmt()).equals("DoStmt")) {
            return Result.failed("text is not one DO statement");
        }
        return ofDo(tree.statements().get(0).stmt(), standardConformingStrings);
    }

    /**
     * A DO block given as its body text and language (as the server's parser decoded them; the language is compared
     * exactly, as the server looks it up: only {@code plpgsql} is read).
     */
    public static Result ofDoBody(String body, String language, boolean standardConformingStrings) {
        String refused = refusedBody(body, language);
        if (refused != null) {
            return Result.failed(refused);
        }
        String wrapped = wrapDo(body, standardConformingStrings);
        if (wrapped == null) {
            return Result.failed("no dollar-quote tag found that the body does not hold (or the wrapper read back otherwise)");
        }
        return read(PgQuery.parsePlpgsql(wrapped, standardConformingStrings), standardConformingStrings);
    }

    /**
     * A {@code CREATE FUNCTION} or {@code CREATE PROCEDURE} statement's PL/pgSQL body. Defining a function runs
     * nothing: this reports what a later call would run. The text must hold that one statement (a submission's
     * statement as {@link PgTrees} splits it); parameter names matter to PL/pgSQL's reading, so the statement is read
     * whole.
     */
    public static Result ofCreateFunction(String createFunctionSql, boolean standardConformingStrings) {
        PgTrees.Tree tree = PgTrees.parse(createFunctionSql, standardConformingStrings);
        if (tree.error() != null) {
            return Result.failed("statement not readable: " + tree.error());
        }
        if (tree.statements().size() != 1
                || !PgNodes.type(tree.statements().get(0).stmt()).equals("CreateFunctionStmt")) {
            return Result.failed("text is not one CREATE FUNCTION or CREATE PROCEDURE statement");
        }
        JsonNode n = PgNodes.body(tree.statements().get(0).stmt());
        if (n.has("sql_body")) {
            return Result.failed("function with a BEGIN ATOMIC body is not PL/pgSQL");
        }
        String body = null;
        String language = null;
        int bodies = 0;
        int languages = 0;
        for (JsonNode option : PgNodes.list(n, "options")) {
            JsonNode d = PgNodes.body(option);
            String name = PgNodes.text(d, "defname");
            if ("as".equals(name)) {
                bodies++;
                // AS 'obj_file', 'link_symbol' has two strings: not PL/pgSQL
                List<JsonNode> parts = PgNodes.list(PgNodes.body(d.path("arg")), "items");
                body = parts.size() == 1 ? PgNodes.sval(parts.get(0)) : null;
            } else if ("language".equals(name)) {
                languages++;
                language = PgNodes.sval(d.get("arg"));
            }
        }
        if (bodies != 1 || body == null) {
            return Result.failed("function without exactly one body string");
        }
        if (languages != 1) {
            return Result.failed("function without exactly one LANGUAGE");
        }
        String refused = refusedBody(body, language);
        if (refused != null) {
            return Result.failed(refused);
        }
        return read(PgQuery.parsePlpgsql(createFunctionSql, standardConformingStrings), standardConformingStrings);
    }

    private static String refusedBody(String body, String language) {
        if (!"plpgsql".equals(language)) {
            return "language " + language + " is not read (only plpgsql)";
        }
        if (body.length() > MAX_BODY_CHARS) {
            return "body of " + body.length() + " characters is larger than the " + MAX_BODY_CHARS + " read";
        }
        return null;
    }

    // ---------------------------------------------------------------- wrapping a DO body

    /**
     * {@code DO $tag$body$tag$} with a tag whose closing delimiter first occurs where we put it, checked by parsing
     * the wrapper back: the server's parser must give one DO whose body is exactly {@code body} and no other option
     * (so the language is plpgsql's default). Null when no tag fits.
     */
    static String wrapDo(String body, boolean standardConformingStrings) {
        for (int i = 0; i < MAX_TAG_TRIES; i++) {
            String delimiter = "$gatehouse" + (i == 0 ? "" : "_" + i) + "$";
            // the body followed by the delimiter must not close earlier: "...$gatehouse" + "$gatehouse$" would
            if ((body + delimiter).indexOf(delimiter) != body.length()) {
                continue;
            }
            String wrapped = "DO " + delimiter + body + delimiter;
            return sameBody(wrapped, body, standardConformingStrings) ? wrapped : null;
        }
        return null;
    }

    private static boolean sameBody(String wrapped, String body, boolean standardConformingStrings) {
        PgTrees.Tree t = PgTrees.parse(wrapped, standardConformingStrings);
        if (t.error() != null || t.statements().size() != 1 || !PgNodes.type(t.statements().get(0).stmt()).equals("DoStmt")) {
            return false;
        }
        List<JsonNode> args = PgNodes.list(PgNodes.body(t.statements().get(0).stmt()), "args");
        if (args.size() != 1) {
            return false;
        }
        JsonNode d = PgNodes.body(args.get(0));
        return "as".equals(PgNodes.text(d, "defname")) && body.equals(PgNodes.sval(d.get("arg")));
    }

    // ---------------------------------------------------------------- reading the PL/pgSQL tree

    /** How PL/pgSQL reads an expression at a place in its tree (PostgreSQL 15's pl_gram.y: its RawParseMode). */
    private enum Mode {
        /** RAW_PARSE_DEFAULT: a whole statement. */
        STATEMENT,
        /** RAW_PARSE_PLPGSQL_EXPR: a SELECT's body without the SELECT keyword. */
        EXPRESSION,
        /** RAW_PARSE_PLPGSQL_ASSIGNn: {@code target := expression}. */
        ASSIGNMENT,
        /** An expression whose value is SQL text run by EXECUTE. */
        DYNAMIC
    }

    /**
     * Every place libpg_query 15-4.0.0's JSON (pg_query_json_plpgsql.c) puts a PLpgSQL_expr, as "node.field", and how
     * PL/pgSQL's grammar reads the expression there. A place not listed is an error: a new library could put an
     * expression somewhere this table does not know, and guessing its reading could hide what it runs.
     */
    private static final Map<String, Mode> PLACES = Map.ofEntries(
            Map.entry("PLpgSQL_stmt_execsql.sqlstmt", Mode.STATEMENT),
            Map.entry("PLpgSQL_stmt_fors.query", Mode.STATEMENT),
            Map.entry("PLpgSQL_stmt_open.query", Mode.STATEMENT),
            Map.entry("PLpgSQL_stmt_return_query.query", Mode.STATEMENT),
            Map.entry("PLpgSQL_stmt_perform.expr", Mode.STATEMENT), // PL/pgSQL already wrote PERFORM as SELECT
            Map.entry("PLpgSQL_stmt_call.expr", Mode.STATEMENT),    // CALL ... and a nested DO ...
            Map.entry("PLpgSQL_var.cursor_explicit_expr", Mode.STATEMENT),
            Map.entry("PLpgSQL_stmt_assign.expr", Mode.ASSIGNMENT),
            Map.entry("PLpgSQL_stmt_dynexecute.query", Mode.DYNAMIC),
            Map.entry("PLpgSQL_stmt_dynfors.query", Mode.DYNAMIC),
            Map.entry("PLpgSQL_stmt_open.dynquery", Mode.DYNAMIC),
            Map.entry("PLpgSQL_stmt_return_query.dynquery", Mode.DYNAMIC),
            Map.entry("PLpgSQL_var.default_val", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_if.cond", Mode.EXPRESSION),
            Map.entry("PLpgSQL_if_elsif.cond", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_case.t_expr", Mode.EXPRESSION),
            Map.entry("PLpgSQL_case_when.expr", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_while.cond", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_fori.lower", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_fori.upper", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_fori.step", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_forc.argquery", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_foreach_a.expr", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_exit.cond", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_return.expr", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_return_next.expr", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_raise.params", Mode.EXPRESSION),
            Map.entry("PLpgSQL_raise_option.expr", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_assert.cond", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_assert.message", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_dynexecute.params", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_dynfors.params", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_open.argquery", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_open.params", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_return_query.params", Mode.EXPRESSION),
            Map.entry("PLpgSQL_stmt_fetch.expr", Mode.EXPRESSION));

    /** What the texts found so far add up to; confined to one call. */
    private static final class Found {
        final Set<Text> texts = new LinkedHashSet<>();
        boolean dynamic;
        String error;

        void add(String sql, Source source) {
            if (error == null && texts.add(new Text(sql, source)) && texts.size() > MAX_TEXTS) {
                error = "more than " + MAX_TEXTS + " SQL texts in one body";
            }
        }

        void fail(String why) {
            if (error == null) {
                error = why;
            }
        }
    }

    /**
     * One thing to visit: a JSON container, or (field non-null) a PLpgSQL_expr at owner.field; owner is the type of
     * the PL/pgSQL node the thing belongs to, depth its JSON nesting.
     */
    private record Visit(JsonNode node, String owner, String field, int depth) {
    }

    private static Result read(PgParse parse, boolean scs) {
        if (!parse.ok()) {
            return Result.failed("PL/pgSQL parser: " + parse.error());
        }
        JsonNode root;
        try {
            root = JSON.readTree(parse.json());
        } catch (JsonProcessingException e) {
            return Result.failed("PL/pgSQL tree not readable: " + e.getOriginalMessage());
        }
        // one statement in, one function out; a function without a block is what the library gives another language
        if (root == null || !root.isArray() || root.size() != 1
                || !PgNodes.type(root.get(0)).equals("PLpgSQL_function")
                || !PgNodes.body(root.get(0)).has("action")) {
            return Result.failed("PL/pgSQL parser gave no single function");
        }
        Found found = new Found();
        // an explicit stack: the tree's depth is the body's nesting, bounded here and never by the Java stack
        Deque<Visit> todo = new ArrayDeque<>();
        todo.push(new Visit(root.get(0), "", null, 1));
        List<Visit> children = new ArrayList<>();
        while (!todo.isEmpty() && found.error == null) {
            Visit v = todo.pop();
            if (v.depth > MAX_TREE_DEPTH) {
                found.fail("PL/pgSQL tree nested deeper than " + MAX_TREE_DEPTH + " levels");
                break;
            }
            if (v.field != null) {
                expression(v.owner, v.field, v.node, scs, found);
                continue;
            }
            String owner = v.owner;
            JsonNode fields = v.node;
            int depth = v.depth;
            String type = PgNodes.type(v.node);
            if (type.startsWith("PLpgSQL_") && PgNodes.body(v.node).isObject()) {
                owner = type;
                fields = PgNodes.body(v.node);
                depth++;
            }
            children.clear();
            for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                if (value.isArray()) {
                    for (JsonNode element : value) {
                        child(element, owner, field.getKey(), depth + 2, children);
                    }
                } else {
                    child(value, owner, field.getKey(), depth + 1, children);
                }
            }
            // pushed in reverse so the texts come out in the JSON's order
            for (int i = children.size() - 1; i >= 0; i--) {
                todo.push(children.get(i));
            }
        }
        if (found.error != null) {
            return Result.failed(found.error);
        }
        // the function's datums: every variable it declares, whatever block declares it
        Set<String> variables = new LinkedHashSet<>();
        for (JsonNode datum : PgNodes.list(PgNodes.body(root.get(0)), "datums")) {
            String type = PgNodes.type(datum);
            String name = PgNodes.text(PgNodes.body(datum), "refname");
            if (name != null && (type.equals("PLpgSQL_var") || type.equals("PLpgSQL_rec"))) {
                variables.add(name);
            }
        }
        return new Result(new ArrayList<>(found.texts), found.dynamic, variables, null);
    }

    private static void child(JsonNode value, String owner, String field, int depth, List<Visit> children) {
        if (isExpr(value)) {
            children.add(new Visit(value, owner, field, depth));
        } else if (value.isContainerNode()) {
            children.add(new Visit(value, owner, null, depth));
        }
    }

    private static boolean isExpr(JsonNode node) {
        return PgNodes.type(node).equals("PLpgSQL_expr");
    }

    private static void expression(String owner, String field, JsonNode expr, boolean scs, Found found) {
        Mode mode = PLACES.get(owner + "." + field);
        if (mode == null) {
            found.fail("PL/pgSQL expression at " + owner + "." + field + " not understood");
            return;
        }
        String query = PgNodes.text(PgNodes.body(expr), "query");
        if (query == null) {
            return; // no text: nothing runs there
        }
        switch (mode) {
            case STATEMENT -> found.add(query, Source.STATEMENT);
            case EXPRESSION -> found.add(select(query), Source.EXPRESSION);
            case ASSIGNMENT -> assignment(query, scs, found);
            case DYNAMIC -> {
                String literal = literal(query, scs);
                if (literal != null) {
                    found.add(literal, Source.EXECUTED_LITERAL);
                } else {
                    // the expression itself runs too (EXECUTE format(...), EXECUTE pg_read_file(...))
                    found.add(select(query), Source.EXPRESSION);
                    found.dynamic = true;
                }
            }
        }
    }

    /**
     * PL/pgSQL's expression reading is a SELECT's body without the keyword (PostgreSQL before 14 ran expressions as
     * exactly this text); nothing is appended, so a trailing comment in the expression cannot swallow anything.
     */
    private static String select(String expression) {
        return "SELECT " + expression;
    }

    /**
     * {@code target := expression} (or {@code =}): the value as {@code SELECT expression}, and a target holding
     * subscripts ({@code a[(SELECT ...)]}, which run too) as {@code SELECT target}. Split at the first {@code :=} or
     * {@code =} token outside brackets and parentheses, by PostgreSQL's scanner.
     */
    private static void assignment(String query, boolean scs, Found found) {
        PgScan scan = PgQuery.scan(query, scs);
        if (!scan.ok()) {
            found.fail("assignment not readable: " + scan.error());
            return;
        }
        int depth = 0;
        boolean subscripted = false;
        for (int i = 0; i < scan.count(); i++) {
            int token = scan.token(i);
            if (token == PgToken.ASCII_40 || token == PgToken.ASCII_91) {
                depth++;
                subscripted |= token == PgToken.ASCII_91;
            } else if (token == PgToken.ASCII_41 || token == PgToken.ASCII_93) {
                depth--;
            } else if (depth == 0 && (token == PgToken.COLON_EQUALS || token == PgToken.ASCII_61)) {
                // stripping whitespace at either end changes no token (a comment there stays whole)
                if (subscripted) {
                    found.add(select(query.substring(0, scan.start(i)).strip()), Source.EXPRESSION);
                }
                found.add(select(query.substring(scan.end(i)).strip()), Source.EXPRESSION);
                return;
            }
        }
        found.fail("assignment without := read");
    }

    /**
     * The string an EXECUTE runs when its expression is one string literal ({@code 'DELETE FROM t'},
     * {@code 'x'::text}), decoded as the session decodes it; null for anything computed.
     */
    private static String literal(String expression, boolean scs) {
        PgTrees.Tree t = PgTrees.parse(select(expression), scs);
        if (t.error() != null || t.statements().size() != 1 || !PgNodes.type(t.statements().get(0).stmt()).equals("SelectStmt")) {
            return null;
        }
        JsonNode select = PgNodes.body(t.statements().get(0).stmt());
        for (Iterator<String> it = select.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            boolean plain = switch (f) {
                case "targetList" -> true;
                case "limitOption" -> "LIMIT_OPTION_DEFAULT".equals(PgNodes.text(select, f));
                case "op" -> "SETOP_NONE".equals(PgNodes.text(select, f));
                default -> false;
            };
            if (!plain) {
                return null;
            }
        }
        List<JsonNode> targets = PgNodes.list(select, "targetList");
        if (targets.size() != 1) {
            return null;
        }
        return PgNodes.literalText(PgNodes.body(targets.get(0)).path("val"));
    }
}
