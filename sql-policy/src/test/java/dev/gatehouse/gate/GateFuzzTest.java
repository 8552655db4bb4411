package dev.gatehouse.gate;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.StatementDecision;
import dev.gatehouse.policy.Verdict;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Analyzer;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.catalog.SchemaCatalog;
import dev.gatehouse.sql.lex.LexException;
import dev.gatehouse.sql.lex.Lexer;
import dev.gatehouse.sql.lex.Tokens;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Coverage-guided fuzzing of the analyzer and the gate, both dialects (first byte odd: MySQL, even:
 * PostgreSQL; the seeds start with 'M' or 'P'; the rest is UTF-8 SQL). Seeds and found inputs live in
 * {@code GateFuzzTestInputs/analyzeAndDecide} and run as regression tests in every build.
 *
 * <p>Properties: the analyzer never throws and gives every statement at least one kind; the gate never fails
 * with an internal error; a submission with a statement the analyzer did not understand is never allowed, even
 * by a policy whose allow rule names UNKNOWN and whose default is allow; and the gate's answer, however it
 * was cached (exact text, or the literal-free fingerprint of a text decided just before that differs only in its
 * literals), is the answer a fresh analysis of the text gives.
 */
class GateFuzzTest {
    static final Principal ALICE = Principal.of("alice");

    /** Lenient where it may be (otherwise: allow, an allow rule for UNKNOWN) so that fail-closed is what is tested. */
    static final String POLICY = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers: { dba: [alice, bob] }
            rules:
              - id: reads-and-unknown
                match: { kinds: [READ, SESSION, UNKNOWN] }
                action: allow
              - id: billing
                match: { tables: ["billing.*"] }
                action: deny
              - id: pii
                match: { columns: ["*.users.ssn"] }
                action: review
              - id: bulk
                match: { kinds: [WRITE], unbounded: true }
                action: review
              - id: ddl
                match: { kinds: [DDL, PRIVILEGE, EXPORT, PROCEDURAL] }
                action: review
              - id: set-config
                match: { functions: [set_config, pg_read_file] }
                action: deny
            """;

    static final List<String> SCHEMA = List.of(
            "CREATE SCHEMA billing",
            "CREATE TABLE billing.invoices (id bigint PRIMARY KEY, customer_id bigint, amount numeric(12, 2))",
            "CREATE TABLE public.users (id bigint PRIMARY KEY, name text, ssn text, date_of_birth date)",
            "CREATE TABLE public.orders (id bigint PRIMARY KEY, user_id bigint, status text, note text)");

    private static final Side POSTGRES = new Side(Dialect.POSTGRES, "public");
    private static final Side MYSQL = new Side(Dialect.MYSQL, "public");
    /** Literals of several forms and values, put in place of the input's own to make texts of the same shape. */
    private static final String[][] REPLACEMENTS = {
            {"0", "'v'", "$$v$$", "E'v'", "X'0F'", "'v''w'", "1.5e3", "U&'v'"},
            {"0", "'v'", "\"v\"", "X'0F'", "'v''w'", "1.5e3", "N'v'", "0x0F"}};

    /** One dialect's analyzer and engine. */
    private record Side(Dialect dialect, Analyzer analyzer, Policy policy, PolicyEngine engine, String schema) {
        Side(Dialect dialect, String schema) {
            this(dialect, new Analyzer(dialect, SchemaCatalog.fromStatements(SCHEMA, dialect, schema)), loadPolicy(), schema);
        }

        private Side(Dialect dialect, Analyzer analyzer, Policy policy, String schema) {
            this(dialect, analyzer, policy, new PolicyEngine(policy), schema);
        }

        Gate newGate() {
            return new Gate(analyzer, policy, 100);
        }
    }

    private static Policy loadPolicy() {
        try {
            return Policy.parse("fuzz-policy.yaml", POLICY.getBytes(StandardCharsets.UTF_8));
        } catch (PolicyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Byte 0: bit 0 the dialect, the other bits which literals stand in for the input's own in the second text;
     * the rest: the SQL text. Each input is decided alone and then together with that second text through one
     * gate, in both orders, so a shared cache entry is exercised without depending on earlier inputs.
     */
    @FuzzTest(maxDuration = "10s")
    void analyzeAndDecide(byte[] data) {
        Side side = data.length > 0 && (data[0] & 1) == 1 ? MYSQL : POSTGRES;
        int choice = data.length > 0 ? (data[0] & 0xff) >>> 1 : 0;
        String sql = data.length == 0 ? "" : new String(data, 1, data.length - 1, StandardCharsets.UTF_8);

        Decision fresh = decideFresh(side, sql);
        Gate gate = side.newGate();
        check(side, sql, fresh, gate.decide(sql, side.schema(), ALICE));
        String other = withOtherLiterals(sql, side.dialect(), choice);
        if (other != null && !other.equals(sql)) {
            Decision otherFresh = decideFresh(side, other);
            check(side, other, otherFresh, gate.decide(other, side.schema(), ALICE));
            Gate reversed = side.newGate();
            check(side, other, otherFresh, reversed.decide(other, side.schema(), ALICE));
            check(side, sql, fresh, reversed.decide(sql, side.schema(), ALICE));
        }
    }

    private static Decision decideFresh(Side side, String sql) {
        List<StatementInfo> statements = side.analyzer().analyze(sql, side.schema());
        for (StatementInfo s : statements) {
            assertFalse(s.kinds().isEmpty());
        }
        return side.engine().decide(statements, ALICE);
    }

    private static void check(Side side, String sql, Decision fresh, Decision gated) {
        String reason = switch (gated.verdict()) {
            case Verdict.Deny d -> d.reason();
            case Verdict.Review r -> r.reason();
            case Verdict.Allow a -> "";
        };
        assertFalse(reason != null && reason.startsWith("internal error"), () -> reason + " for " + sql);
        boolean unknown = false;
        for (StatementDecision s : fresh.statements()) {
            unknown |= s.statement().isUnknown();
        }
        if (unknown) {
            assertNotEquals(Action.ALLOW, gated.verdict().action(), () -> "statement not understood but allowed: " + sql);
        }
        assertEquals(fresh.verdict().action(), gated.verdict().action(),
                () -> side.dialect() + ": the gate's answer differs from a fresh analysis for " + sql);
        assertEquals(fresh.statements().size(), gated.statements().size(), () -> "statement count for " + sql);
    }

    /** The text with every literal replaced by one of {@link #REPLACEMENTS}, or null when it does not lex. */
    static String withOtherLiterals(String sql, Dialect dialect, int choice) {
        Tokens t;
        try {
            t = Lexer.lex(sql, dialect);
        } catch (LexException e) {
            return null;
        }
        String[] replacements = REPLACEMENTS[dialect == Dialect.MYSQL ? 1 : 0];
        StringBuilder out = new StringBuilder(sql.length() + 16);
        int copied = 0;
        int literal = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.type(i).isLiteral() && !t.isWord(i - 1, "uescape")) {
                out.append(sql, copied, t.start(i)).append(replacements[(choice + literal++) % replacements.length]);
                copied = t.end(i);
            }
        }
        return out.append(sql, copied, sql.length()).toString();
    }
}
