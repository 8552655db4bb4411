package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.lex.TokenType;
import dev.gatehouse.sql.lex.Tokens;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds function calls at token level (a name directly followed by {@code (}) and the kinds that calling
 * certain built-ins adds: reading server files is an export, nextval writes, set_config('role') changes
 * privileges. Risky names are caught in any position (an attacker can call them anywhere an expression
 * fits); the general list uses the surrounding tokens to leave out table names, column lists and types.
 * Stateless; runs on the thread that classifies.
 */
final class FunctionScan {
    private static final Set<String> EXPORT = Builtins.EXPORT;
    private static final Set<String> FILE_IMPORT = Builtins.FILE_IMPORT;
    private static final Set<String> WRITE = Builtins.WRITE;
    private static final Set<String> SESSION = Builtins.SESSION;
    private static final Set<String> PROCEDURAL = Builtins.PROCEDURAL;
    private static final Map<String, Integer> RUNS_TEXT = Builtins.RUNS_TEXT;
    private static final String RUNS_SECOND_TEXT = Builtins.RUNS_SECOND_TEXT;
    private static final Set<String> READS_NAMED_TABLES = Builtins.READS_NAMED_TABLES;

    /** Reads SQL text a function will run into the caller's findings (the classifier, one level deeper). */
    @FunctionalInterface
    interface TextReader {
        void read(String sql, Findings into);
    }
    private static final Set<String> PRIVILEGED_SETTINGS = Builtins.PRIVILEGED_SETTINGS;

    /** Words that take a parenthesis without being calls. */
    private static final Set<String> NOT_CALLS = Set.of("in", "exists", "any", "all", "some", "values", "as", "on",
            "using", "key", "unique", "check", "primary", "references", "over", "filter", "within", "partition",
            "table", "into", "with", "array", "row", "not", "and", "or", "select", "where", "from", "join", "by",
            "when", "then", "else", "returning", "set", "case", "lateral", "distinct", "having", "limit", "offset",
            "union", "intersect", "except", "rows", "range", "groups", "window", "is", "like", "ilike", "between",
            "similar", "cube", "rollup", "sets", "tablesample", "for", "of", "only", "do", "conflict", "if", "return",
            "default", "to", "cast", "interval", "varchar", "char", "character", "numeric", "decimal", "timestamp",
            "time", "bit", "float", "varying", "exclude", "include", "foreign", "constraint", "elseif", "while");
    /** Words after which a name followed by {@code (} is a call (an expression starts there). */
    private static final Set<String> CALL_CONTEXT = Set.of("select", "where", "and", "or", "not", "then", "else",
            "when", "from", "join", "lateral", "by", "returning", "distinct", "having", "case", "return", "between",
            "like", "ilike", "in", "all", "any", "some", "call", "perform", "limit", "offset", "default", "on", "do",
            "is", "values", "exists", "if", "while", "until", "set");

    private FunctionScan() {
    }

    /**
     * Adds every call to {@code f.functions}; when {@code executes}, adds the kinds risky calls imply.
     * Hot path: names are only materialised for tokens directly followed by {@code (}.
     */
    static void scan(StatementTokens s, Dialect dialect, boolean executes, Findings f, TextReader text) {
        Tokens t = s.t;
        boolean ddl = s.word(s.from, "create") || s.word(s.from, "alter") || s.word(s.from, "drop")
                || s.word(s.from, "comment") || s.word(s.from, "grant") || s.word(s.from, "revoke");
        for (int i = s.from; i + 1 < s.to; i++) {
            TokenType type = t.type(i);
            if (executes && type == TokenType.WORD && t.isWord(i, "next") && s.word(i + 1, "value") && s.word(i + 2, "for")) {
                f.add(Kind.WRITE); // MariaDB NEXT VALUE FOR seq advances the sequence, like nextval()
                f.riskyFunctions.add("nextval");
            }
            if (type != TokenType.WORD && type != TokenType.QUOTED_IDENT) {
                continue;
            }
            // U&"name" UESCAPE 'c' (args): the escape clause belongs to the identifier, the call follows it.
            int paren = type == TokenType.QUOTED_IDENT && t.isWord(i + 1, "uescape") && t.is(i + 2, TokenType.STRING)
                    ? i + 3 : i + 1;
            if (!s.is(paren, TokenType.LPAREN)) {
                continue;
            }
            String name = t.name(i); // folded as the dialect does: a quoted PostgreSQL name keeps its case
            if (type == TokenType.WORD && NOT_CALLS.contains(name)) {
                continue;
            }
            boolean qualified = t.is(i - 1, TokenType.DOT) && i - 2 >= s.from;
            if (executes) {
                // Risky built-ins are matched ignoring case: over-flagging "PG_READ_FILE" costs less than missing it.
                String lower = name.toLowerCase(Locale.ROOT);
                risky(s, dialect, paren + 1, lower, f);
                Integer query = dialect == Dialect.POSTGRES ? RUNS_TEXT.get(lower) : null;
                if (query != null) {
                    runsText(s, paren, query, lower, f, text);
                    if (lower.equals(RUNS_SECOND_TEXT)) {
                        runsText(s, paren, 1, lower, f, text);
                    }
                }
                if (dialect == Dialect.POSTGRES && READS_NAMED_TABLES.contains(lower)) {
                    f.hiddenTables = true;
                    f.notes.add(lower + " reads tables named by text");
                }
            }
            if (qualified) {
                f.functions.add(t.name(i - 2) + "." + name);
            } else if (isCallContext(t, i - 1, s.from, ddl)) {
                f.functions.add(name);
            }
        }
    }

    private static boolean isCallContext(Tokens t, int prev, int from, boolean ddl) {
        if (prev < from) {
            return false;
        }
        return switch (t.type(prev)) {
            case LPAREN, COMMA -> true;
            case OPERATOR -> !t.isOperator(prev, "::");
            case OTHER -> t.firstChar(prev) == '[';
            case WORD -> {
                String w = t.name(prev);
                yield CALL_CONTEXT.contains(w) && !(ddl && w.equals("on"));
            }
            default -> false;
        };
    }

    /** @param firstArg the token after the call's opening parenthesis */
    private static void risky(StatementTokens s, Dialect dialect, int firstArg, String name, Findings f) {
        Kind kind;
        if (name.equals("set_config")) {
            kind = setConfig(s, firstArg, f);
        } else if (FILE_IMPORT.contains(name)) {
            f.add(Kind.WRITE);
            kind = Kind.EXPORT;
        } else if (EXPORT.contains(name)) {
            kind = dialect == Dialect.MYSQL || !name.equals("load_file") ? Kind.EXPORT : null;
        } else if (WRITE.contains(name)) {
            kind = Kind.WRITE;
        } else if (SESSION.contains(name)) {
            kind = Kind.SESSION;
        } else if (PROCEDURAL.contains(name)) {
            kind = Kind.PROCEDURAL;
            f.hiddenTables = true;
        } else {
            kind = null;
        }
        if (kind != null) {
            f.add(kind);
            f.riskyFunctions.add(name);
        }
    }

    /**
     * A call that runs the query in argument {@code position}: a literal (optionally cast to text) is read as
     * SQL; anything else, or ts_rewrite with other than two arguments' worth of query, is decided at run time.
     */
    private static void runsText(StatementTokens s, int paren, int position, String name, Findings f, TextReader text) {
        int close = s.close(paren);
        int args = 1;
        int start = paren + 1;
        int argStart = position == 0 ? start : -1;
        int depth = 0;
        for (int k = start; k < close; k++) {
            TokenType type = s.t.type(k);
            if (type == TokenType.LPAREN) {
                depth++;
            } else if (type == TokenType.RPAREN) {
                depth--;
            } else if (type == TokenType.COMMA && depth == 0) {
                if (args == position) {
                    argStart = k + 1;
                }
                args++;
            }
        }
        if (name.equals("ts_rewrite") && args != 2) {
            return; // ts_rewrite(query, target, substitute): no SQL text
        }
        if (position > 0 && name.equals(RUNS_SECOND_TEXT)
                && (argStart < 0 || (s.is(argStart, TokenType.NUMBER) && (s.is(argStart + 1, TokenType.COMMA) || argStart + 1 == close)))) {
            return; // crosstab(source_sql) or crosstab(source_sql, N): no second query
        }
        f.literalsMatter = true;
        boolean literal = argStart >= 0 && s.is(argStart, TokenType.STRING)
                && (s.is(argStart + 1, TokenType.COMMA) || argStart + 1 == close
                    || (s.t.isOperator(argStart + 1, "::") && s.is(argStart + 2, TokenType.WORD)
                        && (s.is(argStart + 3, TokenType.COMMA) || argStart + 3 == close)));
        f.hiddenTables = true;
        if (literal) {
            text.read(s.t.stringValue(argStart), f);
        } else {
            f.add(Kind.PROCEDURAL);
            f.riskyFunctions.add(name);
            f.notes.add(name + " runs SQL text that is not a literal");
        }
    }

    /** set_config(setting, value, is_local): a role change when the setting is role or session_authorization, or cannot be read. */
    private static Kind setConfig(StatementTokens s, int arg, Findings f) {
        f.literalsMatter = true;
        if (s.is(arg, TokenType.STRING) && s.is(arg + 1, TokenType.COMMA)) {
            String setting = s.t.stringValue(arg).trim().toLowerCase(Locale.ROOT);
            if (setting.equals("client_encoding")) {
                // the value decides whether later text still reads as the server reads it (see ClientEncoding)
                boolean known = s.is(arg + 2, TokenType.STRING) && ClientEncoding.readableInPostgres(s.t.stringValue(arg + 2));
                if (!known) {
                    f.notes.add("set_config of client_encoding: later text may not read as the server reads it");
                }
                return known ? Kind.SESSION : Kind.UNKNOWN;
            }
            return PRIVILEGED_SETTINGS.contains(setting) ? Kind.PRIVILEGE : Kind.SESSION;
        }
        f.notes.add("set_config with a computed setting name: treated as a role change");
        return Kind.PRIVILEGE;
    }
}
