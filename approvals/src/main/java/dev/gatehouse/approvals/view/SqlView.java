package dev.gatehouse.approvals.view;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Lexer;
import dev.gatehouse.sql.lex.Span;
import dev.gatehouse.sql.lex.Splitter;
import dev.gatehouse.sql.lex.TokenType;
import dev.gatehouse.sql.lex.Tokens;
import dev.gatehouse.sql.pg.PgQuery;
import dev.gatehouse.sql.pg.PgScan;
import dev.gatehouse.sql.pg.PgToken;
import dev.gatehouse.sql.pg.PgTrees;
import java.util.ArrayList;
import java.util.List;

/**
 * A held submission as approvers are shown it, on every channel (the page, the CLI, Slack, Teams): the exact
 * text, every character once and in order, cut into the statements the server will run and marked where the
 * server reads a comment, a bound value beside each placeholder. Nothing is reflowed: the only line breaks are the
 * ones the server reads as such ({@code \n}, {@code \r\n}, a lone {@code \r}, which ends a {@code --} comment
 * too), and every character that could look like a break, a space or nothing at all while meaning something else
 * to the server (U+2028, U+0085, U+000B, U+000C, bidirectional controls, zero-width and no-break spaces, NUL, an
 * unpaired surrogate, ...) is a {@link Piece.Mark} a renderer shows by its code point.
 *
 * <p>Statement boundaries and comments come from the reader the policy used: PostgreSQL's own scanner and parser
 * ({@code dev.gatehouse.sql.pg}) for PostgreSQL text, Gatehouse's MySQL lexer and splitter for MySQL text. Text
 * the reader cannot read is shown as one block with a {@link #note} saying so (it is held or denied as unread).
 * A request made before its dialect was recorded is read as PostgreSQL, and the note says that too.
 *
 * <p>Threads: immutable; built on any thread (HTTP server, CLI, hook delivery).
 *
 * @param statements the submission cut at the server's statement boundaries (at least one)
 * @param note       why the text is shown otherwise than split by its reader, or null
 */
public record SqlView(List<Statement> statements, String note) {
    /** The longest text cut and marked; PostgreSQL's reader refuses longer text anyway (it is then unread). */
    static final int MAX_READ = 16 * 1024 * 1024;

    public SqlView {
        statements = List.copyOf(statements);
    }

    /** One statement of the submission: its text from its first token to the next statement's. */
    public record Statement(int from, int to, List<Piece> pieces) {
        public Statement {
            pieces = List.copyOf(pieces);
        }
    }

    /** A run of the text. A closed set: renderers switch over it. */
    public sealed interface Piece permits Piece.Text, Piece.Break, Piece.Mark, Piece.Param {
        /** Characters shown as themselves: no line breaks and nothing {@link #marked}. */
        record Text(String text, boolean comment) implements Piece {
        }

        /** A line break the server reads as one: {@code "\n"}, {@code "\r\n"} or a lone {@code "\r"}. */
        record Break(String raw, boolean comment) implements Piece {
        }

        /** A character shown by its code point, never as itself. */
        record Mark(int codePoint, boolean comment) implements Piece {
        }

        /**
         * A placeholder ({@code $1}, {@code ?}) and the value bound to it.
         *
         * @param position 1-based
         * @param bound    whether a value was bound at that position ({@code value} null then means SQL NULL)
         * @param shown    false when the viewer may not see bound values
         */
        record Param(String text, int position, boolean bound, String value, boolean shown) implements Piece {
        }
    }

    /**
     * @param dialect    how the text is read; null when not recorded (read as PostgreSQL, with a note)
     * @param parameters bound values by position (null values are SQL NULL)
     * @param showValues whether the viewer may see them (else each placeholder says a value is bound, not which)
     */
    public static SqlView of(String sql, Dialect dialect, List<String> parameters, boolean showValues) {
        Reading reading;
        if (sql.length() > MAX_READ) {
            reading = Reading.unread("the text is longer than " + (MAX_READ >> 20) + " MiB: not cut into statements"
                    + " here; shown exactly as sent, as one block");
        } else if (dialect == Dialect.MYSQL) {
            reading = mysql(sql);
        } else {
            reading = postgres(sql);
            if (dialect == null) {
                reading = reading.noted("the request does not record its dialect: read as PostgreSQL");
            }
        }
        return build(sql, reading, parameters, showValues);
    }

    /** Whether a character is shown by its code point: anything a reader could take for another character. */
    public static boolean marked(int cp) {
        if (cp == '\t' || cp == ' ') {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            // Look-alikes of the marks renderers use, so that text cannot fake a mark.
            default -> cp == '\u27E8' || cp == '\u27E9' || cp == '\u27EA' || cp == '\u27EB';
        };
    }

    // ---------------------------------------------------------------- reading

    /**
     * What a reader found: where statements after the first begin, comment spans and placeholder spans (each as
     * sorted pairs of char indexes), the placeholders' positions, and a note.
     */
    private record Reading(int[] starts, int[] comments, int[] params, int[] positions, String note) {
        static Reading unread(String note) {
            return new Reading(new int[0], new int[0], new int[0], new int[0], note);
        }

        Reading noted(String more) {
            return new Reading(starts, comments, params, positions, note == null ? more : more + "; " + note);
        }
    }

    private static Reading postgres(String sql) {
        PgScan scan = PgQuery.scan(sql, true);
        if (!scan.ok()) {
            return Reading.unread("PostgreSQL's scanner cannot read this text (" + scan.error()
                    + "): shown exactly as sent, as one block, without comments marked");
        }
        IntList comments = new IntList();
        IntList params = new IntList();
        IntList positions = new IntList();
        for (int i = 0; i < scan.count(); i++) {
            int t = scan.token(i);
            if (t == PgToken.SQL_COMMENT || t == PgToken.C_COMMENT) {
                comments.add(scan.start(i), scan.end(i));
            } else if (t == PgToken.PARAM) {
                params.add(scan.start(i), scan.end(i));
                positions.add(parsePosition(sql, scan.start(i) + 1, scan.end(i)));
            }
        }
        PgTrees.Tree tree = PgTrees.parse(sql, true);
        if (tree.error() != null) {
            return new Reading(new int[0], comments.array(), params.array(), positions.array(),
                    "PostgreSQL's parser cannot read this text (" + tree.error() + "): it is not cut into statements here");
        }
        IntList starts = new IntList();
        int token = 0;
        for (int s = 1; s < tree.statements().size(); s++) {
            int from = tree.statements().get(s).from();
            // The parser's span opens right after the previous ';'; the statement begins at its first token.
            while (token < scan.count() && (scan.start(token) < from || isComment(scan.token(token)))) {
                token++;
            }
            starts.add(token < scan.count() ? scan.start(token) : from);
        }
        return new Reading(starts.array(), comments.array(), params.array(), positions.array(), null);
    }

    private static boolean isComment(int token) {
        return token == PgToken.SQL_COMMENT || token == PgToken.C_COMMENT;
    }

    private static Reading mysql(String sql) {
        Tokens t;
        try {
            t = Lexer.lex(sql, Dialect.MYSQL);
        } catch (LexException e) {
            return Reading.unread("the MySQL reader cannot read this text (" + e.getMessage()
                    + "): shown exactly as sent, as one block, without comments marked");
        }
        IntList comments = new IntList();
        IntList params = new IntList();
        IntList positions = new IntList();
        int previousEnd = 0;
        int n = 0;
        for (int i = 0; i <= t.size(); i++) {
            int start = i < t.size() ? t.start(i) : sql.length();
            gapComment(sql, previousEnd, start, comments);
            if (i < t.size()) {
                if (t.type(i) == TokenType.PARAM) {
                    params.add(t.start(i), t.end(i));
                    positions.add(++n);
                }
                previousEnd = t.end(i);
            }
        }
        IntList starts = new IntList();
        List<Span> spans = Splitter.spans(t);
        for (int s = 1; s < spans.size(); s++) {
            starts.add(t.start(spans.get(s).from()));
        }
        return new Reading(starts.array(), comments.array(), params.array(), positions.array(), null);
    }

    /** The lexer keeps no comments: what lies between two tokens and is not white space is one. */
    private static void gapComment(String sql, int from, int to, IntList comments) {
        int a = from;
        while (a < to && Character.isWhitespace(sql.charAt(a))) {
            a++;
        }
        int b = to;
        while (b > a && Character.isWhitespace(sql.charAt(b - 1))) {
            b--;
        }
        if (a < b) {
            comments.add(a, b);
        }
    }

    private static int parsePosition(String sql, int from, int to) {
        long v = 0;
        for (int i = from; i < to && v <= Integer.MAX_VALUE; i++) {
            v = v * 10 + (sql.charAt(i) - '0');
        }
        return (int) Math.min(v, Integer.MAX_VALUE);
    }

    // ---------------------------------------------------------------- building

    private static SqlView build(String sql, Reading r, List<String> parameters, boolean showValues) {
        List<Statement> out = new ArrayList<>(r.starts().length + 1);
        int from = 0;
        int comment = 0;
        int param = 0;
        for (int s = 0; s <= r.starts().length; s++) {
            int to = s < r.starts().length ? r.starts()[s] : sql.length();
            List<Piece> pieces = new ArrayList<>();
            StringBuilder run = new StringBuilder();
            boolean runComment = false;
            int i = from;
            while (i < to) {
                while (comment < r.comments().length && r.comments()[comment + 1] <= i) {
                    comment += 2;
                }
                boolean inComment = comment < r.comments().length && r.comments()[comment] <= i;
                if (param < r.params().length && r.params()[param] == i) {
                    flush(pieces, run, runComment);
                    int end = r.params()[param + 1];
                    int position = r.positions()[param / 2];
                    boolean bound = position >= 1 && position <= parameters.size();
                    pieces.add(new Piece.Param(sql.substring(i, end), position, bound,
                            bound && showValues ? parameters.get(position - 1) : null, showValues));
                    param += 2;
                    i = end;
                    continue;
                }
                if (inComment != runComment) {
                    flush(pieces, run, runComment);
                    runComment = inComment;
                }
                char c = sql.charAt(i);
                if (c == '\n' || c == '\r') {
                    flush(pieces, run, runComment);
                    boolean crlf = c == '\r' && i + 1 < to && sql.charAt(i + 1) == '\n';
                    pieces.add(new Piece.Break(crlf ? "\r\n" : String.valueOf(c), inComment));
                    i += crlf ? 2 : 1;
                    continue;
                }
                int cp = sql.codePointAt(i);
                if (marked(cp)) {
                    flush(pieces, run, runComment);
                    pieces.add(new Piece.Mark(cp, inComment));
                } else {
                    run.appendCodePoint(cp);
                }
                i += Character.charCount(cp);
            }
            flush(pieces, run, runComment);
            out.add(new Statement(from, to, pieces));
            from = to;
        }
        return new SqlView(out, r.note());
    }

    private static void flush(List<Piece> pieces, StringBuilder run, boolean comment) {
        if (!run.isEmpty()) {
            pieces.add(new Piece.Text(run.toString(), comment));
            run.setLength(0);
        }
    }

    /** A growable int array: spans as pairs, without boxing. */
    private static final class IntList {
        private int[] a = new int[8];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void add(int from, int to) {
            add(from);
            add(to);
        }

        int[] array() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
