package dev.gatehouse.sql.pg;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.RowCount;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.analysis.TableAccess;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.analysis.TableUse;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.classify.Builtins;
import dev.gatehouse.sql.classify.ClientEncoding;
import dev.gatehouse.sql.classify.SessionChange;
import dev.gatehouse.sql.lineage.Lineage;
import dev.gatehouse.sql.lineage.PgLineage;
import dev.gatehouse.sql.lineage.PgViews;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads PostgreSQL submissions with PostgreSQL's own parser (libpg_query) and describes every statement from
 * that one reading: the split, kinds, operation, tables, columns, functions and session changes all come from
 * the same parse tree (and the leading word from the same scanner), so no two readers can disagree.
 *
 * <p>A backslash in a {@code '...'} string reads differently when the session has turned
 * {@code standard_conforming_strings} off; text holding one is read both ways, and what only the other reading
 * shows is added to every statement (fail closed for sessions Gatehouse did not see).
 *
 * <p>Thread-safe, any thread: per-submission state lives on the caller's stack.
 */
public final class PgAnalyzer {
    /**
     * Texts up to this size are read; larger ones get the same answer every time, UNKNOWN with this reason. Bounded
     * by size, never by time, so a decision never depends on machine load.
     */
    public static final int MAX_CHARS = 16 * 1024 * 1024;
    /** SQL text run by functions (query_to_xml('...')) is read this many levels deep; deeper is UNKNOWN. */
    private static final int MAX_TEXT_DEPTH = 4;

    private final Catalog catalog;
    private final PgViews views = new PgViews();

    public PgAnalyzer(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Every statement of a submission, in order. Never throws; what cannot be read is UNKNOWN with a note. */
    public List<StatementInfo> analyze(String submission, List<String> defaultPath) {
        return analyze(submission, defaultPath, null);
    }

    /**
     * @param sessionUser the database user the session logged in as, when the front end knows it, else null:
     *                    {@code SET ROLE} to it returns to what the connection already is
     */
    public List<StatementInfo> analyze(String submission, List<String> defaultPath, String sessionUser) {
        return analyze(submission, defaultPath, 0, sessionUser);
    }

    private List<StatementInfo> analyze(String submission, List<String> defaultPath, int depth) {
        return analyze(submission, defaultPath, depth, null);
    }

    private List<StatementInfo> analyze(String submission, List<String> defaultPath, int depth, String sessionUser) {
        if (submission.length() > MAX_CHARS) {
            return List.of(unknown(submission, "text of " + submission.length() + " characters is larger than the "
                    + MAX_CHARS + " Gatehouse reads"));
        }
        if (!PgQuery.available()) {
            return List.of(unknown(submission, PgQuery.unavailableReason()));
        }
        PgTrees.Tree usual = parse(submission, true);
        if (submission.indexOf('\\') < 0) {
            return usual.error() != null ? List.of(rejected(submission, usual))
                    : read(submission, usual, true, defaultPath, depth, sessionUser);
        }
        // A backslash in '...' ends the string with standard_conforming_strings on and escapes the quote with it off.
        PgTrees.Tree other = parse(submission, false);
        if (usual.error() != null && other.error() != null) {
            return List.of(rejected(submission, usual));
        }
        if (usual.error() != null) {
            return withNote(read(submission, other, false, defaultPath, depth, sessionUser), null,
                    "readable only with standard_conforming_strings=off (" + usual.error() + " otherwise)");
        }
        List<StatementInfo> out = read(submission, usual, true, defaultPath, depth, sessionUser);
        if (other.error() != null) {
            return out; // a session with the other setting rejects the whole text
        }
        List<StatementInfo> alt = read(submission, other, false, defaultPath, depth, sessionUser);
        if (sameMeaning(out, alt)) {
            return out;
        }
        return withNote(out, alt, "with standard_conforming_strings=off this text reads otherwise; what that reading shows counts too");
    }

    /** The parse, of a large text without its constant-only VALUES rows ({@link PgRows}), positions as sent. */
    private static PgTrees.Tree parse(String submission, boolean scs) {
        PgRows.Reduced reduced = PgRows.of(submission, scs);
        if (reduced == null) {
            return PgTrees.parse(submission, scs);
        }
        PgTrees.Tree tree = PgTrees.parse(reduced.text(), scs);
        if (tree.error() != null) {
            return PgTrees.parse(submission, scs); // the whole text's own error, as the server would give it
        }
        List<PgTrees.Statement> mapped = new ArrayList<>(tree.statements().size());
        for (PgTrees.Statement s : tree.statements()) {
            mapped.add(new PgTrees.Statement(s.stmt(), reduced.original(s.from(), false), reduced.original(s.to(), true)));
        }
        return new PgTrees.Tree(mapped, null, -1, false);
    }

    private static boolean sameMeaning(List<StatementInfo> a, List<StatementInfo> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            StatementInfo x = a.get(i);
            StatementInfo y = b.get(i);
            if (!x.kinds().equals(y.kinds()) || !x.tables().equals(y.tables()) || !x.reads().equals(y.reads())
                    || !x.writes().equals(y.writes()) || !x.functions().equals(y.functions())
                    || x.unbounded() != y.unbounded() || x.lineageComplete() != y.lineageComplete()) {
                return false;
            }
        }
        return true;
    }

    /** Every statement widened with everything the other reading found anywhere, and a note. */
    private static List<StatementInfo> withNote(List<StatementInfo> out, List<StatementInfo> other, String note) {
        EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
        Map<TableName, EnumSet<TableUse>> tables = new LinkedHashMap<>();
        Set<ColumnName> reads = new HashSet<>();
        Set<ColumnName> writes = new HashSet<>();
        Set<String> functions = new LinkedHashSet<>();
        boolean unbounded = false;
        boolean complete = true;
        if (other != null) {
            for (StatementInfo i : other) {
                kinds.addAll(i.kinds());
                for (TableAccess t : i.tables()) {
                    tables.computeIfAbsent(t.table(), k -> EnumSet.noneOf(TableUse.class)).addAll(t.uses());
                }
                reads.addAll(i.reads());
                writes.addAll(i.writes());
                functions.addAll(i.functions());
                unbounded |= i.unbounded();
                complete &= i.lineageComplete();
            }
        }
        List<StatementInfo> widened = new ArrayList<>(out.size());
        for (StatementInfo i : out) {
            EnumSet<Kind> k = EnumSet.copyOf(i.kinds());
            k.addAll(kinds);
            Map<TableName, EnumSet<TableUse>> t = new LinkedHashMap<>();
            for (TableAccess a : i.tables()) {
                t.computeIfAbsent(a.table(), x -> EnumSet.noneOf(TableUse.class)).addAll(a.uses());
            }
            tables.forEach((name, uses) -> t.computeIfAbsent(name, x -> EnumSet.noneOf(TableUse.class)).addAll(uses));
            List<TableAccess> accesses = new ArrayList<>(t.size());
            t.forEach((name, uses) -> accesses.add(new TableAccess(name, uses)));
            Set<ColumnName> r = new HashSet<>(i.reads());
            r.addAll(reads);
            Set<ColumnName> w = new HashSet<>(i.writes());
            w.addAll(writes);
            Set<String> f = new LinkedHashSet<>(i.functions());
            f.addAll(functions);
            List<String> notes = new ArrayList<>(i.notes());
            notes.add(note);
            boolean whole = i.lineageComplete() && complete;
            widened.add(new StatementInfo(i.sql(), k, i.operation(), accesses, r, w, f, i.unbounded() || unbounded,
                    whole, true, notes, i.rowCount().either(RowCount.failClosed(k, accesses, whole))));
        }
        return widened;
    }

    /** Text the server's parser rejects: none of it runs. Its first word still names the operation, for the record. */
    private static StatementInfo rejected(String submission, PgTrees.Tree tree) {
        String at = tree.errorIndex() >= 0 ? " at character " + (tree.errorIndex() + 1) : "";
        String operation = "UNKNOWN";
        PgScan scan = PgQuery.scan(submission, true);
        for (int i = 0; i < scan.count(); i++) {
            int token = scan.token(i);
            if (token == PgToken.ASCII_40 || token == PgToken.SQL_COMMENT || token == PgToken.C_COMMENT) {
                continue;
            }
            if (token == PgToken.IDENT || scan.keywordKind(i) != PgToken.NO_KEYWORD) {
                operation = submission.substring(scan.start(i), scan.end(i)).toUpperCase(Locale.ROOT);
            }
            break;
        }
        return new StatementInfo(submission.strip(), Set.of(Kind.UNKNOWN), operation, List.of(), Set.of(), Set.of(),
                Set.of(), false, false, true, List.of(tree.parserRejects()
                        ? "PostgreSQL's parser rejects this text: " + tree.error() + at : "not read: " + tree.error()));
    }

    private static StatementInfo lineageIncomplete(StatementInfo i, String why) {
        List<String> notes = new ArrayList<>(i.notes());
        notes.add(why);
        return new StatementInfo(i.sql(), i.kinds(), i.operation(), i.tables(), i.reads(), i.writes(), i.functions(),
                i.unbounded(), false, true, notes, i.rowCount());
    }

    /** Unread text shares no cached answer with text of the same shape: its other literals may read fine. */
    static StatementInfo unknown(String sql, String why) {
        return new StatementInfo(sql, Set.of(Kind.UNKNOWN), "UNKNOWN", List.of(), Set.of(), Set.of(), Set.of(),
                false, false, true, List.of(why));
    }

    // ---------------------------------------------------------------- statements

    private List<StatementInfo> read(String submission, PgTrees.Tree tree, boolean scs, List<String> defaultPath, int depth,
                                     String sessionUser) {
        List<StatementInfo> out = new ArrayList<>(tree.statements().size());
        List<String> path = defaultPath;
        Map<String, Set<Kind>> prepared = new HashMap<>(4);
        boolean pathLost = false;
        for (PgTrees.Statement s : tree.statements()) {
            String sql = submission.substring(s.from(), s.to()).strip();
            try {
                Facts f = new Facts(prepared, depth, scs, path, sessionUser);
                String op = operation(submission, s, scs, sql);
                StatementInfo info = statement(sql, op, s.stmt(), f, path);
                if (pathLost) {
                    info = lineageIncomplete(info, "an earlier statement set search_path to a value Gatehouse cannot read");
                }
                pathLost |= f.searchPathLost;
                out.add(info);
                switch (f.change) {
                    case SessionChange.None none -> { }
                    case SessionChange.SearchPath p -> path = p.schemas();
                    case SessionChange.ResetSearchPath r -> path = defaultPath;
                    case SessionChange.Prepare p -> prepared.put(p.name(), p.kinds());
                }
            } catch (RuntimeException | StackOverflowError e) {
                out.add(unknown(sql, "internal error while analysing: " + e.getClass().getSimpleName()));
            }
        }
        return out;
    }

    /** How much of a statement is scanned first for its leading word: large texts are not scanned whole for it. */
    private static final int HEAD_CHARS = 256;

    /**
     * The statement's first word as the scanner reads it; for WITH, the main statement's verb. The scanner reads
     * the statement's head first; a word that ends before the head does is the whole word. Otherwise (a long
     * comment first, a string cut in two) the whole statement is scanned.
     */
    private static String operation(String submission, PgTrees.Statement s, boolean scs, String sql) {
        int headEnd = Math.min(s.to(), s.from() + HEAD_CHARS);
        String word = firstWord(submission.substring(s.from(), headEnd), scs, headEnd < s.to());
        if (word == null && headEnd < s.to()) {
            word = firstWord(submission.substring(s.from(), s.to()), scs, false);
        }
        if (word != null && !word.isEmpty()) {
            return word;
        }
        return verb(s, sql);
    }

    /** The first word, "" for WITH (the verb comes from the tree), null when the text does not show it. */
    private static String firstWord(String text, boolean scs, boolean cut) {
        PgScan scan = PgQuery.scan(text, scs);
        for (int i = 0; i < scan.count(); i++) {
            int token = scan.token(i);
            if (token == PgToken.ASCII_40 || token == PgToken.SQL_COMMENT || token == PgToken.C_COMMENT) {
                continue;
            }
            if (cut && scan.end(i) >= text.length()) {
                return null; // the word may go on past the head
            }
            return token == PgToken.WITH ? "" : text.substring(scan.start(i), scan.end(i)).toUpperCase(Locale.ROOT);
        }
        return null;
    }

    private static String verb(PgTrees.Statement s, String sql) {
        return switch (PgNodes.type(s.stmt())) {
            case "SelectStmt" -> "SELECT";
            case "InsertStmt" -> "INSERT";
            case "UpdateStmt" -> "UPDATE";
            case "DeleteStmt" -> "DELETE";
            case "MergeStmt" -> "MERGE";
            default -> sql.isEmpty() ? "UNKNOWN" : "WITH";
        };
    }

    /** What one statement's classification found; confined to the analysing thread. */
    private static final class Facts {
        final EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
        final List<String> notes = new ArrayList<>(1);
        final Set<String> functions = new LinkedHashSet<>();
        final Map<String, Set<Kind>> prepared;
        final int depth;
        boolean literalsMatter;
        boolean hiddenTables;
        /** The search path was set to a value that cannot be read: later statements' names cannot be resolved. */
        boolean searchPathLost;
        SessionChange change = SessionChange.NONE;

        final boolean scs;
        final List<String> path;
        /** Statements a DO block runs, read like submissions: their lineage is the DO's. */
        final List<StatementInfo> inner = new ArrayList<>(0);

        /** The database user the session logged in as, or null when the caller does not know it. */
        final String sessionUser;

        Facts(Map<String, Set<Kind>> prepared, int depth, boolean scs, List<String> path, String sessionUser) {
            this.prepared = prepared;
            this.depth = depth;
            this.scs = scs;
            this.path = path;
            this.sessionUser = sessionUser;
        }

        void add(Kind... k) {
            for (Kind kind : k) {
                kinds.add(kind);
            }
        }

        void unknown(String why) {
            kinds.add(Kind.UNKNOWN);
            notes.add(why);
        }
    }

    private StatementInfo statement(String sql, String operation, JsonNode stmt, Facts f, List<String> path) {
        String type = PgNodes.type(stmt);
        JsonNode n = PgNodes.body(stmt);
        kinds(stmt, f, true);
        // plain EXPLAIN: the inner statement's lineage, but nothing of it runs
        boolean lineageOnlyRead = type.equals("ExplainStmt") && !explainAnalyze(n, f);
        JsonNode lineageOf = stmt;
        Lineage l;
        if (f.kinds.contains(Kind.UNKNOWN) && !type.equals("ExplainStmt")) {
            l = Lineage.unparsed("not read for lineage");
        } else {
            PgLineage walker = new PgLineage(catalog, views, path);
            walker.statement(lineageOf);
            l = walker.result();
        }
        // System catalogs define who may do what: writing them is a privilege change, not a row write.
        for (TableAccess t : l.tables()) {
            if (t.uses().contains(TableUse.WRITE) && !lineageOnlyRead && t.table().schema().equals("pg_catalog")) {
                if (t.table().name().equals("pg_settings")) {
                    f.unknown("writing pg_settings is SET by another name");
                } else {
                    f.add(Kind.PRIVILEGE, Kind.DDL);
                    f.notes.add("writes system catalog " + t.table());
                }
            }
        }
        if (f.kinds.isEmpty()) {
            f.unknown("statement type " + type + " not classified");
        }
        List<TableAccess> tables = l.tables();
        Set<ColumnName> writes = l.writes();
        boolean unbounded = l.unbounded();
        if (lineageOnlyRead) {
            List<TableAccess> readOnly = new ArrayList<>(tables.size());
            for (TableAccess t : tables) {
                readOnly.add(new TableAccess(t.table(), Set.of(TableUse.READ)));
            }
            tables = readOnly;
            Set<ColumnName> reads = new HashSet<>(l.reads());
            reads.addAll(writes);
            l = new Lineage(true, tables, reads, Set.of(), Set.of(), false, l.complete(), l.literalsMatter(), l.notes());
            writes = Set.of();
            unbounded = false;
        }
        if (type.equals("TruncateStmt")) {
            unbounded = true;
        }
        List<String> notes = new ArrayList<>(f.notes.size() + l.notes().size());
        notes.addAll(f.notes);
        notes.addAll(l.notes());
        boolean complete = l.parsed() && l.complete() && !f.hiddenTables;
        if (!f.inner.isEmpty()) {
            Map<TableName, EnumSet<TableUse>> t = new LinkedHashMap<>();
            for (TableAccess a : tables) {
                t.computeIfAbsent(a.table(), x -> EnumSet.noneOf(TableUse.class)).addAll(a.uses());
            }
            Set<ColumnName> r = new HashSet<>(l.reads());
            Set<ColumnName> w = new HashSet<>(writes);
            for (StatementInfo i : f.inner) {
                for (TableAccess a : i.tables()) {
                    t.computeIfAbsent(a.table(), x -> EnumSet.noneOf(TableUse.class)).addAll(a.uses());
                }
                r.addAll(i.reads());
                w.addAll(i.writes());
                unbounded |= i.unbounded();
                complete &= i.lineageComplete();
            }
            tables = new ArrayList<>(t.size());
            for (Map.Entry<TableName, EnumSet<TableUse>> e : t.entrySet()) {
                tables.add(new TableAccess(e.getKey(), e.getValue()));
            }
            l = new Lineage(l.parsed(), tables, r, w, l.functions(), unbounded, complete, l.literalsMatter(), l.notes());
            writes = w;
        }
        return new StatementInfo(sql, f.kinds, operation, tables, l.reads(), writes, f.functions, unbounded, complete,
                f.literalsMatter || l.literalsMatter() || f.kinds.contains(Kind.UNKNOWN), notes,
                rowCount(type, stmt, lineageOnlyRead, f.kinds, tables, complete));
    }

    /** What the command tag will count of the rows it writes ({@link PgRowCount}); any other form fails closed. */
    private static RowCount rowCount(String type, JsonNode stmt, boolean lineageOnlyRead, Set<Kind> kinds,
                                     List<TableAccess> tables, boolean complete) {
        if (lineageOnlyRead || type.equals("PrepareStmt")) {
            return RowCount.NONE; // runs nothing; an EXECUTE is decided when it runs
        }
        if (type.equals("ExecuteStmt") && kinds.contains(Kind.WRITE)) {
            return RowCount.UNCOUNTED; // a prepared write: its tables are the PREPARE's, out of this statement's sight
        }
        RowCount dml = kinds.contains(Kind.UNKNOWN) ? null : PgRowCount.of(stmt);
        return dml != null ? dml : RowCount.failClosed(kinds, tables, complete);
    }

    /** EXPLAIN runs its statement only with ANALYZE (any true spelling); a value the server would reject counts as on. */
    private static boolean explainAnalyze(JsonNode explain, Facts f) {
        boolean analyze = false;
        for (JsonNode option : PgNodes.list(explain, "options")) {
            JsonNode d = PgNodes.body(option);
            if (!"analyze".equals(PgNodes.text(d, "defname"))) {
                continue;
            }
            JsonNode arg = d.get("arg");
            if (arg == null) {
                analyze = true;
                continue;
            }
            f.literalsMatter = true;
            String v = PgNodes.constant(arg);
            String s = v == null ? "" : v.toLowerCase(Locale.ROOT);
            analyze = !(s.equals("false") || s.equals("off") || s.equals("0"));
        }
        return analyze;
    }

    /** Kinds of a statement wrapper, with the kinds its function calls add when it runs them. */
    private void kinds(JsonNode stmt, Facts f, boolean executes) {
        String type = PgNodes.type(stmt);
        JsonNode n = PgNodes.body(stmt);
        switch (type) {
            case "SelectStmt" -> {
                f.add(Kind.READ);
                if (n.has("intoClause")) {
                    f.add(Kind.DDL, Kind.WRITE);
                }
                modifyingCtes(n, f);
            }
            case "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt" -> {
                f.add(Kind.WRITE);
                modifyingCtes(n, f);
            }
            case "CopyStmt" -> copy(n, f);
            case "PrepareStmt" -> {
                Facts inner = new Facts(f.prepared, f.depth, f.scs, f.path, f.sessionUser);
                kinds(n.path("query"), inner, true);
                f.kinds.addAll(inner.kinds);
                f.notes.addAll(inner.notes);
                f.functions.addAll(inner.functions);
                f.literalsMatter |= inner.literalsMatter;
                f.hiddenTables |= inner.hiddenTables;
                f.change = new SessionChange.Prepare(PgNodes.text(n, "name"), EnumSet.copyOf(inner.kinds));
                return;
            }
            case "ExecuteStmt" -> {
                Set<Kind> known = f.prepared.get(PgNodes.text(n, "name"));
                if (known == null) {
                    f.unknown("EXECUTE of a statement not prepared in this text");
                } else {
                    f.kinds.addAll(known);
                }
            }
            case "DeclareCursorStmt" -> kinds(n.path("query"), f, executes);
            case "CreateTableAsStmt" -> {
                f.add(Kind.DDL, Kind.WRITE);
                JsonNode q = n.path("query");
                if (PgNodes.type(q).equals("ExecuteStmt")) {
                    kinds(q, f, true);
                } else {
                    modifyingCtes(PgNodes.body(q), f);
                }
            }
            case "ExplainStmt" -> {
                if (explainAnalyze(n, f)) {
                    kinds(n.path("query"), f, executes);
                } else {
                    f.add(Kind.READ);
                    calls(n.path("query"), f, false);
                }
                return;
            }
            case "VariableSetStmt" -> set(n, f, f.sessionUser);
            case "VariableShowStmt", "FetchStmt" -> f.add(Kind.READ);
            case "TransactionStmt", "ClosePortalStmt", "ListenStmt", "NotifyStmt", "UnlistenStmt", "DeallocateStmt",
                 "CheckPointStmt", "VacuumStmt", "LockStmt", "ConstraintsSetStmt", "DiscardStmt" -> f.add(Kind.SESSION);
            case "LoadStmt", "CallStmt" -> f.add(Kind.PROCEDURAL);
            case "DoStmt" -> doBlock(n, f);
            case "GrantStmt", "GrantRoleStmt", "CreateRoleStmt", "AlterRoleStmt", "DropRoleStmt",
                 "AlterDefaultPrivilegesStmt", "ReassignOwnedStmt", "AlterRoleSetStmt" -> f.add(Kind.PRIVILEGE);
            case "DropOwnedStmt", "CreatePolicyStmt", "AlterPolicyStmt", "SecLabelStmt", "AlterOwnerStmt",
                 "CreateUserMappingStmt", "AlterUserMappingStmt", "DropUserMappingStmt" -> f.add(Kind.PRIVILEGE, Kind.DDL);
            case "DropStmt" -> {
                f.add(Kind.DDL);
                if ("OBJECT_POLICY".equals(PgNodes.text(n, "removeType"))) {
                    f.add(Kind.PRIVILEGE);
                }
            }
            case "RenameStmt" -> {
                String what = PgNodes.text(n, "renameType");
                if ("OBJECT_ROLE".equals(what)) {
                    f.add(Kind.PRIVILEGE);
                } else {
                    f.add(Kind.DDL);
                    if ("OBJECT_POLICY".equals(what)) {
                        f.add(Kind.PRIVILEGE);
                    }
                }
            }
            case "AlterTableStmt" -> {
                f.add(Kind.DDL);
                for (JsonNode cmd : PgNodes.list(n, "cmds")) {
                    String sub = PgNodes.text(PgNodes.body(cmd), "subtype");
                    if (sub != null && (sub.equals("AT_ChangeOwner") || sub.endsWith("RowSecurity"))) {
                        f.add(Kind.PRIVILEGE);
                        f.notes.add("changes ownership or row-level security");
                    }
                }
            }
            case "CreateSchemaStmt" -> {
                f.add(Kind.DDL);
                if (n.has("authrole")) {
                    f.add(Kind.PRIVILEGE);
                }
                for (JsonNode element : PgNodes.list(n, "schemaElts")) {
                    kinds(element, f, executes);
                }
            }
            case "TruncateStmt", "RefreshMatViewStmt" -> f.add(Kind.DDL, Kind.WRITE);
            default -> {
                if (PgNodes.isDefinition(type)) {
                    f.add(Kind.DDL);
                } else {
                    f.unknown("statement type " + type + " not classified");
                }
            }
        }
        calls(stmt, f, executes && runsExpressions(type));
    }

    /** Statement types that define objects without running the expressions they hold (bodies, defaults, rules). */
    private static boolean runsExpressions(String type) {
        return switch (type) {
            case "ViewStmt", "CreateFunctionStmt", "RuleStmt", "CreateTrigStmt", "CreatePolicyStmt", "AlterPolicyStmt",
                 "CreateStmt", "CreateDomainStmt", "DefineStmt", "CompositeTypeStmt", "AlterDomainStmt",
                 "CreateEventTrigStmt", "CreateCastStmt", "CreateOpClassStmt" -> false;
            default -> true;
        };
    }

    /** A data-modifying CTE anywhere under a query writes, whatever the main statement is. */
    private static void modifyingCtes(JsonNode node, Facts f) {
        if (node == null || !node.isContainerNode()) {
            return;
        }
        if (node.isObject()) {
            JsonNode cte = node.get("CommonTableExpr");
            if (cte != null) {
                String t = PgNodes.type(cte.path("ctequery"));
                if (t.equals("InsertStmt") || t.equals("UpdateStmt") || t.equals("DeleteStmt") || t.equals("MergeStmt")) {
                    f.add(Kind.WRITE);
                }
            }
        }
        for (JsonNode child : node) {
            modifyingCtes(child, f);
        }
    }

    private void copy(JsonNode n, Facts f) {
        boolean from = PgNodes.bool(n, "is_from");
        boolean program = PgNodes.bool(n, "is_program");
        boolean file = n.has("filename") && !program;
        f.literalsMatter |= n.has("filename"); // the file or command named
        if (from) {
            f.add(Kind.WRITE);
            if (file) {
                f.add(Kind.EXPORT);
                f.notes.add("COPY FROM a server file reads that file");
            }
        } else {
            f.add(Kind.EXPORT);
            JsonNode q = n.get("query");
            if (q != null) {
                modifyingCtes(n, f);
                String t = PgNodes.type(q);
                if (t.equals("InsertStmt") || t.equals("UpdateStmt") || t.equals("DeleteStmt") || t.equals("MergeStmt")) {
                    f.add(Kind.WRITE);
                }
            }
        }
        if (program) {
            f.add(Kind.PROCEDURAL);
            f.notes.add("COPY ... PROGRAM runs a command on the database server");
        }
    }

    /** SET, RESET, SET LOCAL, SET SESSION AUTHORIZATION, SET ROLE, SET TRANSACTION...: names as PostgreSQL reads them. */
    private static void set(JsonNode n, Facts f, String sessionUser) {
        f.literalsMatter = true;
        String kind = PgNodes.text(n, "kind");
        String name = PgNodes.text(n, "name");
        boolean reset = "VAR_RESET".equals(kind) || "VAR_SET_DEFAULT".equals(kind);
        if ("VAR_RESET_ALL".equals(kind)) {
            // RESET ALL leaves role and session_authorization alone (GUC_NO_RESET_ALL)
            f.add(Kind.SESSION);
            f.change = new SessionChange.ResetSearchPath();
            return;
        }
        if (name == null) {
            f.unknown("SET without a setting name");
            return;
        }
        List<JsonNode> args = PgNodes.list(n, "args");
        switch (name.toLowerCase(Locale.ROOT)) {
            case "role" -> {
                // SET ROLE NONE (Flyway restores its connections with SET ROLE 'none') and SET ROLE to the session's
                // own user return to what the connection authenticated as: nothing gained. RESET ROLE and SET ROLE
                // DEFAULT go to the role's configured default, which can differ: a role change like any other.
                String to = args.size() == 1 ? PgNodes.constant(args.get(0)) : null;
                boolean back = !reset && to != null && (to.equals("none") || to.equals(sessionUser));
                f.add(back ? Kind.SESSION : Kind.PRIVILEGE);
            }
            case "session_replication_role" -> f.add(reset ? Kind.SESSION : Kind.PRIVILEGE);
            case "session_authorization" -> f.add(Kind.PRIVILEGE);
            case "search_path" -> {
                f.add(Kind.SESSION);
                if (reset) {
                    f.change = new SessionChange.ResetSearchPath();
                } else if ("VAR_SET_VALUE".equals(kind)) {
                    List<String> schemas = new ArrayList<>(args.size());
                    for (JsonNode a : args) {
                        String s = PgNodes.constant(a);
                        if (s == null) {
                            f.notes.add("search_path value not understood; later names resolve with the previous path");
                            return;
                        }
                        schemas.add(s); // each value is one schema name (search_path quotes list items)
                    }
                    f.change = new SessionChange.SearchPath(schemas);
                }
            }
            case "client_encoding" -> {
                f.add(Kind.SESSION);
                if (reset) {
                    return;
                }
                String to = args.size() == 1 ? PgNodes.constant(args.get(0)) : null;
                if (to == null) {
                    f.unknown("client encoding not understood: later text may not read as the server reads it");
                } else if (!ClientEncoding.readableInPostgres(to)) {
                    f.unknown("client encoding " + to + " can hide quotes and backslashes in multibyte characters");
                }
            }
            default -> f.add(Kind.SESSION);
        }
    }

    // ---------------------------------------------------------------- function calls

    /** Every FuncCall under {@code node}: its name into the functions; when it runs, the kinds it adds. */
    private void calls(JsonNode node, Facts f, boolean executes) {
        if (node == null || !node.isContainerNode()) {
            return;
        }
        if (node.isObject()) {
            JsonNode call = node.get("FuncCall");
            if (call != null) {
                call(call, f, executes);
            }
            // written like calls, parsed as expressions: policies name them as functions
            if (node.has("CoalesceExpr")) {
                f.functions.add("coalesce");
            } else if (node.has("MinMaxExpr")) {
                f.functions.add("IS_GREATEST".equals(PgNodes.text(node.get("MinMaxExpr"), "op")) ? "greatest" : "least");
            } else if (node.has("A_Expr") && "AEXPR_NULLIF".equals(PgNodes.text(node.get("A_Expr"), "kind"))) {
                f.functions.add("nullif");
            }
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            calls(it.next(), f, executes);
        }
    }

    private void call(JsonNode call, Facts f, boolean executes) {
        List<String> parts = PgNodes.names(PgNodes.list(call, "funcname"));
        if (parts.isEmpty() || parts.get(parts.size() - 1) == null) {
            return;
        }
        String name = parts.get(parts.size() - 1);
        f.functions.add(parts.size() >= 2 && parts.get(parts.size() - 2) != null
                ? parts.get(parts.size() - 2) + "." + name : name);
        if (!executes) {
            return;
        }
        // built-ins are matched ignoring case: over-flagging "PG_READ_FILE" costs less than missing it
        String lower = name.toLowerCase(Locale.ROOT);
        List<JsonNode> args = PgNodes.list(call, "args");
        if (Builtins.EXPORT.contains(lower)) {
            f.add(Kind.EXPORT);
        } else if (Builtins.FILE_IMPORT.contains(lower)) {
            f.add(Kind.WRITE, Kind.EXPORT);
        } else if (Builtins.WRITE.contains(lower)) {
            f.add(Kind.WRITE);
        } else if (Builtins.SESSION.contains(lower)) {
            f.add(Kind.SESSION);
        } else if (Builtins.PROCEDURAL.contains(lower)) {
            f.add(Kind.PROCEDURAL);
            f.hiddenTables = true;
        } else if (Builtins.READS_NAMED_TABLES.contains(lower)) {
            f.hiddenTables = true;
            f.notes.add(lower + " reads tables named in text");
        } else if (lower.equals("set_config")) {
            setConfig(args, f);
        } else if (Builtins.RUNS_TEXT.containsKey(lower)) {
            int position = Builtins.RUNS_TEXT.get(lower);
            if (lower.equals("ts_rewrite") && args.size() != 2) {
                return;
            }
            runsText(lower, args.size() > position ? args.get(position) : null, f);
            // crosstab(text, text) runs its category query too; crosstab(text, int) has a number there
            if (lower.equals(Builtins.RUNS_SECOND_TEXT) && args.size() >= 2
                    && !(PgNodes.type(args.get(1)).equals("A_Const") && PgNodes.body(args.get(1)).has("ival"))) {
                runsText(lower, args.get(1), f);
            }
        }
    }

    /** set_config(name, value, local): a role change when the name is role-like or not a literal. */
    private static void setConfig(List<JsonNode> args, Facts f) {
        f.literalsMatter = true;
        String setting = args.isEmpty() ? null : PgNodes.literalText(args.get(0));
        if (setting == null) {
            f.add(Kind.PRIVILEGE);
            f.notes.add("set_config with a computed setting name may change the role");
            return;
        }
        // the server trims and lower-cases the name it looks up (' ROLE ' is role)
        String s = setting.strip().toLowerCase(Locale.ROOT);
        if (Builtins.PRIVILEGED_SETTINGS.contains(s)) {
            f.add(Kind.PRIVILEGE);
        } else if (s.equals("search_path")) {
            // later statements of the submission resolve names through the new path, as the server does
            String to = args.size() >= 2 ? PgNodes.literalText(args.get(1)) : null;
            List<String> path = to == null ? null : pathList(to);
            if (path == null) {
                // a parameter or computed value (Flyway sets its schema so): later statements of this text
                // cannot have their names resolved, so their lineage is incomplete
                f.add(Kind.SESSION);
                f.searchPathLost = true;
            } else {
                f.add(Kind.SESSION);
                f.change = new SessionChange.SearchPath(path);
            }
        } else if (s.equals("client_encoding")) {
            String to = args.size() >= 2 ? PgNodes.literalText(args.get(1)) : null;
            if (to == null || !ClientEncoding.readableInPostgres(to)) {
                f.unknown("set_config changes the client encoding to one Gatehouse cannot read");
            } else {
                f.add(Kind.SESSION);
            }
        } else {
            f.add(Kind.SESSION);
        }
    }

    /**
     * A DO block: what PostgreSQL's PL/pgSQL parser finds in it is read like submissions, and its tables and columns
     * become the DO's. Still PROCEDURAL (code runs); unreadable or dynamic blocks also hide their tables.
     */
    private void doBlock(JsonNode n, Facts f) {
        f.add(Kind.PROCEDURAL);
        // the body is a string literal whose content is read: DO blocks never share a cached answer by shape
        f.literalsMatter = true;
        PlpgsqlBodies.Result r = PlpgsqlBodies.ofDo(n, f.scs);
        if (!r.ok()) {
            f.hiddenTables = true;
            f.notes.add("DO block not read: " + r.error());
            return;
        }
        if (r.dynamic()) {
            f.hiddenTables = true;
            f.notes.add("DO block runs SQL built at run time (EXECUTE)");
        }
        if (f.depth >= MAX_TEXT_DEPTH) {
            f.unknown("DO block nested deeper than " + MAX_TEXT_DEPTH + " levels");
            return;
        }
        for (PlpgsqlBodies.Text t : r.texts()) {
            for (StatementInfo inner : analyze(t.sql(), f.path, f.depth + 1, f.sessionUser)) {
                f.kinds.addAll(inner.kinds());
                f.functions.addAll(inner.functions());
                f.inner.add(inner);
                f.literalsMatter |= inner.literalsMatter();
                for (String note : inner.notes()) {
                    f.notes.add("DO block: " + note);
                }
            }
        }
    }

    /**
     * A search_path value as text ({@code a, "B", public}): names split at commas, unquoted ones folded to lower
     * case, quoted ones kept; null when it is not such a list (a quote left open, an empty name).
     */
    static List<String> pathList(String value) {
        List<String> out = new ArrayList<>(4);
        int i = 0;
        int n = value.length();
        while (i <= n) {
            while (i < n && Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            StringBuilder name = new StringBuilder();
            if (i < n && value.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        return null;
                    }
                    char c = value.charAt(i++);
                    if (c == '"') {
                        if (i < n && value.charAt(i) == '"') {
                            name.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        name.append(c);
                    }
                }
            } else {
                while (i < n && value.charAt(i) != ',' && !Character.isWhitespace(value.charAt(i))) {
                    name.append(Character.toLowerCase(value.charAt(i++)));
                }
            }
            while (i < n && Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            if (name.isEmpty() || (i < n && value.charAt(i) != ',')) {
                return out.isEmpty() && name.isEmpty() && i >= n ? out : null;
            }
            out.add(name.toString());
            i++; // past the comma (or the end)
        }
        return out;
    }

    /** SQL text a function runs: read like a submission of its own; text that is not a literal is procedural. */
    private void runsText(String function, JsonNode arg, Facts f) {
        f.hiddenTables = true;
        String text = arg == null ? null : PgNodes.literalText(arg);
        if (text == null) {
            f.add(Kind.PROCEDURAL);
            f.notes.add(function + " runs SQL text that is not a literal");
            return;
        }
        f.literalsMatter = true;
        if (f.depth >= MAX_TEXT_DEPTH) {
            f.unknown(function + " text nested deeper than " + MAX_TEXT_DEPTH + " levels");
            return;
        }
        for (StatementInfo inner : analyze(text, List.of(), f.depth + 1, f.sessionUser)) {
            f.kinds.addAll(inner.kinds());
            f.functions.addAll(inner.functions());
            for (String note : inner.notes()) {
                f.notes.add(function + " text: " + note);
            }
        }
    }
}
