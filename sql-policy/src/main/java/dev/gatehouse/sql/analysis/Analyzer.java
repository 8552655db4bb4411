package dev.gatehouse.sql.analysis;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.classify.Classification;
import dev.gatehouse.sql.classify.Classifier;
import dev.gatehouse.sql.classify.SessionChange;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Lexer;
import dev.gatehouse.sql.lex.Span;
import dev.gatehouse.sql.lex.Splitter;
import dev.gatehouse.sql.lex.Tokens;
import dev.gatehouse.sql.lineage.Lineage;
import dev.gatehouse.sql.lineage.LineageAnalyzer;
import dev.gatehouse.sql.pg.PgAnalyzer;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a submission (the text a client sends at once) and describes every statement. PostgreSQL text is read
 * by PostgreSQL's own parser ({@link PgAnalyzer}); MySQL text is split with the dialect's lexical rules, kinds
 * and operation come from the token classifier, tables and columns from the parser-based lineage. Thread-safe: per-submission state lives on the stack of
 * the calling thread.
 */
public final class Analyzer {
    private final Dialect dialect;
    private final Catalog catalog;
    private final Classifier classifier;
    private final LineageAnalyzer lineage;
    /** PostgreSQL is read by PostgreSQL's own parser; null for MySQL. */
    private final PgAnalyzer postgres;

    public Analyzer(Dialect dialect, Catalog catalog) {
        this.dialect = dialect;
        this.catalog = catalog;
        // One reader per dialect: PostgreSQL text never reaches the token classifier or JSqlParser.
        boolean pg = dialect == Dialect.POSTGRES;
        this.classifier = pg ? null : new Classifier(dialect);
        this.lineage = pg ? null : new LineageAnalyzer(dialect, catalog);
        this.postgres = pg ? new PgAnalyzer(catalog) : null;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Catalog catalog() {
        return catalog;
    }

    /**
     * Hot path (every uncached submission): one lex, then per statement one classification and one lineage
     * analysis. Never throws: a statement that cannot be analysed is UNKNOWN with a note.
     *
     * @param submission    one or more statements
     * @param defaultSchema PostgreSQL search path (comma separated) or the MySQL current database; a
     *                      {@code SET search_path} / {@code USE} earlier in the submission applies to later statements
     */
    public List<StatementInfo> analyze(String submission, String defaultSchema) {
        return analyze(submission, defaultSchema, null);
    }

    /**
     * @param sessionUser the database user the session logged in as, when the caller knows it (null otherwise):
     *                    {@code SET ROLE} to that user changes nothing
     */
    public List<StatementInfo> analyze(String submission, String defaultSchema, String sessionUser) {
        if (postgres != null) {
            return postgres.analyze(submission, pgSearchPath(defaultSchema), sessionUser);
        }
        Tokens tokens;
        String readingNote = null;
        try {
            tokens = Lexer.lex(submission, dialect);
        } catch (LexException e) {
            // Unreadable with the default backslash rule, the server rejects it in a default session; a session
            // with the other rule runs what that reading shows, so classify that (or give up).
            try {
                tokens = Lexer.lexWithOtherEscapes(submission, dialect);
                readingNote = "readable only with " + otherSetting() + " (" + e.getMessage() + " otherwise)";
            } catch (LexException again) {
                return List.of(unknown(submission, "cannot be lexed: " + e.getMessage()));
            }
        }
        List<Span> spans = Splitter.spans(tokens);
        List<StatementInfo> out = new ArrayList<>(spans.size());
        List<String> defaultPath = searchPath(defaultSchema);
        List<String> path = defaultPath;
        Map<String, Set<Kind>> prepared = new HashMap<>(4);
        for (Span span : spans) {
            String sql = tokens.text(span.from(), span.to());
            try {
                Classification c = classifier.classify(tokens, span, prepared);
                Lineage l = lineage.analyze(sql, path);
                out.add(merge(sql, dev.gatehouse.sql.classify.GrantTables.widen(c, l, tokens, span), l));
                switch (c.change()) {
                    case SessionChange.None none -> { }
                    case SessionChange.SearchPath p -> path = p.schemas();
                    case SessionChange.ResetSearchPath r -> path = defaultPath;
                    case SessionChange.Prepare p -> prepared.put(p.name(), p.kinds());
                }
            } catch (RuntimeException | StackOverflowError e) {
                out.add(unknown(sql, "internal error while analysing: " + e.getClass().getSimpleName()));
            }
        }
        if (readingNote != null) {
            return withNote(out, EnumSet.noneOf(Kind.class), readingNote);
        }
        if (tokens.dependsOnEscapeSetting()) {
            return withOtherReading(submission, out);
        }
        return out;
    }

    /**
     * A backslash in a quoted string reads differently in a session that turned standard_conforming_strings
     * off (PostgreSQL) or NO_BACKSLASH_ESCAPES on (MySQL), and the same text can then hold other statements
     * ({@code SELECT 'a\'' ; DROP TABLE t; --'}). Kinds only that reading shows are added to every statement.
     */
    private List<StatementInfo> withOtherReading(String submission, List<StatementInfo> out) {
        EnumSet<Kind> seen = EnumSet.noneOf(Kind.class);
        for (StatementInfo info : out) {
            seen.addAll(info.kinds());
        }
        EnumSet<Kind> hidden;
        try {
            hidden = otherReadingKinds(submission);
        } catch (RuntimeException | StackOverflowError e) {
            hidden = EnumSet.of(Kind.UNKNOWN);
        }
        hidden.removeAll(seen);
        if (hidden.isEmpty()) {
            return out;
        }
        return withNote(out, hidden, "with " + otherSetting() + " this text also holds " + hidden);
    }

    private static String otherSetting() {
        return "NO_BACKSLASH_ESCAPES";
    }

    /** Every statement with {@code extra} kinds and a note; literals decided the reading, so they matter. */
    private static List<StatementInfo> withNote(List<StatementInfo> out, Set<Kind> extra, String note) {
        List<StatementInfo> widened = new ArrayList<>(out.size());
        for (StatementInfo i : out) {
            EnumSet<Kind> kinds = EnumSet.copyOf(i.kinds());
            kinds.addAll(extra);
            List<String> notes = new ArrayList<>(i.notes());
            notes.add(note);
            widened.add(new StatementInfo(i.sql(), kinds, i.operation(), i.tables(), i.reads(), i.writes(), i.functions(),
                    i.unbounded(), i.lineageComplete(), true, notes,
                    i.rowCount().either(RowCount.failClosed(kinds, i.tables(), i.lineageComplete()))));
        }
        return widened;
    }

    private EnumSet<Kind> otherReadingKinds(String submission) {
        Tokens other;
        try {
            other = Lexer.lexWithOtherEscapes(submission, dialect);
        } catch (LexException e) {
            // Statements before the point where that reading breaks may still run (MySQL runs multi-statements
            // one by one): classify the part before it.
            try {
                other = Lexer.lexWithOtherEscapes(submission.substring(0, e.offset()), dialect);
            } catch (LexException again) {
                return EnumSet.of(Kind.UNKNOWN);
            }
        }
        EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
        Map<String, Set<Kind>> prepared = new HashMap<>(4);
        for (Span span : Splitter.spans(other)) {
            Classification c = classifier.classify(other, span, prepared);
            kinds.addAll(c.kinds());
            if (c.change() instanceof SessionChange.Prepare p) {
                prepared.put(p.name(), p.kinds());
            }
        }
        return kinds;
    }

    private static StatementInfo merge(String sql, Classification c, Lineage l) {
        Set<String> functions;
        if (l.parsed()) {
            functions = new LinkedHashSet<>(l.functions());
            functions.addAll(c.riskyFunctions()); // the token scan also sees calls a parser may drop
        } else {
            functions = c.functions();
        }
        List<String> notes = new ArrayList<>(c.notes().size() + l.notes().size());
        notes.addAll(c.notes());
        notes.addAll(l.notes());
        boolean complete = l.complete() && !c.hiddenTables();
        // The parser's form says what the affected-rows count means; without it, fail closed.
        RowCount rows = l.parsed() && l.rowCount() != null && !c.kinds().contains(Kind.UNKNOWN) ? l.rowCount()
                : RowCount.failClosed(c.kinds(), l.tables(), complete);
        if (c.operation().equals("EXECUTE") && c.kinds().contains(Kind.WRITE)) {
            rows = RowCount.UNCOUNTED; // a prepared write: its tables are the PREPARE's, out of this statement's sight
        }
        return new StatementInfo(sql, c.kinds(), c.operation(), l.tables(), l.reads(), l.writes(), functions,
                l.parsed() ? l.unbounded() : c.unbounded(), complete, c.literalsMatter() || l.literalsMatter(),
                notes, rows);
    }

    private static StatementInfo unknown(String sql, String why) {
        return new StatementInfo(sql, Set.of(Kind.UNKNOWN), "UNKNOWN", List.of(), Set.of(), Set.of(), Set.of(),
                false, false, false, List.of(why));
    }

    /** {@code "a, b"} to {@code [a, b]}, trimmed, empty entries dropped. */
    /**
     * PostgreSQL's search path as the server prints it ({@code current_setting('search_path')}): identifiers
     * separated by commas, a quoted one as written (its {@code ""} an escaped quote, commas inside it part of the
     * name), an unquoted one folded to lower case, as the server folds it when it searches. So {@code "$user"} is
     * the {@code $user} entry, not a schema whose name has quotes in it.
     */
    static List<String> pgSearchPath(String defaultSchema) {
        List<String> path = new ArrayList<>(2);
        if (defaultSchema == null) {
            return path;
        }
        StringBuilder name = new StringBuilder();
        boolean quoted = false; // inside "..."
        boolean wasQuoted = false; // this entry was written quoted
        for (int i = 0, n = defaultSchema.length(); i < n; i++) {
            char c = defaultSchema.charAt(i);
            if (quoted) {
                if (c != '"') {
                    name.append(c);
                } else if (i + 1 < n && defaultSchema.charAt(i + 1) == '"') {
                    name.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"') {
                name.setLength(0); // white space before the quote
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                addSchema(path, name, wasQuoted);
                wasQuoted = false;
            } else if (!wasQuoted) {
                name.append(c);
            }
        }
        addSchema(path, name, wasQuoted);
        return List.copyOf(path);
    }

    private static void addSchema(List<String> path, StringBuilder name, boolean quoted) {
        String s = quoted ? name.toString() : name.toString().strip().toLowerCase(java.util.Locale.ROOT);
        if (!s.isEmpty()) {
            path.add(s);
        }
        name.setLength(0);
    }

    private static List<String> searchPath(String defaultSchema) {
        List<String> path = new ArrayList<>(2);
        if (defaultSchema == null) {
            return path;
        }
        for (int start = 0, comma; start <= defaultSchema.length(); start = comma + 1) {
            comma = defaultSchema.indexOf(',', start);
            if (comma < 0) {
                comma = defaultSchema.length();
            }
            String s = defaultSchema.substring(start, comma).trim();
            if (!s.isEmpty()) {
                path.add(s);
            }
        }
        return List.copyOf(path);
    }
}
