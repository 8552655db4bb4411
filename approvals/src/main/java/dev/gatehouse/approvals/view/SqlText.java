package dev.gatehouse.approvals.view;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SqlView} as plain text, for the channels that have no markup of their own (the CLI, Slack's code blocks,
 * Teams' facts): each statement under a {@code statement i of n} heading, each line of the text behind its line
 * number and a {@code │}, so a line break shows as exactly that whatever the channel does with white space.
 * Comments are underlined with {@code ~} on a row of their own (the row starts with {@code ┆}, which no text line
 * does) where the font is monospace, or wrapped in {@code ⟪ ⟫} where it is not; a mark is {@code ⟨U+XXXX NAME⟩};
 * a placeholder is followed by {@code ⟨= 'value'⟩}, {@code ⟨= NULL⟩}, {@code ⟨value hidden⟩} or
 * {@code ⟨no value bound⟩}. Text cannot fake any of these: {@code ⟨ ⟩ ⟪ ⟫} in it are marks themselves.
 *
 * <p>Threads: stateless; any thread.
 */
public final class SqlText {
    /** How comments are told apart from code. */
    public enum Comments {
        /** A row of {@code ~} under each comment (monospace channels: the CLI, Slack code blocks). */
        UNDERLINE,
        /** {@code ⟪comment⟫} in the line (channels that may not keep columns: Teams). */
        INLINE
    }

    /** The most of a bound value shown beside its placeholder; the page shows each whole. */
    static final int VALUE_SHOWN = 200;
    private static final String CONTINUED = " ┆ ";

    private SqlText() {
    }

    /** The whole view: the note (if any), then every statement under its heading. */
    public static String render(SqlView v, Comments mode) {
        StringBuilder b = new StringBuilder();
        if (v.note() != null) {
            b.append("note: ").append(v.note()).append('\n');
        }
        int n = v.statements().size();
        for (int s = 0; s < n; s++) {
            b.append(heading(s, n)).append('\n');
            for (String line : lines(v, s, mode)) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    /** {@code statement 1 of 3}. */
    public static String heading(int statement, int of) {
        return "statement " + (statement + 1) + " of " + of;
    }

    /** One statement's lines, each behind its line number in the whole text; underline rows in UNDERLINE mode. */
    public static List<String> lines(SqlView v, int statement, Comments mode) {
        return lines(v, statement, mode, false);
    }

    /** @param fenced the lines go inside a {@code ```} block, which a third backtick in a row would end */
    public static List<String> lines(SqlView v, int statement, Comments mode, boolean fenced) {
        int total = 1;
        for (SqlView.Statement st : v.statements()) {
            for (SqlView.Piece p : st.pieces()) {
                if (p instanceof SqlView.Piece.Break) {
                    total++;
                }
            }
        }
        int line = 1;
        for (int s = 0; s < statement; s++) {
            for (SqlView.Piece p : v.statements().get(s).pieces()) {
                if (p instanceof SqlView.Piece.Break) {
                    line++;
                }
            }
        }
        int width = Integer.toString(total).length();
        List<String> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        StringBuilder under = new StringBuilder();
        boolean underlined = false;
        boolean open = false;
        for (SqlView.Piece p : v.statements().get(statement).pieces()) {
            boolean comment = comment(p);
            if (mode == Comments.INLINE && comment != open && !(p instanceof SqlView.Piece.Break)) {
                text.append(comment ? "⟪" : "⟫");
                under.append(' ');
                open = comment;
            }
            switch (p) {
                case SqlView.Piece.Break br -> {
                    if (br.raw().equals("\r")) {
                        text.append(mark('\r')); // a lone CR ends the line (and a -- comment) for the server
                    }
                    if (mode == Comments.INLINE && open) {
                        text.append("⟫"); // each line's comment is closed on it, and reopened below if it goes on
                    }
                    emit(out, line, width, text, under, underlined);
                    line++;
                    underlined = false;
                    open &= comment;
                    if (mode == Comments.INLINE && open) {
                        text.append("⟪");
                        under.append(' ');
                    }
                }
                case SqlView.Piece.Text t -> {
                    int columns = 0;
                    for (int k = 0; k < t.text().length(); ) {
                        int cp = t.text().codePointAt(k);
                        k += Character.charCount(cp);
                        // Where text sits in a ``` block, a third backtick in a row would end it: shown as a mark.
                        if (fenced && cp == '`' && text.length() >= 2 && text.charAt(text.length() - 1) == '`'
                                && text.charAt(text.length() - 2) == '`') {
                            String shown = mark(cp);
                            text.append(shown);
                            columns += shown.codePointCount(0, shown.length());
                        } else {
                            text.appendCodePoint(cp);
                            columns++;
                        }
                    }
                    pad(under, columns, comment && mode == Comments.UNDERLINE);
                    underlined |= comment && mode == Comments.UNDERLINE;
                }
                case SqlView.Piece.Mark m -> {
                    String shown = mark(m.codePoint());
                    text.append(shown);
                    pad(under, shown.codePointCount(0, shown.length()), comment && mode == Comments.UNDERLINE);
                    underlined |= comment && mode == Comments.UNDERLINE;
                }
                case SqlView.Piece.Param pa -> {
                    String shown = pa.text() + annotation(pa);
                    text.append(shown);
                    pad(under, shown.codePointCount(0, shown.length()), false);
                }
            }
        }
        if (mode == Comments.INLINE && open) {
            text.append("⟫");
        }
        if (!text.isEmpty() || out.isEmpty()) {
            emit(out, line, width, text, under, underlined);
        }
        return out;
    }

    /** The first line of the first statement (marks shown, at most {@code max} characters), and how much more. */
    public static String firstLine(SqlView v, int max) {
        List<String> lines = lines(v, 0, Comments.INLINE);
        String first = lines.get(0);
        int bar = first.indexOf('│');
        String text = first.substring(bar + 2);
        if (text.codePointCount(0, text.length()) > max) {
            text = text.substring(0, text.offsetByCodePoints(0, max)) + "…";
        }
        int more = lines.size() - 1;
        for (int s = 1; s < v.statements().size(); s++) {
            more += lines(v, s, Comments.INLINE).size();
        }
        return text + (v.statements().size() > 1 ? " (" + v.statements().size() + " statements)" : "")
                + (more > 0 ? " (+" + more + " more lines)" : "");
    }

    /** What follows a placeholder. */
    public static String annotation(SqlView.Piece.Param p) {
        if (!p.bound()) {
            return "⟨no value bound⟩";
        }
        if (!p.shown()) {
            return "⟨value hidden⟩";
        }
        return p.value() == null ? "⟨= NULL⟩" : "⟨= '" + value(p.value(), VALUE_SHOWN) + "'⟩";
    }

    /** A bound value on one line: breaks and marks by code point, at most {@code max} characters of it. */
    public static String value(String v, int max) {
        StringBuilder b = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < v.length(); ) {
            int cp = v.codePointAt(i);
            if (shown == max) {
                b.append("… (").append(v.codePointCount(0, v.length())).append(" characters)");
                break;
            }
            if (cp == '\n' || cp == '\r' || SqlView.marked(cp)) {
                b.append(mark(cp));
            } else {
                b.appendCodePoint(cp);
            }
            shown++;
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    /** {@code ⟨U+2028 LINE SEPARATOR⟩}. */
    public static String mark(int cp) {
        String name = cp <= 0xFFFF && Character.isSurrogate((char) cp) ? "UNPAIRED SURROGATE" : Character.getName(cp);
        String hex = Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT);
        return "⟨U+" + "0".repeat(Math.max(0, 4 - hex.length())) + hex + (name == null ? "" : " " + name) + "⟩";
    }

    private static boolean comment(SqlView.Piece p) {
        return switch (p) {
            case SqlView.Piece.Text t -> t.comment();
            case SqlView.Piece.Break b -> b.comment();
            case SqlView.Piece.Mark m -> m.comment();
            case SqlView.Piece.Param pa -> false;
        };
    }

    private static void pad(StringBuilder under, int columns, boolean tilde) {
        for (int i = 0; i < columns; i++) {
            under.append(tilde ? '~' : ' ');
        }
    }

    private static void emit(List<String> out, int line, int width, StringBuilder text, StringBuilder under, boolean underlined) {
        String number = Integer.toString(line);
        out.add(" ".repeat(width - number.length()) + number + " │ " + text);
        if (underlined) {
            out.add(" ".repeat(width) + CONTINUED + under.toString().stripTrailing() + " comment");
        }
        text.setLength(0);
        under.setLength(0);
    }
}
