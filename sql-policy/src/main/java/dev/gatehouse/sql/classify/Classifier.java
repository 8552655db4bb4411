package dev.gatehouse.sql.classify;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Lexer;
import dev.gatehouse.sql.lex.Span;
import dev.gatehouse.sql.lex.Splitter;
import dev.gatehouse.sql.lex.TokenType;
import dev.gatehouse.sql.lex.Tokens;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Gives a statement its {@link Kind}s from its tokens alone, so it works where a full parser fails. What
 * it does not recognise is UNKNOWN, never a guess at "safe". Thread-safe and stateless: the session state
 * a statement depends on (prepared statements) is passed in.
 */
public final class Classifier {
    /** EXPLAIN ANALYZE EXPLAIN ANALYZE ...: an explicit bound instead of a stack overflow. */
    private static final int MAX_NESTING = 8;

    private final Dialect dialect;

    public Classifier(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Hot path (every uncached statement): token comparisons, no regex, no streams.
     *
     * @param prepared kinds of statements PREPAREd earlier in the submission, by name
     */
    public Classification classify(Tokens tokens, Span span, Map<String, Set<Kind>> prepared) {
        return classify(tokens, span, prepared, 0);
    }

    private Classification classify(Tokens tokens, Span span, Map<String, Set<Kind>> prepared, int depth) {
        Findings f = new Findings();
        StatementTokens s = new StatementTokens(tokens, span.from(), span.to());
        boolean executes = statement(s, s.from, f, prepared, depth);
        FunctionScan.scan(s, dialect, executes, f, (sql, into) -> readText(sql, prepared, depth, into));
        return f.toClassification();
    }

    /**
     * Classifies the statement starting at {@code i}; returns whether it executes what it contains (false for
     * EXPLAIN without ANALYZE, whose calls run nothing).
     */
    private boolean statement(StatementTokens s, int i, Findings f, Map<String, Set<Kind>> prepared, int depth) {
        if (depth > MAX_NESTING) {
            f.operation("UNKNOWN");
            f.unknown("statements nested more than " + MAX_NESTING + " deep");
            return true;
        }
        int verb = i;
        while (s.is(verb, TokenType.LPAREN)) {
            verb++;
        }
        if (!s.is(verb, TokenType.WORD)) {
            f.operation("UNKNOWN");
            f.unknown("the statement does not start with a keyword");
            return true;
        }
        if (verb != i) {
            f.operation(s.upper(verb));
            if (s.word(verb, "select") || s.word(verb, "values") || s.word(verb, "table") || s.word(verb, "with")) {
                query(s, verb, f);
            } else {
                f.operation("UNKNOWN");
                f.unknown("unrecognised parenthesised statement");
            }
            return true;
        }
        String op = s.upper(i);
        f.operation(op);
        boolean pg = dialect == Dialect.POSTGRES;
        String verb0 = s.t.name(i);
        if (otherDialectOnly(verb0, pg)) {
            f.unknown(op + " is not a " + (pg ? "PostgreSQL" : "MySQL") + " statement");
            return true;
        }
        switch (verb0) {
            case "select", "values", "table", "with" -> query(s, i, f);
            case "insert", "update", "delete", "merge" -> write(s, i, f);
            case "replace" -> write(s, i, f);
            case "explain" -> {
                return explain(s, i, f, prepared, depth);
            }
            case "describe", "desc" -> {
                // MySQL: DESCRIBE and DESC are EXPLAIN's synonyms, so DESCRIBE ANALYZE runs the statement.
                if (s.word(i + 1, "analyze")) {
                    return explain(s, i, f, prepared, depth);
                }
                f.add(Kind.READ);
            }
            case "copy" -> copy(s, i, f);
            case "load" -> load(s, i, f, pg);
            case "create" -> Definitions.create(s, i, f, dialect);
            case "alter" -> Definitions.alter(s, i, f);
            case "drop" -> Definitions.drop(s, i, f, dialect);
            case "truncate" -> {
                f.add(Kind.DDL, Kind.WRITE);
                f.unbounded = true;
            }
            case "comment", "reindex", "cluster", "import", "install", "uninstall", "optimize", "repair", "purge",
                 "change", "stop" -> f.add(Kind.DDL);
            case "refresh" -> f.add(Kind.DDL, Kind.WRITE);
            case "security" -> f.add(Kind.PRIVILEGE, Kind.DDL);
            case "rename" -> f.add(s.word(i + 1, "user") ? Kind.PRIVILEGE : Kind.DDL);
            case "grant", "revoke", "reassign" -> f.add(Kind.PRIVILEGE);
            case "set" -> {
                if (pg) {
                    PostgresSet.set(s, i, f);
                } else if (s.word(i + 1, "statement")) {
                    setStatement(s, i, f, prepared, depth);
                } else {
                    MysqlSet.set(s, i, f);
                }
            }
            case "reset" -> reset(s, i, f, pg);
            case "show", "fetch", "move", "check", "checksum", "help", "handler" -> f.add(Kind.READ);
            case "begin" -> f.add(!pg && s.word(i + 1, "not") ? Kind.PROCEDURAL : Kind.SESSION);
            case "start" -> {
                if (s.word(i + 1, "transaction")) {
                    f.add(Kind.SESSION);
                } else if (pg) {
                    f.unknown("unrecognised START statement");
                } else {
                    f.add(Kind.DDL); // START REPLICA/SLAVE/GROUP_REPLICATION: server administration
                }
            }
            case "commit", "rollback", "savepoint", "release", "abort", "end", "xa", "deallocate", "close", "listen",
                 "notify", "unlisten", "checkpoint", "vacuum", "lock", "unlock", "kill", "cache" -> f.add(Kind.SESSION);
            case "discard" -> {
                f.add(Kind.SESSION);
                if (s.word(i + 1, "all")) {
                    // DISCARD ALL includes SET SESSION AUTHORIZATION DEFAULT: back to the login role, like RESET ROLE.
                    f.add(Kind.PRIVILEGE);
                    f.notes.add("DISCARD ALL resets the session authorization and role");
                }
            }
            case "flush" -> f.add(s.word(i + 1, "privileges") ? Kind.PRIVILEGE : Kind.SESSION);
            case "analyze", "analyse" -> {
                if (pg || s.word(i + 1, "table") || s.word(i + 1, "tables") || s.word(i + 1, "local")
                        || s.word(i + 1, "no_write_to_binlog")) {
                    f.add(Kind.SESSION); // statistics only
                } else {
                    return mariadbAnalyze(s, i, f, prepared, depth);
                }
            }
            case "prepare" -> prepare(s, i, f, prepared, depth);
            case "execute" -> execute(s, i, f, prepared, depth);
            case "declare" -> declare(s, i, f, prepared, depth);
            case "do" -> f.add(pg ? Kind.PROCEDURAL : Kind.READ); // MySQL DO evaluates expressions, like SELECT
            case "call" -> f.add(Kind.PROCEDURAL);
            case "use" -> use(s, i, f);
            default -> f.unknown("unrecognised statement " + op);
        }
        return true;
    }

    /** Verbs only the other dialect has: its server rejects them, and a guess at their kind would be a guess. */
    private static boolean otherDialectOnly(String verb, boolean pg) {
        return pg ? switch (verb) {
            case "replace", "describe", "desc", "use", "xa", "unlock", "flush", "kill", "cache", "install",
                 "uninstall", "optimize", "repair", "purge", "change", "stop", "check", "checksum", "help", "handler",
                 "rename" -> true;
            default -> false;
        } : switch (verb) {
            case "abort", "end", "listen", "notify", "unlisten", "discard", "checkpoint", "vacuum", "cluster",
                 "reindex", "refresh", "security", "reassign", "fetch", "move", "comment", "copy", "declare", "close",
                 "merge" -> true;
            default -> false;
        };
    }

    /** SELECT / VALUES / TABLE / WITH: a read, unless a CTE modifies data or the result goes into a table or file. */
    private void query(StatementTokens s, int i, Findings f) {
        int main = i;
        if (s.word(i, "with")) {
            main = mainVerb(s, i + 1);
            if (main >= 0 && !s.word(main, "select") && !s.word(main, "values") && !s.word(main, "table")) {
                f.operation = null;
                f.operation(s.upper(main));
                write(s, main, f);
                return;
            }
            f.operation = null;
            f.operation(main >= 0 ? s.upper(main) : "SELECT");
        }
        f.add(Kind.READ);
        if (s.parenFollowedBy("insert", "update", "delete", "merge")) {
            f.add(Kind.WRITE);
            f.notes.add("data-modifying WITH query");
        }
        int into = s.find(s.from, "into");
        if (into >= 0) {
            if (dialect == Dialect.POSTGRES) {
                f.add(Kind.DDL, Kind.WRITE);
                f.notes.add("SELECT INTO creates a table");
            } else if (s.word(into + 1, "outfile") || s.word(into + 1, "dumpfile")) {
                f.add(Kind.EXPORT);
                f.literalsMatter = true;
            } else {
                f.add(Kind.SESSION); // SELECT ... INTO @variable
            }
        }
    }

    /** The verb of the main statement after a WITH list: the first statement keyword outside the CTE bodies. */
    private static int mainVerb(StatementTokens s, int start) {
        int depth = 0;
        for (int i = start; i < s.to; i++) {
            TokenType type = s.t.type(i);
            if (type == TokenType.LPAREN) {
                depth++;
            } else if (type == TokenType.RPAREN) {
                depth--;
            } else if (depth == 0 && type == TokenType.WORD && (s.word(i, "select") || s.word(i, "insert")
                    || s.word(i, "update") || s.word(i, "delete") || s.word(i, "merge") || s.word(i, "values")
                    || s.word(i, "table") || s.word(i, "replace"))) {
                return i;
            }
        }
        return -1;
    }

    private static void write(StatementTokens s, int i, Findings f) {
        f.add(Kind.WRITE);
        // UPDATE pg_settings is SET by another name (role, client_encoding, session_replication_role...): not read.
        for (int k = i + 1; k < s.to; k++) {
            if ((s.is(k, TokenType.WORD) || s.is(k, TokenType.QUOTED_IDENT)) && s.t.name(k).equals("pg_settings")) {
                f.unknown("a write to pg_settings changes session settings Gatehouse does not read from it");
                break;
            }
        }
        if ((s.word(i, "update") || s.word(i, "delete")) && s.find(i, "where") < 0) {
            f.unbounded = true;
            f.notes.add(s.upper(i) + " without a WHERE clause");
        }
    }

    /** EXPLAIN runs the statement only with ANALYZE; then it has the statement's kinds. */
    private boolean explain(StatementTokens s, int i, Findings f, Map<String, Set<Kind>> prepared, int depth) {
        int j = i + 1;
        boolean analyze = false;
        if (dialect == Dialect.POSTGRES && s.is(j, TokenType.LPAREN)) {
            int close = s.close(j);
            for (int k = j + 1; k < close; k++) {
                if ((s.word(k, "analyze") || s.word(k, "analyse")) && (s.t.is(k - 1, TokenType.LPAREN) || s.t.is(k - 1, TokenType.COMMA))) {
                    analyze = optionValue(s, k + 1, f);
                }
            }
            j = close + 1;
        } else {
            while (true) {
                if (s.word(j, "analyze") || s.word(j, "analyse")) {
                    analyze = true;
                    j++;
                } else if (s.word(j, "verbose") || s.word(j, "extended") || s.word(j, "partitions")) {
                    j++;
                } else if (s.word(j, "format") && s.t.isOperator(j + 1, "=")) {
                    j += 3;
                } else {
                    break;
                }
            }
        }
        if (!s.in(j)) {
            f.unknown("EXPLAIN without a statement");
            return true;
        }
        if (analyze) {
            inner(s, j, f, prepared, depth);
            return true;
        }
        f.add(Kind.READ);
        return false;
    }

    /** MariaDB {@code ANALYZE [FORMAT=JSON] statement} executes the statement (then explains it): its kinds. */
    private boolean mariadbAnalyze(StatementTokens s, int i, Findings f, Map<String, Set<Kind>> prepared, int depth) {
        int j = i + 1;
        if (s.word(j, "format") && s.t.isOperator(j + 1, "=")) {
            j += 3;
        }
        if (!s.in(j)) {
            f.unknown("ANALYZE without a statement");
            return true;
        }
        inner(s, j, f, prepared, depth);
        return true;
    }

    /** A statement that another one runs (EXPLAIN ANALYZE x, DECLARE ... FOR x, SET STATEMENT ... FOR x): its facts count. */
    private void inner(StatementTokens s, int j, Findings f, Map<String, Set<Kind>> prepared, int depth) {
        Findings inner = new Findings();
        statement(s, j, inner, prepared, depth + 1);
        f.kinds.addAll(inner.kinds);
        f.notes.addAll(inner.notes);
        f.unbounded |= inner.unbounded;
        f.literalsMatter |= inner.literalsMatter;
    }

    /** The boolean after an EXPLAIN option name; a value the server would reject counts as true (fail closed). */
    private static boolean optionValue(StatementTokens s, int k, Findings f) {
        if (!s.in(k) || s.is(k, TokenType.COMMA) || s.is(k, TokenType.RPAREN)) {
            return true;
        }
        String v;
        if (s.is(k, TokenType.WORD)) {
            v = s.t.name(k);
        } else if (s.is(k, TokenType.NUMBER) || s.is(k, TokenType.STRING)) {
            f.literalsMatter = true;
            v = s.is(k, TokenType.NUMBER) ? s.t.raw(k) : s.t.stringValue(k).toLowerCase(Locale.ROOT);
        } else {
            return true;
        }
        return switch (v) {
            case "false", "off", "no", "0" -> false;
            default -> true;
        };
    }

    /** COPY ... TO exports, COPY ... FROM imports (a write), FROM PROGRAM also runs a server command. */
    private static void copy(StatementTokens s, int i, Findings f) {
        f.literalsMatter = true;
        int j = i + 1;
        if (s.is(j, TokenType.LPAREN)) {
            if (s.word(j + 1, "insert") || s.word(j + 1, "update") || s.word(j + 1, "delete") || s.word(j + 1, "merge")
                    || s.parenFollowedBy("insert", "update", "delete", "merge")) {
                f.add(Kind.WRITE);
            }
            j = s.close(j) + 1;
        }
        int to = s.find(j, "to");
        int from = s.find(j, "from");
        if (from >= 0 && (to < 0 || from < to)) {
            f.add(Kind.WRITE);
            if (s.word(from + 1, "program")) {
                f.add(Kind.PROCEDURAL);
            } else if (s.is(from + 1, TokenType.STRING)) {
                f.add(Kind.EXPORT); // a server file read, as pg_read_file is
                f.notes.add("COPY FROM a server file reads it");
            }
        } else if (to >= 0) {
            f.add(Kind.EXPORT);
            if (s.word(to + 1, "program")) {
                f.add(Kind.PROCEDURAL);
                f.notes.add("COPY TO PROGRAM runs a server command");
            }
        } else {
            f.unknown("COPY without FROM or TO");
        }
    }

    private static void load(StatementTokens s, int i, Findings f, boolean pg) {
        if (pg) {
            // LOAD 'library' runs a shared library's initialisation code inside the server process.
            f.add(Kind.PROCEDURAL);
            f.notes.add("LOAD runs a shared library's code in the server");
        } else if (s.word(i + 1, "data") || s.word(i + 1, "xml")) {
            f.add(Kind.WRITE);
            f.literalsMatter = true;
            int infile = s.find(i + 2, "infile");
            boolean local = false;
            for (int k = i + 2; k < infile; k++) {
                local |= s.word(k, "local");
            }
            if (infile < 0 || !local) {
                f.add(Kind.EXPORT); // INFILE without LOCAL reads a server file, as LOAD_FILE does
                f.notes.add("LOAD DATA INFILE reads a server file");
            }
        } else {
            f.add(Kind.SESSION); // LOAD INDEX INTO CACHE
        }
    }

    private static void reset(StatementTokens s, int i, Findings f, boolean pg) {
        if (!pg) {
            f.add(Kind.SESSION, Kind.DDL); // RESET MASTER/REPLICA/PERSIST: server administration
            return;
        }
        String name = s.lowerName(i + 1);
        if (name.equals("role") || name.equals("session_authorization")
                || (name.equals("session") && s.word(i + 2, "authorization"))) {
            f.add(Kind.PRIVILEGE);
            return;
        }
        f.add(Kind.SESSION);
        if (name.equals("search_path") || name.equals("all")) {
            f.change = new SessionChange.ResetSearchPath();
        }
    }

    /** PREPARE has the kinds of the statement it prepares; a later EXECUTE of it gets them too. */
    private void prepare(StatementTokens s, int i, Findings f, Map<String, Set<Kind>> prepared, int depth) {
        if (dialect == Dialect.POSTGRES && s.word(i + 1, "transaction")) {
            f.add(Kind.SESSION);
            return;
        }
        if (!s.is(i + 1, TokenType.WORD) && !s.is(i + 1, TokenType.QUOTED_IDENT)) {
            f.unknown("PREPARE without a name");
            return;
        }
        String name = s.t.name(i + 1);
        EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
        if (dialect == Dialect.POSTGRES) {
            int as = s.find(i + 2, "as");
            if (as < 0) {
                f.unknown("PREPARE without AS");
                return;
            }
            Findings inner = new Findings();
            StatementTokens body = new StatementTokens(s.t, as + 1, s.to);
            boolean executes = statement(body, as + 1, inner, prepared, depth + 1);
            FunctionScan.scan(body, dialect, executes, inner, (sql, into) -> readText(sql, prepared, depth + 1, into));
            kinds.addAll(inner.kinds);
            f.literalsMatter |= inner.literalsMatter;
        } else if (s.word(i + 2, "from") && s.is(i + 3, TokenType.STRING)) {
            f.literalsMatter = true;
            kinds.addAll(classifyText(s.t.stringValue(i + 3), prepared, depth));
        } else {
            kinds.add(Kind.UNKNOWN);
            f.notes.add("PREPARE from a variable: the statement text is not known");
        }
        if (kinds.isEmpty()) {
            kinds.add(Kind.UNKNOWN);
        }
        f.kinds.addAll(kinds);
        f.change = new SessionChange.Prepare(name, kinds);
    }

    /** MySQL PREPARE ... FROM 'text': the text is classified like a submission of its own. */
    private Set<Kind> classifyText(String sql, Map<String, Set<Kind>> prepared, int depth) {
        EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
        try {
            Tokens inner = Lexer.lex(sql, dialect);
            for (Span span : Splitter.spans(inner)) {
                kinds.addAll(classify(inner, span, prepared, depth + 1).kinds());
            }
        } catch (LexException e) {
            kinds.add(Kind.UNKNOWN);
        }
        return kinds;
    }

    /** SQL text a function runs (query_to_xml('...')): its kinds, calls and notes count for the calling statement. */
    private void readText(String sql, Map<String, Set<Kind>> prepared, int depth, Findings into) {
        try {
            Tokens inner = Lexer.lex(sql, dialect);
            for (Span span : Splitter.spans(inner)) {
                Classification c = classify(inner, span, prepared, depth + 1);
                into.kinds.addAll(c.kinds());
                into.functions.addAll(c.functions());
                into.riskyFunctions.addAll(c.riskyFunctions());
                into.notes.addAll(c.notes());
            }
        } catch (LexException e) {
            into.unknown("SQL text given to a function cannot be read: " + e.getMessage());
        }
    }

    private void execute(StatementTokens s, int i, Findings f, Map<String, Set<Kind>> prepared, int depth) {
        if (dialect == Dialect.MYSQL && s.word(i + 1, "immediate")) {
            // MariaDB EXECUTE IMMEDIATE 'text': classified like PREPARE FROM 'text'; a variable cannot be read.
            if (s.is(i + 2, TokenType.STRING)) {
                f.literalsMatter = true;
                f.kinds.addAll(classifyText(s.t.stringValue(i + 2), prepared, depth));
            } else {
                f.unknown("EXECUTE IMMEDIATE of text that is not a literal");
            }
            return;
        }
        Set<Kind> kinds = s.is(i + 1, TokenType.WORD) || s.is(i + 1, TokenType.QUOTED_IDENT)
                ? prepared.get(s.t.name(i + 1)) : null;
        if (kinds == null) {
            f.unknown("EXECUTE of a statement not prepared in this submission");
        } else {
            f.kinds.addAll(kinds);
        }
    }

    /** MariaDB {@code SET STATEMENT var = value [, ...] FOR statement}: runs the statement with those settings. */
    private void setStatement(StatementTokens s, int i, Findings f, Map<String, Set<Kind>> prepared, int depth) {
        f.literalsMatter = true;
        int inner = s.find(i + 2, "for");
        if (inner < 0 || !s.in(inner + 1)) {
            f.unknown("SET STATEMENT without FOR");
            return;
        }
        f.add(Kind.SESSION);
        inner(s, inner + 1, f, prepared, depth);
    }

    /** DECLARE name CURSOR FOR query: the class of its query (PostgreSQL; MySQL DECLARE lives in stored programs). */
    private void declare(StatementTokens s, int i, Findings f, Map<String, Set<Kind>> prepared, int depth) {
        int cursor = s.find(i + 1, "cursor");
        int query = cursor < 0 ? -1 : s.find(cursor + 1, "for");
        if (dialect != Dialect.POSTGRES || query < 0) {
            f.unknown("DECLARE outside a cursor declaration");
            return;
        }
        inner(s, query + 1, f, prepared, depth);
    }

    private static void use(StatementTokens s, int i, Findings f) {
        if (!(s.is(i + 1, TokenType.WORD) || s.is(i + 1, TokenType.QUOTED_IDENT))) {
            f.unknown("unrecognised USE statement");
            return;
        }
        f.add(Kind.SESSION);
        f.change = new SessionChange.SearchPath(List.of(s.t.name(i + 1)));
    }
}
