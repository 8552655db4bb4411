package dev.gatehouse.sql.lex;

import dev.gatehouse.sql.Dialect;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a submission into statements at top-level semicolons, as the dialect's own client does: not inside
 * parentheses, quotes or comments, and not inside the bodies of PostgreSQL {@code BEGIN ATOMIC} functions or
 * MySQL stored programs. Empty statements are dropped. Stateless; callable from any thread.
 */
public final class Splitter {
    private Splitter() {
    }

    /**
     * Statement texts without the terminating {@code ;}, trimmed (comments before a statement are dropped;
     * MySQL executable-comment markers are removed, leaving the code the server runs).
     */
    public static List<String> split(String text, Dialect dialect) throws LexException {
        Tokens tokens = Lexer.lex(text, dialect);
        List<Span> spans = spans(tokens);
        List<String> out = new ArrayList<>(spans.size());
        for (Span s : spans) {
            out.add(tokens.text(s.from(), s.to()));
        }
        return out;
    }

    /** Hot path: the statements of a lexed submission as token ranges. */
    public static List<Span> spans(Tokens t) {
        List<Span> out = new ArrayList<>(2);
        int n = t.size();
        int start = 0;
        while (start < n) {
            int end = t.dialect() == Dialect.POSTGRES ? endOfPostgres(t, start) : endOfMysql(t, start);
            if (end > start) {
                out.add(new Span(start, end));
            }
            start = end + 1;
        }
        return out;
    }

    /**
     * The index of the {@code ;} that ends the statement starting at {@code start} (or the token count).
     * Like psql: inside {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}, BEGIN/CASE ... END pairs at paren
     * depth 0 hide semicolons, so {@code BEGIN ATOMIC ... END} bodies stay whole.
     */
    private static int endOfPostgres(Tokens t, int start) {
        int n = t.size();
        int parens = 0;
        int begins = 0;
        int words = 0;
        boolean routine = false;
        boolean create = false;
        for (int i = start; i < n; i++) {
            switch (t.type(i)) {
                case LPAREN -> parens++;
                case RPAREN -> parens = Math.max(0, parens - 1);
                case SEMICOLON -> {
                    if (parens == 0 && begins == 0) {
                        return i;
                    }
                }
                case WORD -> {
                    if (words == 0) {
                        create = t.isWord(i, "create");
                    } else if (create && !routine && words <= 3) {
                        routine = t.isWord(i, "function") || t.isWord(i, "procedure");
                        if (!routine && !(words == 1 && t.isWord(i, "or") || words == 2 && t.isWord(i, "replace"))) {
                            create = false;
                        }
                    }
                    words++;
                    if (routine && parens == 0) {
                        if (t.isWord(i, "begin")) {
                            begins++;
                        } else if (t.isWord(i, "case") && begins > 0) {
                            begins++;
                        } else if (t.isWord(i, "end") && begins > 0) {
                            begins--;
                        }
                    }
                }
                default -> {
                }
            }
        }
        return n;
    }

    /**
     * MySQL: stored programs (CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT, MariaDB's BEGIN NOT ATOMIC) hold
     * compound statements whose inner semicolons do not end the statement: BEGIN/END, IF/END IF,
     * CASE/END [CASE], LOOP/END LOOP, WHILE/END WHILE, REPEAT/END REPEAT, nested.
     */
    private static int endOfMysql(Tokens t, int start) {
        int n = t.size();
        boolean program = isStoredProgram(t, start);
        int parens = 0;
        int blocks = 0;
        for (int i = start; i < n; i++) {
            switch (t.type(i)) {
                case LPAREN -> parens++;
                case RPAREN -> parens = Math.max(0, parens - 1);
                case SEMICOLON -> {
                    if (parens == 0 && blocks == 0) {
                        return i;
                    }
                }
                case WORD -> {
                    if (!program || parens != 0) {
                        break;
                    }
                    if (t.isWord(i, "end")) {
                        blocks = Math.max(0, blocks - 1);
                        if (isBlockWord(t, i + 1)) {
                            i++; // END IF / END LOOP / ...: the keyword closes, it does not open
                        }
                    } else if (t.isWord(i, "begin") || t.isWord(i, "case")) {
                        blocks++;
                    } else if (t.isWord(i, "if")) {
                        if (startsInnerStatement(t, i - 1) && !t.isWord(i + 1, "not") && !t.isWord(i + 1, "exists")) {
                            blocks++;
                        }
                    } else if ((t.isWord(i, "loop") || t.isWord(i, "while") || t.isWord(i, "repeat"))
                            && !t.is(i + 1, TokenType.LPAREN)) {
                        blocks++;
                    }
                }
                default -> {
                }
            }
        }
        return n;
    }

    private static boolean isBlockWord(Tokens t, int i) {
        return t.isWord(i, "if") || t.isWord(i, "loop") || t.isWord(i, "while") || t.isWord(i, "repeat")
                || t.isWord(i, "case");
    }

    /** An IF statement (not the IF() function or IF EXISTS) follows a statement boundary inside a body. */
    private static boolean startsInnerStatement(Tokens t, int prev) {
        if (prev < 0) {
            return false;
        }
        return switch (t.type(prev)) {
            case SEMICOLON, RPAREN -> true;
            case OTHER -> t.firstChar(prev) == ':';
            case WORD -> t.isWord(prev, "begin") || t.isWord(prev, "then") || t.isWord(prev, "else")
                    || t.isWord(prev, "do") || t.isWord(prev, "loop") || t.isWord(prev, "repeat")
                    || t.isWord(prev, "row");
            default -> false;
        };
    }

    private static boolean isStoredProgram(Tokens t, int start) {
        if (t.isWord(start, "begin")) {
            return t.isWord(start + 1, "not") && t.isWord(start + 2, "atomic");
        }
        if (!t.isWord(start, "create")) {
            return false;
        }
        int limit = Math.min(t.size(), start + 24);
        for (int i = start + 1; i < limit; i++) {
            if (t.is(i, TokenType.SEMICOLON)) {
                return false;
            }
            if (t.isWord(i, "procedure") || t.isWord(i, "function") || t.isWord(i, "trigger") || t.isWord(i, "event")) {
                return true;
            }
        }
        return false;
    }
}
