package dev.gatehouse.policy;

import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Analyzer;
import dev.gatehouse.sql.catalog.Catalog;
import dev.gatehouse.sql.catalog.SchemaCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static dev.gatehouse.policy.Action.ALLOW;
import static dev.gatehouse.policy.Action.DENY;
import static dev.gatehouse.policy.Action.REVIEW;
import static dev.gatehouse.sql.Dialect.MYSQL;
import static dev.gatehouse.sql.Dialect.POSTGRES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * max_rows through the real readers and engine: what a write gets before it is counted, the lowest limit a
 * front end guards it with, and what it gets at a count and when it cannot be counted.
 */
class RowLimitsTest {
    static final String POLICY = """
            version: 1
            defaults: { max_rows: 100 }
            approvers: { dba: [alice, bob] }
            rules:
              - id: orders-bulk
                match: { kinds: [WRITE], tables: [orders] }
                max_rows: 10
                action: review
                approvers: [dba]
                reason: more than ten orders at once
              - id: orders-mass
                match: { operations: [DELETE, MERGE], tables: [orders] }
                max_rows: 1000
                action: deny
              - id: billing
                match: { tables: ["billing.*"] }
                action: review
              - id: watch-items
                match: { kinds: [WRITE], tables: [items] }
                max_rows: 1
                action: deny
                mode: shadow
            """;
    static final Policy P = parse(POLICY);
    static final long NO_LIMIT = Long.MAX_VALUE;

    static Policy parse(String yaml) {
        try {
            return Policy.parse("rows.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The tables of the cases, so that lineage is complete and only the rules under test match. */
    static final Catalog MYSQL_SCHEMA = SchemaCatalog.fromStatements(List.of(
            "CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(20))",
            "CREATE TABLE items (id INT PRIMARY KEY, price INT)"), MYSQL, "shop");

    static Decision decide(Policy policy, Dialect dialect, String sql) {
        Catalog catalog = dialect == POSTGRES ? Catalog.EMPTY : MYSQL_SCHEMA;
        return new PolicyEngine(policy).decide(new Analyzer(dialect, catalog)
                .analyze(sql, dialect == POSTGRES ? "public" : "shop"), Principal.of("agent-7"));
    }

    /**
     * @param before   the action while it is not counted (what a front end acts on first)
     * @param lowest   the rows it may touch with that action (NO_LIMIT: none)
     * @param at11     the action at 11 rows
     * @param at1001   the action at 1001 rows
     * @param ruleIds  the enforcing rules named at 1001 rows
     * @param uncounted the action when it ran where its rows cannot be counted
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("DELETE where id = id is limited, not decided", POSTGRES, "DELETE FROM orders WHERE id = id",
                        ALLOW, 10L, REVIEW, DENY, List.of("orders-bulk", "orders-mass"), DENY),
                arguments("DELETE where id in a subquery of itself", POSTGRES,
                        "DELETE FROM orders WHERE id IN (SELECT id FROM orders)", ALLOW, 10L, REVIEW, DENY,
                        List.of("orders-bulk", "orders-mass"), DENY),
                arguments("MERGE on o.id = s.id", POSTGRES,
                        "MERGE INTO orders o USING orders s ON o.id = s.id WHEN MATCHED THEN UPDATE SET note = 'x'",
                        ALLOW, 10L, REVIEW, DENY, List.of("orders-bulk", "orders-mass"), DENY),
                arguments("INSERT ... SELECT ... ON CONFLICT: only the review rule is about inserts", POSTGRES,
                        "INSERT INTO orders SELECT * FROM orders ON CONFLICT (id) DO UPDATE SET note = 'x'",
                        ALLOW, 10L, REVIEW, REVIEW, List.of("orders-bulk"), REVIEW),
                arguments("a write elsewhere has the default", POSTGRES, "UPDATE items SET price = 1",
                        ALLOW, 100L, ALLOW, REVIEW, List.of(), REVIEW),
                arguments("INSERT ... VALUES adds what it lists: no limit", POSTGRES,
                        "INSERT INTO orders VALUES (1, 'x')", ALLOW, NO_LIMIT, ALLOW, ALLOW, List.of(), ALLOW),
                arguments("a read has no limit", POSTGRES, "SELECT * FROM orders", ALLOW, NO_LIMIT, ALLOW, ALLOW,
                        List.of(), ALLOW),
                arguments("nextval writes no table row", POSTGRES, "SELECT nextval('s')", ALLOW, NO_LIMIT, ALLOW,
                        ALLOW, List.of(), ALLOW),
                arguments("a write the count leaves out gets the actions at once", POSTGRES,
                        "WITH d AS (DELETE FROM orders RETURNING id) DELETE FROM orders WHERE false",
                        DENY, NO_LIMIT, DENY, DENY, List.of("orders-bulk", "orders-mass"), DENY),
                arguments("TRUNCATE cannot be counted: the default reviews it", POSTGRES, "TRUNCATE items",
                        REVIEW, NO_LIMIT, REVIEW, REVIEW, List.of(), REVIEW),
                arguments("held for another reason, still limited", POSTGRES,
                        "UPDATE billing.invoices SET paid = true WHERE id = 1", REVIEW, 100L, REVIEW, REVIEW,
                        List.of("billing"), REVIEW),
                arguments("mysql REPLACE ... SELECT", MYSQL, "REPLACE INTO orders SELECT * FROM orders",
                        ALLOW, 10L, REVIEW, REVIEW, List.of("orders-bulk"), REVIEW),
                arguments("mysql ON DUPLICATE KEY UPDATE", MYSQL,
                        "INSERT INTO orders SELECT * FROM orders ON DUPLICATE KEY UPDATE note = 'x'",
                        ALLOW, 10L, REVIEW, REVIEW, List.of("orders-bulk"), REVIEW),
                arguments("mysql DELETE where id = id", MYSQL, "DELETE FROM orders WHERE id = id",
                        ALLOW, 10L, REVIEW, DENY, List.of("orders-bulk", "orders-mass"), DENY),
                arguments("mysql INSERT ... SET lists its row", MYSQL, "INSERT INTO orders SET id = 1",
                        ALLOW, NO_LIMIT, ALLOW, ALLOW, List.of(), ALLOW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void limits(String name, Dialect dialect, String sql, Action before, long lowest, Action at11, Action at1001,
                List<String> ruleIds, Action uncounted) {
        Decision d = decide(P, dialect, sql);
        assertEquals(before, d.verdict().action(), "before counting: " + d.verdict());
        assertEquals(lowest, d.rowLimits().lowest(), "lowest limit");
        assertSame(d, d.atRows(0), "nothing changes within the limits");
        assertEquals(before, d.atRows(Math.min(lowest, 1_000_000)).verdict().action(), "at the limit");
        assertEquals(at11, d.atRows(11).verdict().action(), "at 11 rows");
        Verdict over = d.atRows(1001).verdict();
        assertEquals(at1001, over.action(), "at 1001 rows");
        assertEquals(ruleIds, Explanation.ruleIds(over.hits(), false), "rules at 1001 rows");
        assertEquals(uncounted, d.uncounted("MyISAM").verdict().action(), "not counted");
    }

    @Test
    void theReasonNamesTheCountAndTheLimit() {
        Verdict v = decide(P, POSTGRES, "DELETE FROM orders WHERE id IS NOT NULL").atRows(30).verdict();
        Verdict.Review review = assertInstanceOf(Verdict.Review.class, v);
        assertEquals("orders-bulk: more than ten orders at once (touches 30 rows, over max_rows 10)", review.reason());
        assertEquals(java.util.Set.of("dba"), review.review().approverGroups(), "the rule's approvers");
        assertTrue(review.hits().get(review.hits().size() - 1).facts().contains("touches 30 rows, over max_rows 10"),
                review.hits().toString());
        Verdict.Review byDefault = assertInstanceOf(Verdict.Review.class,
                decide(P, POSTGRES, "UPDATE items SET price = 1").atRows(101).verdict());
        assertEquals("defaults.max_rows applies (touches 101 rows, over max_rows 100)", byDefault.reason());
        Verdict.Review uncounted = assertInstanceOf(Verdict.Review.class,
                decide(P, POSTGRES, "UPDATE items SET price = 1").uncounted("table shop.items is MyISAM").verdict());
        assertEquals("defaults.max_rows applies (rows not counted: table shop.items is MyISAM, over max_rows 100)",
                uncounted.reason());
    }

    @Test
    void aShadowRuleWithMaxRowsIsReportedNeverLimits() {
        Decision d = decide(P, POSTGRES, "DELETE FROM items WHERE id = id");
        assertEquals(100L, d.rowLimits().lowest(), "only the default limits it");
        RuleHit shadow = d.verdict().hits().get(0);
        assertEquals("watch-items", shadow.ruleId());
        assertTrue(shadow.shadow());
        assertTrue(shadow.facts().contains("max_rows 1 (rows are not counted for shadow rules)"), shadow.facts().toString());
    }

    @Test
    void aSubmissionAndABatchCountAsAWhole() {
        Decision two = decide(P, POSTGRES, "DELETE FROM orders WHERE id = 1; UPDATE items SET price = 2 WHERE id = 2");
        assertEquals(10L, two.rowLimits().lowest());
        Decision at12 = two.atRows(12);
        assertEquals(REVIEW, at12.verdict().action(), "the whole count is held against each statement's limits");
        assertEquals(REVIEW, at12.statements().get(0).verdict().action());
        assertEquals(ALLOW, at12.statements().get(1).verdict().action(), "12 rows are within the items default");
        Decision batch = Decision.combined(List.of(decide(P, POSTGRES, "UPDATE items SET price = 2 WHERE id = 2"),
                decide(P, POSTGRES, "DELETE FROM orders WHERE id = 1")));
        assertEquals(2, batch.statements().size());
        assertEquals(10L, batch.rowLimits().lowest());
        assertEquals(REVIEW, batch.atRows(11).verdict().action());
    }

    @Test
    void withoutALimitAWriteIsAsBefore() {
        Policy plain = parse("version: 1\nrules:\n  - id: bulk\n    match: {kinds: [WRITE], unbounded: true}\n    action: review\n");
        Decision d = decide(plain, POSTGRES, "DELETE FROM orders WHERE id = id");
        assertTrue(d.rowLimits().isEmpty());
        assertSame(d, d.atRows(1_000_000));
        assertSame(d, d.uncounted("anything"));
        assertEquals(REVIEW, decide(plain, POSTGRES, "DELETE FROM orders").verdict().action(), "unbounded as it was");
    }
}
