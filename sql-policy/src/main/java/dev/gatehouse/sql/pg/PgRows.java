package dev.gatehouse.sql.pg;

import java.util.ArrayList;
import java.util.List;

/**
 * Large texts only: the rows of a {@code VALUES} list after its first that hold nothing but constants
 * ({@code (1, 'x', NULL, -2.5, DEFAULT)}), or that are the first row again but for the constants standing directly
 * in it ({@code (2, 'y', now())} after {@code (1, 'x', now())}), are taken out before the parse. The first kind
 * names no column, calls nothing and holds no subquery; the second adds nothing the first row does not (a constant
 * inside a call, {@code set_config('role', ...)}, must be the first row's to the letter). So the tables, columns,
 * functions and kinds of the statement are those of the text without them, while a 14 MiB INSERT's parse tree would otherwise cost gigabytes and seconds to read. The rows are found
 * by PostgreSQL's own scanner (the same reading as the parse), and statement positions are mapped back to the
 * text as sent, so what is reported and shown is the submission itself. Stateless, any thread.
 */
final class PgRows {
    /** Below this size a text is parsed whole. */
    static final int MIN_CHARS = 64 * 1024;

    private PgRows() {
    }

    /** The shortened text and where text was taken out of it. */
    record Reduced(String text, int[] cutAt, int[] cutLength) {
        /**
         * The position in the original text of {@code index} in the shortened one; at a cut, a statement's start
         * maps before the removed rows and its end after them.
         */
        int original(int index, boolean end) {
            int shift = 0;
            for (int i = 0; i < cutAt.length; i++) {
                if (cutAt[i] < index || (end && cutAt[i] == index)) {
                    shift += cutLength[i];
                } else {
                    break;
                }
            }
            return index + shift;
        }
    }

    /** Null when nothing is taken out (a short text, no such rows, or text the scanner rejects). */
    static Reduced of(String sql, boolean standardConformingStrings) {
        if (sql.length() < MIN_CHARS) {
            return null;
        }
        PgScan scan = PgQuery.scan(sql, standardConformingStrings);
        if (!scan.ok()) {
            return null;
        }
        // tokens without comments: rows are judged by what the scanner reads, comments between them go with them
        int count = scan.count();
        int[] idx = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            int t = scan.token(i);
            if (t != PgToken.SQL_COMMENT && t != PgToken.C_COMMENT) {
                idx[n++] = i;
            }
        }
        List<int[]> cuts = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (scan.token(idx[k]) != PgToken.VALUES) {
                continue;
            }
            int row = k + 1;
            int end = rowEnd(scan, idx, n, row);
            if (end < 0) {
                continue; // not a row list
            }
            int first = row;
            int firstEnd = end;
            // later rows: ", ( ... )"
            while (end + 2 < n && scan.token(idx[end + 1]) == PgToken.ASCII_44 && scan.token(idx[end + 2]) == PgToken.ASCII_40) {
                int next = end + 2;
                int nextEnd = rowEnd(scan, idx, n, next);
                if (nextEnd < 0) {
                    break;
                }
                if (constantsOnly(scan, idx, next, nextEnd) || sameAsFirst(sql, scan, idx, first, firstEnd, next, nextEnd)) {
                    // from the end of the previous row to the end of this one: ", (...)" and what lies between
                    cuts.add(new int[] {scan.end(idx[end]), scan.end(idx[nextEnd])});
                }
                end = nextEnd;
            }
            k = end;
        }
        if (cuts.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder(sql.length() / 4);
        int[] cutAt = new int[cuts.size()];
        int[] cutLength = new int[cuts.size()];
        int copied = 0;
        for (int i = 0; i < cuts.size(); i++) {
            int[] c = cuts.get(i);
            b.append(sql, copied, c[0]);
            cutAt[i] = b.length();
            cutLength[i] = c[1] - c[0];
            copied = c[1];
        }
        b.append(sql, copied, sql.length());
        return new Reduced(b.toString(), cutAt, cutLength);
    }

    /** The index (among comment-free tokens) of the ')' closing the row that opens at {@code open}, or -1. */
    private static int rowEnd(PgScan scan, int[] idx, int n, int open) {
        if (open >= n || scan.token(idx[open]) != PgToken.ASCII_40) {
            return -1;
        }
        int depth = 0;
        for (int k = open; k < n; k++) {
            int t = scan.token(idx[k]);
            if (t == PgToken.ASCII_40) {
                depth++;
            } else if (t == PgToken.ASCII_41) {
                depth--;
                if (depth == 0) {
                    return k;
                }
            }
        }
        return -1;
    }

    /**
     * The same tokens as the first row, to the letter, except the values of constants standing directly in the row
     * (not inside a call's or an expression's parentheses).
     */
    private static boolean sameAsFirst(String sql, PgScan scan, int[] idx, int first, int firstEnd, int row, int rowEnd) {
        if (rowEnd - row != firstEnd - first) {
            return false;
        }
        int depth = 0;
        for (int k = 0; k <= rowEnd - row; k++) {
            int a = idx[first + k];
            int b = idx[row + k];
            int t = scan.token(a);
            if (t != scan.token(b)) {
                return false;
            }
            if (t == PgToken.ASCII_40) {
                depth++;
            } else if (t == PgToken.ASCII_41) {
                depth--;
            }
            boolean topLevelConstant = depth == 1 && isConstant(t);
            if (!topLevelConstant && !sql.regionMatches(scan.start(a), sql, scan.start(b), scan.end(a) - scan.start(a))) {
                return false;
            }
            if (!topLevelConstant && scan.end(a) - scan.start(a) != scan.end(b) - scan.start(b)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isConstant(int token) {
        return token == PgToken.SCONST || token == PgToken.ICONST || token == PgToken.FCONST || token == PgToken.BCONST
                || token == PgToken.XCONST;
    }

    /** A row of constants, signs, NULL, TRUE, FALSE and DEFAULT only, with no nested parentheses. */
    private static boolean constantsOnly(PgScan scan, int[] idx, int open, int close) {
        for (int k = open + 1; k < close; k++) {
            switch (scan.token(idx[k])) {
                case PgToken.SCONST, PgToken.ICONST, PgToken.FCONST, PgToken.BCONST, PgToken.XCONST, PgToken.ASCII_44,
                     PgToken.ASCII_45, PgToken.ASCII_43, PgToken.NULL_P, PgToken.TRUE_P, PgToken.FALSE_P,
                     PgToken.DEFAULT -> {
                    // a value, a sign or a separator
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }
}
