package dev.gatehouse.sql.catalog;

import dev.gatehouse.sql.Dialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first few words of a statement, read with a char-level scanner (comments skipped by the dialect's
 * rules): enough to tell a relation definition from everything else a schema file holds, and to read
 * {@code SET search_path}, {@code USE db} and {@code CREATE DATABASE}, which JSqlParser does not. Words are
 * upper-cased keywords or folded identifiers; quoted identifiers keep their quote character in front so a
 * caller can fold them. Not a splitter: it reads one statement the caller already separated. Any thread.
 */
final class LeadingWords {
    /** Enough to get past {@code CREATE OR REPLACE ALGORITHM=... DEFINER=... SQL SECURITY ... VIEW}. */
    static final int MAX_WORDS = 24;

    private LeadingWords() {
    }

    /**
     * Words until {@code (}, {@code ;} or the end, at most {@link #MAX_WORDS}. Punctuation other than
     * {@code (} is skipped; string literals become one word with their quote kept in front.
     */
    static List<String> read(String sql, Dialect dialect) {
        return scan(sql, dialect, null);
    }

    /** Char offset of the first bare word equal (ignoring case) to {@code keyword} among the leading words, or -1. */
    static int offsetOf(String sql, Dialect dialect, String keyword) {
        List<Integer> offsets = new ArrayList<>(8);
        List<String> words = scan(sql, dialect, offsets);
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equalsIgnoreCase(keyword)) {
                return offsets.get(i);
            }
        }
        return -1;
    }

    private static List<String> scan(String sql, Dialect dialect, List<Integer> offsets) {
        List<String> words = new ArrayList<>(8);
        int i = 0;
        int n = sql.length();
        while (i < n && words.size() < MAX_WORDS) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '#' && dialect == Dialect.MYSQL) {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i, dialect);
            } else if (c == '(' || c == ';') {
                break;
            } else if (c == '"' || c == '`' || c == '\'') {
                int end = sql.indexOf(c, i + 1);
                end = end < 0 ? n : end;
                words.add(c + sql.substring(i + 1, end));
                if (offsets != null) {
                    offsets.add(i);
                }
                i = end + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                words.add(sql.substring(start, i));
                if (offsets != null) {
                    offsets.add(start);
                }
            } else {
                i++;
            }
        }
        return words;
    }

    /** PostgreSQL block comments nest; MySQL's do not. */
    private static int skipBlockComment(String sql, int start, Dialect dialect) {
        int depth = 0;
        int i = start;
        int n = sql.length();
        while (i < n) {
            if (i + 1 < n && sql.charAt(i) == '/' && sql.charAt(i + 1) == '*') {
                depth = dialect == Dialect.POSTGRES ? depth + 1 : 1;
                i += 2;
            } else if (i + 1 < n && sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    static boolean is(List<String> words, int index, String keyword) {
        return index < words.size() && words.get(index).toUpperCase(Locale.ROOT).equals(keyword);
    }

    /** {@code CREATE [OR REPLACE] [TEMP|UNLOGGED|MATERIALIZED|ALGORITHM=...|...] TABLE|VIEW}. */
    static boolean definesRelation(List<String> words) {
        if (!is(words, 0, "CREATE")) {
            return false;
        }
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i).toUpperCase(Locale.ROOT);
            if (w.equals("TABLE") || w.equals("VIEW")) {
                return true;
            }
            if (w.equals("AS") || w.equals("ON") || w.equals("INDEX") || w.equals("FUNCTION")
                    || w.equals("PROCEDURE") || w.equals("TRIGGER") || w.equals("TYPE") || w.equals("SEQUENCE")) {
                return false;
            }
        }
        return false;
    }
}
