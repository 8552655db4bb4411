package dev.gatehouse.sql.lex;

import dev.gatehouse.sql.Dialect;

import java.util.Arrays;

/**
 * The tokens of one submission, stored as parallel arrays of offsets into the source string (no token
 * objects, no substrings until a caller asks for one). Built by {@link Lexer}; immutable afterwards, so it
 * may be read by any thread once published.
 */
public final class Tokens {
    private static final TokenType[] TYPES = TokenType.values();
    private static final int[] NO_MARKERS = new int[0];

    private final String source;
    private final Dialect dialect;
    private byte[] types;
    private int[] starts;
    private int[] ends;
    private int size;
    /** Pairs [start, end) of MySQL executable-comment markers ({@code /*!50001} and its closing) to leave out of statement text. */
    private int[] markers = NO_MARKERS;
    private int markerCount;
    private boolean dependsOnEscapeSetting;

    Tokens(String source, Dialect dialect) {
        this.source = source;
        this.dialect = dialect;
        // About one token per three characters, but never a large up-front allocation for a huge text.
        int capacity = Math.max(16, Math.min(source.length() / 3, 4096));
        types = new byte[capacity];
        starts = new int[capacity];
        ends = new int[capacity];
    }

    void add(TokenType type, int start, int end) {
        if (size == types.length) {
            int capacity = size * 2;
            types = Arrays.copyOf(types, capacity);
            starts = Arrays.copyOf(starts, capacity);
            ends = Arrays.copyOf(ends, capacity);
        }
        types[size] = (byte) type.ordinal();
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    void addMarker(int start, int end) {
        if (markerCount * 2 == markers.length) {
            markers = Arrays.copyOf(markers, Math.max(8, markers.length * 2));
        }
        markers[markerCount * 2] = start;
        markers[markerCount * 2 + 1] = end;
        markerCount++;
    }

    void markDependsOnEscapeSetting() {
        dependsOnEscapeSetting = true;
    }

    /**
     * Whether a string holds a backslash whose meaning depends on a session setting (PostgreSQL
     * standard_conforming_strings, MySQL NO_BACKSLASH_ESCAPES): then the text may split differently in a
     * session that changed the setting, see {@link Lexer#lexWithOtherEscapes}.
     */
    public boolean dependsOnEscapeSetting() {
        return dependsOnEscapeSetting;
    }

    public String source() {
        return source;
    }

    public Dialect dialect() {
        return dialect;
    }

    public int size() {
        return size;
    }

    public TokenType type(int i) {
        return TYPES[types[i]];
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }

    /** First character of token {@code i}. */
    public char firstChar(int i) {
        return source.charAt(starts[i]);
    }

    /** Whether token {@code i} exists and is the unquoted word {@code lower} (given in lower case), ignoring case. Hot path: no allocation. */
    public boolean isWord(int i, String lower) {
        if (i < 0 || i >= size || types[i] != TokenType.WORD.ordinal()) {
            return false;
        }
        int s = starts[i];
        int n = ends[i] - s;
        if (n != lower.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (asciiLower(source.charAt(s + k)) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether token {@code i} exists and has type {@code type}. */
    public boolean is(int i, TokenType type) {
        return i >= 0 && i < size && types[i] == type.ordinal();
    }

    /** Whether token {@code i} is the operator written exactly {@code op}. */
    public boolean isOperator(int i, String op) {
        return is(i, TokenType.OPERATOR) && source.regionMatches(starts[i], op, 0, op.length())
                && ends[i] - starts[i] == op.length();
    }

    /** The raw text of token {@code i}. */
    public String raw(int i) {
        return source.substring(starts[i], ends[i]);
    }

    /**
     * The name token {@code i} stands for, as the dialect compares names: unquoted words and all MySQL
     * identifiers folded to lower case, PostgreSQL quoted identifiers with their case kept and quotes removed.
     */
    public String name(int i) {
        TokenType t = type(i);
        if (t == TokenType.QUOTED_IDENT) {
            String value = Literals.quotedIdentifier(this, i);
            return dialect == Dialect.MYSQL ? lower(value) : value;
        }
        return lower(raw(i));
    }

    /** The decoded value of string literal {@code i} (escapes applied as the dialect does). */
    public String stringValue(int i) {
        return Literals.string(this, i);
    }

    /**
     * Source text from token {@code from} to token {@code to} (exclusive), leaving out MySQL executable-comment
     * markers, so the result is what the server executes.
     */
    public String text(int from, int to) {
        if (from >= to) {
            return "";
        }
        int begin = starts[from];
        int finish = ends[to - 1];
        if (markerCount == 0) {
            return source.substring(begin, finish);
        }
        StringBuilder sb = new StringBuilder(finish - begin);
        int pos = begin;
        for (int m = firstMarkerEndingAfter(begin); m < markerCount && markers[m * 2] < finish; m++) {
            int ms = markers[m * 2];
            int me = markers[m * 2 + 1];
            if (me <= pos || ms >= finish) {
                continue;
            }
            sb.append(source, pos, Math.max(pos, ms));
            sb.append(' ');
            pos = Math.max(pos, me);
        }
        if (pos < finish) {
            sb.append(source, pos, finish);
        }
        return sb.toString().trim();
    }

    /** Markers are added in source order and do not overlap: binary search, so text() stays linear in its statement. */
    private int firstMarkerEndingAfter(int offset) {
        int lo = 0;
        int hi = markerCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (markers[mid * 2 + 1] <= offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    static String lower(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = k; j < chars.length; j++) {
                    chars[j] = asciiLower(chars[j]);
                }
                return new String(chars);
            }
        }
        return s;
    }
}
