package dev.gatehouse.sql.pg;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * A submission read by PostgreSQL's parser into statements: each one's parse tree and its exact span of the
 * text, as the server splits it. Any thread.
 */
public final class PgTrees {
    /**
     * Deep expressions give deep trees; PostgreSQL's own stack-depth check bounds them first, this only keeps
     * Jackson's default (1,000) from refusing what the server accepts.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(100_000)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(100_000)
                    .build())
            .build());

    private PgTrees() {
    }

    /** One statement: its tree ({@code {"SelectStmt": {...}}}) and its text's char span in the submission. */
    public record Statement(JsonNode stmt, int from, int to) {
    }

    /**
     * The statements, or why there are none: the parser's error (with its char position, -1 when none), or a
     * tree too deep to read here ({@code parserRejects} false: the server may well run such text).
     */
    public record Tree(List<Statement> statements, String error, int errorIndex, boolean parserRejects) {
        static Tree failed(String error, int index) {
            return new Tree(List.of(), error, index, true);
        }
    }

    /**
     * @param standardConformingStrings the session's setting: whether a backslash in {@code '...'} is an ordinary
     *                                  character (on, the default) or an escape (off)
     */
    public static Tree parse(String sql, boolean standardConformingStrings) {
        PgParse p = PgQuery.parse(sql, standardConformingStrings);
        if (!p.ok()) {
            return Tree.failed(p.error(), p.errorCharIndex());
        }
        JsonNode root;
        try {
            root = JSON.readTree(p.json());
        } catch (JsonProcessingException e) {
            return new Tree(List.of(), "its parse tree is too deep to read: " + e.getOriginalMessage(), -1, false);
        }
        JsonNode stmts = root.path("stmts");
        List<Statement> out = new ArrayList<>(Math.max(1, stmts.size()));
        for (JsonNode raw : stmts) {
            int location = raw.path("stmt_location").asInt(0);
            int length = raw.path("stmt_len").asInt(0);
            int from = PgQuery.charIndex(sql, location);
            int to;
            if (length == 0) {
                // the last statement runs to the end of the text
                to = sql.length();
            } else {
                to = PgQuery.charIndex(sql, location + length);
            }
            out.add(new Statement(raw.path("stmt"), from, to));
        }
        return new Tree(out, null, -1, false);
    }
}
