package dev.gatehouse.sql.lex;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.sql.Dialect;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Coverage-guided fuzzing of the lexer, the splitter and the fingerprint, both dialects. Input: the first
 * byte picks the dialect (odd: MySQL, even: PostgreSQL; the seeds start with 'M' or 'P'), the rest is the
 * SQL text in UTF-8. Without JAZZER_FUZZ this runs the seeds and every input fuzzing found, in
 * {@code SqlTextFuzzTestInputs/lexSplitFingerprint}; {@code benchmarks/fuzz.sh} runs it coverage-guided.
 *
 * <p>Properties, beyond "throws nothing but LexException":
 * <ul>
 * <li>tokens are non-empty, in order and inside the text; what lies between them lexes to no token at all
 *     (white space and comments only), so the tokens are all the code there is;</li>
 * <li>putting a space between every two tokens and around the text gives the same tokens (a token boundary
 *     is a real boundary) and the same fingerprint;</li>
 * <li>the splitter's statements cover every token except the semicolons that separate them, and
 *     {@link Splitter#split} returns exactly those statements' text;</li>
 * <li>the fingerprint is null exactly when the text cannot be lexed or depends on the escape setting.</li>
 * </ul>
 */
class SqlTextFuzzTest {

    static Dialect dialect(byte[] data) {
        return data.length > 0 && (data[0] & 1) == 1 ? Dialect.MYSQL : Dialect.POSTGRES;
    }

    static String text(byte[] data) {
        return data.length == 0 ? "" : new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
    }

    @FuzzTest(maxDuration = "10s")
    void lexSplitFingerprint(byte[] data) {
        Dialect dialect = dialect(data);
        String sql = text(data);
        Tokens tokens = lexOrNull(sql, dialect, false);
        Tokens other = lexOrNull(sql, dialect, true);
        if (tokens != null) {
            checkTokens(tokens);
            checkSplit(tokens);
            checkSpacedTheSame(tokens);
        }
        if (other != null) {
            checkTokens(other);
            checkSplit(other);
        }
        String fingerprint = Fingerprint.of(sql, dialect);
        boolean expectNull = tokens == null || tokens.dependsOnEscapeSetting();
        assertEquals(expectNull, fingerprint == null, () -> "fingerprint " + fingerprint + " for " + quoted(sql));
        assertEquals(fingerprint, Fingerprint.of(sql, dialect), "fingerprint not stable");
    }

    /** The tokens, or null for a LexException whose offset points into the text; any other exception fails the test. */
    private static Tokens lexOrNull(String sql, Dialect dialect, boolean otherEscapes) {
        try {
            return otherEscapes ? Lexer.lexWithOtherEscapes(sql, dialect) : Lexer.lex(sql, dialect);
        } catch (LexException e) {
            assertTrue(e.offset() >= 0 && e.offset() < sql.length(), () -> "offset " + e.offset() + " outside " + quoted(sql));
            return null;
        }
    }

    private static void checkTokens(Tokens t) {
        String src = t.source();
        int previousEnd = 0;
        for (int i = 0; i <= t.size(); i++) {
            int start = i < t.size() ? t.start(i) : src.length();
            if (i < t.size()) {
                int end = t.end(i);
                int index = i;
                assertTrue(previousEnd <= start && start < end && end <= src.length(),
                        () -> "token " + index + " [" + start + "," + end + ") out of order in " + quoted(src));
            }
            checkGap(t, src.substring(previousEnd, start));
            if (i < t.size()) {
                previousEnd = t.end(i);
            }
        }
    }

    /** Text between tokens is white space and comments; MySQL executable-comment markers are code boundaries, skipped. */
    private static void checkGap(Tokens t, String gap) {
        if (gap.isEmpty() || (t.dialect() == Dialect.MYSQL && (gap.contains("/*") || gap.contains("*/")))) {
            return;
        }
        Tokens inGap;
        try {
            inGap = Lexer.lex(gap, t.dialect());
        } catch (LexException e) {
            fail("text between tokens does not lex: " + quoted(gap) + " in " + quoted(t.source()));
            return;
        }
        assertEquals(0, inGap.size(), () -> "code between tokens: " + quoted(gap) + " in " + quoted(t.source()));
    }

    private static void checkSplit(Tokens t) {
        List<Span> spans = Splitter.spans(t);
        int next = 0;
        for (Span s : spans) {
            assertTrue(s.from() >= next && s.to() <= t.size(), () -> "span " + s + " out of order in " + quoted(t.source()));
            assertNotEquals(TokenType.SEMICOLON, t.type(s.from()), () -> "statement starts with ';' in " + quoted(t.source()));
            for (int i = next; i < s.from(); i++) {
                int index = i;
                assertEquals(TokenType.SEMICOLON, t.type(i), () -> "token " + index + " (" + t.raw(index)
                        + ") belongs to no statement in " + quoted(t.source()));
            }
            next = s.to();
        }
        for (int i = next; i < t.size(); i++) {
            int index = i;
            assertEquals(TokenType.SEMICOLON, t.type(i), () -> "token " + index + " (" + t.raw(index)
                    + ") after the last statement in " + quoted(t.source()));
        }
    }

    private static void checkSpacedTheSame(Tokens t) {
        String src = t.source();
        StringBuilder spaced = new StringBuilder(src.length() + 2 * t.size() + 2).append(' ');
        int previousEnd = 0;
        for (int i = 0; i < t.size(); i++) {
            spaced.append(src, previousEnd, t.start(i)).append(' ').append(src, t.start(i), t.end(i)).append(' ');
            previousEnd = t.end(i);
        }
        spaced.append(src, previousEnd, src.length()).append(' ');
        String wide = spaced.toString();
        Tokens again = lexOrNull(wide, t.dialect(), false);
        if (again == null) {
            fail("spaced text does not lex: " + quoted(wide) + " from " + quoted(src));
        }
        assertEquals(t.size(), again.size(), () -> "token count changed by spacing " + quoted(src) + " -> " + quoted(wide));
        for (int i = 0; i < t.size(); i++) {
            int index = i;
            assertEquals(t.type(i), again.type(i), () -> "token " + index + " type changed by spacing " + quoted(src));
            assertEquals(t.raw(i), again.raw(i), () -> "token " + index + " text changed by spacing " + quoted(src));
        }
        assertEquals(Splitter.spans(t), Splitter.spans(again), () -> "statements changed by spacing " + quoted(src));
        assertEquals(Fingerprint.of(src, t.dialect()), Fingerprint.of(wide, t.dialect()),
                () -> "fingerprint changed by spacing " + quoted(src));
        List<String> statements;
        try {
            statements = Splitter.split(src, t.dialect());
        } catch (LexException e) {
            fail("split cannot lex what lex read: " + quoted(src));
            return;
        }
        List<Span> spans = Splitter.spans(t);
        assertEquals(spans.size(), statements.size(), () -> "split and spans disagree on " + quoted(src));
        for (int i = 0; i < spans.size(); i++) {
            assertEquals(t.text(spans.get(i).from(), spans.get(i).to()), statements.get(i));
        }
    }

    static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
