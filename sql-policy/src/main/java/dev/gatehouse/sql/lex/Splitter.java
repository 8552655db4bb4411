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
    /** How far the MySQL block heuristics look around one keyword, in tokens. */
    private static final int LOOK_LIMIT = 1024;

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
     * Inside {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}, a {@code BEGIN ATOMIC ... END} body (with CASE ...
     * END inside) at paren depth 0 hides semicolons. psql counts any BEGIN there, but the server only opens a
     * body at BEGIN ATOMIC, and the server is what runs the text: {@code CREATE FUNCTION begin() ...; GRANT ...}
     * is two statements to it.
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
                        if (t.isWord(i, "begin") && t.isWord(i + 1, "atomic")) {
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
     * CASE/END [CASE], LOOP/END LOOP, WHILE/END WHILE, REPEAT/END REPEAT, nested. Openers are only counted
     * where a statement can start (BEGIN and END are not reserved words, IF() is also a function), so that an
     * identifier cannot keep a block open and hide the statements after it; a miscount the other way only
     * cuts the text into more statements, each classified on its own.
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
                    if (t.isWord(i, "end") && blocks > 0) {
                        blocks--;
                        if (isBlockWord(t, i + 1)) {
                            i++; // END IF / END LOOP / ...: the keyword closes, it does not open
                        }
                    } else if (t.isWord(i, "case")) {
                        blocks++; // reserved; both CASE forms end with END
                    } else if (t.isWord(i, "begin")) {
                        if (blocks == 0 ? mayStartBody(t, i - 1, start)
                                : startsInnerStatement(t, i - 1) || endsHandlerDeclaration(t, i - 1, start)) {
                            blocks++;
                        }
                    } else if (t.isWord(i, "if")) {
                        if (startsInnerStatement(t, i - 1) && thenBeforeSemicolon(t, i + 1)) {
                            blocks++;
                        }
                    } else if ((t.isWord(i, "loop") || t.isWord(i, "while") || t.isWord(i, "repeat"))
                            && startsInnerStatement(t, i - 1) && !t.is(i + 1, TokenType.LPAREN)) {
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

    /** A statement starts after {@code ;}, BEGIN, THEN, ELSE, DO, LOOP, REPEAT, a label's colon, or a body start. */
    private static boolean startsInnerStatement(Tokens t, int prev) {
        if (prev < 0) {
            return false;
        }
        return switch (t.type(prev)) {
            case SEMICOLON, RPAREN -> true;
            case OTHER -> t.firstChar(prev) == ':';
            case WORD -> t.isWord(prev, "begin") || t.isWord(prev, "then") || t.isWord(prev, "else")
                    || t.isWord(prev, "do") || t.isWord(prev, "loop") || t.isWord(prev, "repeat")
                    || t.isWord(prev, "row") || t.isWord(prev, "atomic");
            default -> false;
        };
    }

    /**
     * The outermost BEGIN of a routine body follows the header's characteristics (a type, DETERMINISTIC, a
     * COMMENT string...); in the header BEGIN can only be a name: of the routine, trigger, event or table.
     */
    private static boolean mayStartBody(Tokens t, int prev, int start) {
        if (prev < start) {
            return true; // MariaDB BEGIN NOT ATOMIC
        }
        return switch (t.type(prev)) {
            case DOT, OPERATOR, VARIABLE, COMMA -> false;
            case WORD -> !(t.isWord(prev, "procedure") || t.isWord(prev, "function") || t.isWord(prev, "trigger")
                    || t.isWord(prev, "event") || t.isWord(prev, "on") || t.isWord(prev, "follows")
                    || t.isWord(prev, "precedes") || t.isWord(prev, "exists") || t.isWord(prev, "table"));
            default -> true;
        };
    }

    /**
     * {@code DECLARE ... HANDLER FOR condition BEGIN ... END}: the handler's body is a block too. Looks back at
     * most {@link #LOOK_LIMIT} tokens (giving up only splits more), so splitting stays linear.
     */
    private static boolean endsHandlerDeclaration(Tokens t, int prev, int start) {
        boolean handler = false;
        for (int k = prev; k >= Math.max(start, prev - LOOK_LIMIT); k--) {
            if (t.is(k, TokenType.SEMICOLON) || t.isWord(k, "begin") || t.isWord(k, "then") || t.isWord(k, "else")
                    || t.isWord(k, "do") || t.isWord(k, "loop") || t.isWord(k, "repeat")) {
                return handler && t.isWord(k + 1, "declare");
            }
            handler |= t.isWord(k, "handler");
        }
        return false;
    }

    /** An IF statement has THEN before the statement ends; the IF() function does not. Bounded like the above. */
    private static boolean thenBeforeSemicolon(Tokens t, int from) {
        int parens = 0;
        for (int i = from; i < Math.min(t.size(), from + LOOK_LIMIT); i++) {
            switch (t.type(i)) {
                case LPAREN -> parens++;
                case RPAREN -> parens--;
                case SEMICOLON -> {
                    return false;
                }
                case WORD -> {
                    if (parens == 0 && t.isWord(i, "then")) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
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
