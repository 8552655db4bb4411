package dev.gatehouse.enforce.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.sql.classify.Builtins;
import dev.gatehouse.sql.pg.PgAnalyzer;
import dev.gatehouse.sql.pg.PgNodes;
import dev.gatehouse.sql.pg.PgQuery;
import dev.gatehouse.sql.pg.PgScan;
import dev.gatehouse.sql.pg.PgToken;
import dev.gatehouse.sql.pg.PgTrees;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a PostgreSQL text does to the session, read by PostgreSQL's own scanner and parser (libpg_query), in two
 * steps. First the scanner's tokens: a text none of whose tokens can begin a session change (nearly every statement)
 * is {@link SqlScan#NONE} without being parsed. Otherwise the parse tree says what each statement does, and names
 * come from the parser, which folds and truncates them as the server does.
 *
 * <p>A text the scanner refuses is unreadable (the rest of it was never read); one the parser refuses is unreadable
 * only when its tokens show something that can change the session (the server runs none of a refused text, and
 * Gatehouse's parser may be older than the server's).
 *
 * <p>A backslash in {@code '...'} reads differently when {@code standard_conforming_strings} is off, so text holding
 * one is read both ways, as the policy's analyzer reads it: when the server refuses one reading, a session can only
 * run the other; when both read but differ, the text is unreadable.
 *
 * <p>Threads: any; each read's state lives on the caller's stack.
 */
final class PgSessionReader {
    /** Functions that change settings or run SQL text in the session (whose effects no one sees before they run). */
    private static final String[] SESSION_FUNCTIONS = sessionFunctions();

    private PgSessionReader() {
    }

    private static String[] sessionFunctions() {
        List<String> names = new ArrayList<>(Builtins.RUNS_TEXT.keySet());
        names.add("set_config");
        return names.toArray(String[]::new);
    }

    static SqlScan read(String sql) {
        if (sql.length() > PgAnalyzer.MAX_CHARS || !PgQuery.available()) {
            return SqlScan.UNREADABLE_TEXT;
        }
        SqlScan usual = read(sql, true);
        if (sql.indexOf('\\') < 0) {
            return usual == null ? SqlScan.UNREADABLE_TEXT : usual;
        }
        SqlScan other = read(sql, false);
        if (usual == null || other == null) {
            return usual != null ? usual : other != null ? other : SqlScan.UNREADABLE_TEXT;
        }
        return usual.equals(other) ? usual : SqlScan.UNREADABLE_TEXT;
    }

    /** One reading; null when the server's scanner or parser refuses the text read so. */
    private static SqlScan read(String sql, boolean standardConformingStrings) {
        PgScan tokens = PgQuery.scan(sql, standardConformingStrings);
        if (!tokens.ok()) {
            return null;
        }
        if (!mayChangeSession(sql, tokens)) {
            return SqlScan.NONE;
        }
        return readTree(sql, tokens, standardConformingStrings);
    }

    /** The parse tree's reading, whatever the tokens show; null when the parser refuses the text. */
    static SqlScan readTree(String sql, PgScan tokens, boolean standardConformingStrings) {
        PgTrees.Tree tree = PgTrees.parse(sql, standardConformingStrings);
        if (tree.error() != null) {
            return tree.parserRejects() ? null : SqlScan.UNREADABLE_TEXT;
        }
        Reading r = new Reading(sql, tokens);
        for (PgTrees.Statement s : tree.statements()) {
            r.statement(s);
        }
        return r.result();
    }

    /**
     * Hot path: whether any token can begin a session change; no allocation. Generous: a token here only costs a
     * parse. Statements start at the text's first token and after each {@code ;} (a {@code ;} inside a rule or
     * function body starts a false one, inside a CREATE that counts anyway).
     */
    static boolean mayChangeSession(String sql, PgScan t) {
        boolean atStart = true;
        int lead = 0;
        for (int i = 0; i < t.count(); i++) {
            int token = t.token(i);
            if (token == PgToken.SQL_COMMENT || token == PgToken.C_COMMENT) {
                continue;
            }
            if (token == PgToken.ASCII_59) {
                atStart = true;
                continue;
            }
            if (atStart) {
                atStart = false;
                lead = token;
                if (changesWhenLeading(token)) {
                    return true;
                }
            }
            if (changesAnywhere(token)
                    || token == PgToken.INTO && lead != PgToken.INSERT && lead != PgToken.MERGE // SELECT INTO
                    || token == PgToken.IDENT && namesSessionFunction(sql, t.start(i), t.end(i))
                    || token == PgToken.UIDENT) { // U&"..." may spell any name
                return true;
            }
        }
        return false;
    }

    /** Statement verbs that change the session or schema, words that mean more where they do not lead. */
    private static boolean changesWhenLeading(int token) {
        return switch (token) {
            case PgToken.SET, PgToken.END_P, PgToken.DO, PgToken.ALTER, PgToken.DROP, PgToken.COMMENT, PgToken.IMPORT_P,
                 PgToken.REINDEX, PgToken.CLUSTER,
                 // transaction control: read so that TRANSACTION_CONTROL is known
                 PgToken.BEGIN_P, PgToken.START, PgToken.SAVEPOINT, PgToken.RELEASE -> true;
            default -> false;
        };
    }

    /** Words that, wherever they stand, may be part of a session change (EXPLAIN ANALYZE EXECUTE, CREATE TABLE AS). */
    private static boolean changesAnywhere(int token) {
        return switch (token) {
            case PgToken.PREPARE, PgToken.DEALLOCATE, PgToken.DISCARD, PgToken.RESET, PgToken.EXECUTE, PgToken.COMMIT,
                 PgToken.ROLLBACK, PgToken.ABORT_P, PgToken.CALL, PgToken.LOAD, PgToken.CREATE -> true;
            default -> false;
        };
    }

    /**
     * An identifier that may name one of {@link #SESSION_FUNCTIONS}: unquoted in any case (the parser folds it; a
     * non-ASCII letter that only Java folds is a harmless extra match), quoted exactly.
     */
    private static boolean namesSessionFunction(String sql, int start, int end) {
        boolean quoted = sql.charAt(start) == '"';
        int from = quoted ? start + 1 : start;
        int length = (quoted ? end - 1 : end) - from;
        for (String f : SESSION_FUNCTIONS) {
            if (f.length() == length && sql.regionMatches(!quoted, from, f, 0, length)) {
                return true;
            }
        }
        return false;
    }

    /** One reading of one text's statements, in order; confined to the reading thread. */
    private static final class Reading {
        private final String sql;
        private final PgScan tokens;
        private final List<String> executed = new ArrayList<>(0);
        private final List<String> bodies = new ArrayList<>(0);
        private final List<SessionEffect> effects = new ArrayList<>(2);
        /** Bodies prepared earlier in this text by name, as the server holds them at the statement being read. */
        private final Map<String, String> preparedHere = new HashMap<>(4);
        private int flags;
        /** A PREPARE whose body could not be found among the tokens: the reading is not trusted. */
        private boolean lost;

        Reading(String sql, PgScan tokens) {
            this.sql = sql;
            this.tokens = tokens;
        }

        SqlScan result() {
            if (lost) {
                return SqlScan.UNREADABLE_TEXT;
            }
            if (executed.isEmpty() && effects.isEmpty()) {
                return SqlScan.flagsOnly(flags);
            }
            return new SqlScan(executed, bodies, effects, flags);
        }

        void statement(PgTrees.Statement s) {
            JsonNode n = PgNodes.body(s.stmt());
            String type = PgNodes.type(s.stmt());
            nested(s.stmt());
            switch (type) {
                case "PrepareStmt" -> prepare(PgNodes.text(n, "name"), s);
                case "DeallocateStmt" -> {
                    String name = PgNodes.text(n, "name");
                    effects.add(new SessionEffect.Deallocate(name));
                    if (name == null) {
                        preparedHere.clear();
                    } else {
                        preparedHere.remove(name);
                    }
                }
                case "DiscardStmt" -> discard(PgNodes.text(n, "target"));
                case "VariableSetStmt" -> set(n);
                case "TransactionStmt" -> transaction(PgNodes.text(n, "kind"));
                case "DoStmt", "CallStmt", "LoadStmt", "RenameStmt" -> flags |= SqlScan.SESSION | SqlScan.SCHEMA;
                default -> {
                    // a new or dropped schema changes what "$user" and the search path resolve to
                    if (PgNodes.isDefinition(type)) {
                        flags |= SqlScan.SESSION | SqlScan.SCHEMA;
                    }
                }
            }
        }

        /**
         * What may stand anywhere in a statement, in the order written: EXECUTEs (also in EXPLAIN ANALYZE and CREATE
         * TABLE AS), set_config and text-running calls, SELECT INTO. Iterative, so no tree depth overflows a stack.
         */
        private void nested(JsonNode root) {
            ArrayDeque<JsonNode> stack = new ArrayDeque<>();
            List<JsonNode> children = new ArrayList<>();
            stack.push(root);
            while (!stack.isEmpty()) {
                JsonNode node = stack.pop();
                if (node.isObject()) {
                    JsonNode execute = node.get("ExecuteStmt");
                    if (execute != null) {
                        execute(PgNodes.text(execute, "name"));
                    }
                    JsonNode call = node.get("FuncCall");
                    if (call != null) {
                        call(call);
                    }
                    JsonNode select = node.get("SelectStmt");
                    if (select != null && select.has("intoClause") || node.has("CreateTableAsStmt")) {
                        flags |= SqlScan.SESSION | SqlScan.SCHEMA;
                    }
                }
                children.clear();
                for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                    JsonNode child = it.next();
                    if (child.isContainerNode()) {
                        children.add(child);
                    }
                }
                for (int i = children.size() - 1; i >= 0; i--) {
                    stack.push(children.get(i));
                }
            }
        }

        /** The body is what a PREPARE earlier in this text left under the name; the server's copy runs otherwise. */
        private void execute(String name) {
            if (name == null) {
                lost = true;
                return;
            }
            executed.add(name);
            bodies.add(preparedHere.get(name));
            flags |= SqlScan.SESSION | SqlScan.SCHEMA; // the body may call set_config or select into
        }

        private void call(JsonNode call) {
            List<String> parts = PgNodes.names(PgNodes.list(call, "funcname"));
            String name = parts.isEmpty() ? null : parts.get(parts.size() - 1);
            if ("set_config".equals(name)) {
                List<JsonNode> args = PgNodes.list(call, "args");
                String setting = args.isEmpty() ? null : PgNodes.literalText(args.get(0));
                String value = args.size() < 2 ? null : PgNodes.literalText(args.get(1));
                setting(setting, value == null ? null : List.of(value));
            } else if (name != null && Builtins.RUNS_TEXT.containsKey(name)) {
                flags |= SqlScan.SESSION | SqlScan.SCHEMA;
            }
        }

        private void prepare(String name, PgTrees.Statement s) {
            String body = body(s);
            if (name == null || body == null) {
                lost = true;
                return;
            }
            effects.add(new SessionEffect.Prepare(name, body));
            preparedHere.put(name, body);
        }

        /**
         * The text of {@code PREPARE name [(types)] AS body} after {@code AS} (the first AS outside the type list: the
         * name cannot be AS, a reserved word) as written, comments included: what the client shows as the statement.
         * A {@code --} comment at its end keeps the line break that ends it, so text put after the body stays code;
         * one that runs to the end of the text is left out.
         */
        private String body(PgTrees.Statement s) {
            int i = firstTokenFrom(s.from());
            int depth = 0;
            for (; i < tokens.count() && tokens.start(i) < s.to(); i++) {
                int token = tokens.token(i);
                if (token == PgToken.ASCII_40) {
                    depth++;
                } else if (token == PgToken.ASCII_41) {
                    depth--;
                } else if (token == PgToken.AS && depth == 0) {
                    break;
                }
            }
            int from = -1;
            int to = -1;
            int code = -1; // the end of the last token that is not a comment
            for (i++; i < tokens.count() && tokens.end(i) <= s.to(); i++) {
                int token = tokens.token(i);
                if (token == PgToken.ASCII_59) {
                    continue;
                }
                if (from < 0) {
                    from = tokens.start(i);
                }
                to = tokens.end(i);
                if (token == PgToken.SQL_COMMENT) {
                    to = to < sql.length() ? to + 1 : code; // the \n or \r that ends it, or nothing
                } else if (token != PgToken.C_COMMENT) {
                    code = to;
                }
            }
            return code < 0 ? null : sql.substring(from, to);
        }

        /** The first token starting at or after {@code charIndex} (binary search: starts ascend). */
        private int firstTokenFrom(int charIndex) {
            int lo = 0;
            int hi = tokens.count();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (tokens.start(mid) < charIndex) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        private void discard(String target) {
            if (target == null || target.equals("DISCARD_ALL")) { // the first enum value may be left out
                effects.add(new SessionEffect.DiscardAll());
                preparedHere.clear();
                flags |= SqlScan.SESSION | SqlScan.SCHEMA; // temporary tables go too
            } else if (target.equals("DISCARD_TEMP")) {
                flags |= SqlScan.SCHEMA;
            }
        }

        /** SET [SESSION|LOCAL], RESET, SET ROLE / SESSION AUTHORIZATION / NAMES / SCHEMA (named as the server does). */
        private void set(JsonNode n) {
            String kind = PgNodes.text(n, "kind");
            String name = PgNodes.text(n, "name");
            switch (kind == null ? "VAR_SET_VALUE" : kind) {
                case "VAR_RESET_ALL" -> {
                    effects.add(new SessionEffect.ResetAll());
                    flags |= SqlScan.SESSION;
                }
                case "VAR_SET_MULTI" -> {
                    // SET TRANSACTION / SESSION CHARACTERISTICS AS TRANSACTION: nothing a decision reads
                }
                case "VAR_SET_DEFAULT", "VAR_RESET" -> setting(name, List.of());
                case "VAR_SET_CURRENT" -> setting(name, null);
                default -> {
                    List<JsonNode> args = PgNodes.list(n, "args");
                    List<String> value = new ArrayList<>(args.size());
                    for (JsonNode a : args) {
                        String v = PgNodes.constant(a);
                        if (v == null) {
                            value = null; // SET TIME ZONE INTERVAL '...': not a plain constant
                            break;
                        }
                        value.add(v);
                    }
                    setting(name, value);
                }
            }
        }

        private void setting(String name, List<String> value) {
            SessionEffect.Setting s = new SessionEffect.Setting(name, value);
            effects.add(s);
            if (s.tracked()) {
                flags |= SqlScan.SESSION;
            }
        }

        private void transaction(String kind) {
            flags |= SqlScan.TRANSACTION_CONTROL;
            switch (kind == null ? "TRANS_STMT_BEGIN" : kind) {
                // COMMIT/ROLLBACK [AND CHAIN], END, ABORT; PREPARE TRANSACTION leaves the session outside a transaction
                case "TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE" -> flags |= SqlScan.TRANSACTION_END;
                case "TRANS_STMT_ROLLBACK_TO" -> flags |= SqlScan.SAVEPOINT_ROLLBACK;
                // another transaction's changes become visible (or never will)
                case "TRANS_STMT_COMMIT_PREPARED", "TRANS_STMT_ROLLBACK_PREPARED" -> flags |= SqlScan.SESSION | SqlScan.SCHEMA;
                default -> {
                    // BEGIN, START TRANSACTION, SAVEPOINT, RELEASE: nothing changes yet
                }
            }
        }
    }
}
