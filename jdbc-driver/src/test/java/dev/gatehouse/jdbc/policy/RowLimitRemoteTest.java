package dev.gatehouse.jdbc.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.jdbc.ReviewPendingException;
import dev.gatehouse.jdbc.StatementDeniedException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.gatehouse.jdbc.policy.ApprovalDesk.DESK;
import static dev.gatehouse.jdbc.policy.RowLimitTest.POLICY;
import static dev.gatehouse.jdbc.policy.RowLimitTest.count;
import static dev.gatehouse.jdbc.policy.RowLimitTest.countInRolledBackTransaction;
import static dev.gatehouse.jdbc.policy.RowLimitTest.exec;
import static dev.gatehouse.jdbc.policy.RowLimitTest.newOrders;
import static dev.gatehouse.jdbc.policy.RowLimitTest.noteCount;
import static dev.gatehouse.jdbc.policy.RowLimitTest.orders;
import static dev.gatehouse.jdbc.policy.RowLimitTest.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code max_rows} as {@link RowLimitTest} checks it, with the driver's approvals going over HTTP to serve's
 * requester API ({@code gatehouse.approvals} = serve's URL and a {@code ghr_} credential) instead of to the store:
 * the measured count must cross that API both ways (into the request approvers read, and back as the approval a
 * re-run stays within). Serve here is {@link ApprovalDesk}'s; its approvers (alice and bob in {@code dba}) are the
 * ones rows-policy.yaml names. Against the real PostgreSQL and MariaDB, each case on a fresh table of 30 orders.
 */
class RowLimitRemoteTest {

    enum Db {
        POSTGRES(RowLimitTest.PG, RowLimitTest.PG_RAW, true),
        MARIADB(RowLimitTest.MARIADB, RowLimitTest.MARIADB_RAW, false);

        final String base;
        final String raw;
        final boolean pg;

        Db(String base, String raw, boolean pg) {
            this.base = base;
            this.raw = raw;
            this.pg = pg;
        }

        /** The driver's URL under rows-policy.yaml, its requests going to serve's requester API. */
        String url(String more) {
            String url = DESK.remoteUrl(base, POLICY, more);
            // Never the store: a driver that could reach it would not be using the requester API at all.
            assertFalse(url.contains(URLEncoder.encode(DESK.storeUrl, StandardCharsets.UTF_8)), url);
            assertTrue(url.contains("gatehouse.requester-token-file="), url);
            return url;
        }
    }

    /**
     * One of RowLimitTest's unbounded writes on one database, with the rows the server itself counts for it on
     * the 30 orders: MariaDB counts a replaced row, and a row an ON DUPLICATE KEY UPDATE changes, twice.
     */
    record Case(Db db, RowLimitTest.Write write, long counted) {
        String name() {
            return db + ": " + write.name();
        }
    }

    static List<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (Db db : Db.values()) {
            for (RowLimitTest.Write w : RowLimitTest.writes(db.pg)) {
                boolean doubled = !db.pg && w.noteAfter() != null;
                all.add(new Case(db, w, doubled ? 60 : 30));
            }
        }
        return all;
    }

    /** How the connection answers a held statement: ZG001 at once, or the statement waits for the decision. */
    enum Mode {
        FAIL("gatehouse.review=fail"), WAIT("gatehouse.max-wait=60");

        final String option;

        Mode(String option) {
            this.option = option;
        }
    }

    /**
     * 1 and 2: held with the table untouched and the request showing the measured count; once approved over HTTP
     * the identical write runs once (FAIL: re-sent; WAIT: the waiter runs it); the same write over the same rows
     * again is held again (WAIT: and a denial of that request is what the waiter gets).
     */
    @TestFactory
    Stream<DynamicTest> anUnboundedWriteIsHeldWithItsMeasuredCountThenRunsOnceAfterApproval() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            for (Case c : cases()) {
                tests.add(DynamicTest.dynamicTest(mode + ", " + c.name(), () -> heldThenRunOnce(c, mode)));
            }
        }
        return tests.stream();
    }

    private static void heldThenRunOnce(Case c, Mode mode) throws Exception {
        String raw = c.db().raw;
        String t = newOrders(raw, "");
        String sql = c.write().sql().replace("{t}", t);
        // The pool first: a failing case closes the connection first, which withdraws a waiter's request and frees it.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             Connection g = DriverManager.getConnection(c.db().url(mode.option));
             Statement st = g.createStatement()) {
            assertEquals(c.counted(), countInRolledBackTransaction(raw, sql), "what the server counts for it");

            Sent first = send(mode, st, sql, t, List.of(), pool);
            first.assertHeldFor(c.counted());
            assertEquals(orders(30, "n"), snapshot(raw, t), "nothing of it remains until approved");
            assertEquals(Map.of(first.requestId(), "pending"), DESK.requests(t), "one request, through serve");
            JsonNode request = DESK.request(first.requestId());
            assertEquals(sql, request.get("sql").asText());
            assertEquals("[\"dba\"]", request.get("approver_groups").toString());
            assertEquals("orders-rows: more than ten orders at once (touches " + c.counted()
                    + " rows, over max_rows 10)", request.get("reason").asText());
            assertMeasured(c.counted(), request);

            assertEquals(200, DESK.approve(first.requestId()));
            assertEquals(c.counted(), first.runApproved(st, sql), "approved: it runs");
            assertEquals(c.write().rowsAfter(), count(raw, t));
            if (c.write().noteAfter() != null) {
                assertEquals(orders(30, c.write().noteAfter()), snapshot(raw, t));
            } else {
                exec(raw, "INSERT INTO " + t + " SELECT g.id, 'n', 's' FROM (" + ids() + ") g");
                assertEquals(orders(30, "n"), snapshot(raw, t), "the same 30 orders again");
            }
            assertEquals(Map.of(first.requestId(), "consumed"), DESK.requests(t), "its approval is used");

            List<String> before = snapshot(raw, t);
            long again = countInRolledBackTransaction(raw, sql);
            assertTrue(again > 10, "the same write over the same orders is over the limit again: " + again);
            Sent second = send(mode, st, sql, t, List.of(first.requestId()), pool);
            second.assertHeldFor(again);
            assertEquals(before, snapshot(raw, t), "held again: nothing of it remains");
            assertEquals(Map.of(first.requestId(), "consumed", second.requestId(), "pending"), DESK.requests(t),
                    "an approval runs once");
            assertMeasured(again, DESK.request(second.requestId()));
            switch (mode) {
                case FAIL -> {
                    // The application was told (ZG001); the request waits for approvers.
                }
                case WAIT -> {
                    assertEquals(200, DESK.deny(second.requestId()));
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> second.waiter().get(20, TimeUnit.SECONDS));
                    StatementDeniedException denied = assertInstanceOf(StatementDeniedException.class, e.getCause());
                    assertEquals("42501", denied.getSQLState());
                    assertEquals(List.of("orders-rows"), denied.ruleIds());
                    assertEquals(before, snapshot(raw, t), "denied: nothing of it remains");
                }
            }
        } finally {
            exec(raw, "DROP TABLE IF EXISTS " + t);
        }
    }

    /**
     * A held statement: its request, and in WAIT mode the waiter running it (FAIL mode: its ZG001 refusal).
     */
    private record Sent(String requestId, ReviewPendingException refused, Future<Integer> waiter) {
        /** What the application is told: ZG001 with the count at once, or its statement is still waiting. */
        void assertHeldFor(long rows) {
            if (refused != null) {
                assertEquals("ZG001", refused.getSQLState());
                assertTrue(refused.getMessage().contains("touches " + rows + " rows, over max_rows 10"),
                        refused.getMessage());
                assertEquals(DESK.baseUrl() + "/#" + requestId, refused.approvalUrl(), "the page on serve");
            } else {
                assertFalse(waiter.isDone(), "the statement waits for the decision");
            }
        }

        /** The run after approval: FAIL mode re-sends the identical write; WAIT mode's waiter runs it. */
        long runApproved(Statement st, String sql) throws Exception {
            return refused != null ? st.executeUpdate(sql) : waiter.get(20, TimeUnit.SECONDS);
        }
    }

    private static Sent send(Mode mode, Statement st, String sql, String t, List<String> earlier,
                             ExecutorService pool) throws Exception {
        return switch (mode) {
            case FAIL -> {
                ReviewPendingException e = assertThrows(ReviewPendingException.class, () -> st.executeUpdate(sql));
                yield new Sent(e.requestId(), e, null);
            }
            case WAIT -> {
                Future<Integer> waiter = pool.submit(() -> st.executeUpdate(sql));
                yield new Sent(awaitAnotherPending(t, earlier), null, waiter);
            }
        };
    }

    /** The 30 order ids as a derived table, for refilling an emptied table. */
    private static String ids() {
        StringBuilder b = new StringBuilder();
        for (int id = 1; id <= 30; id++) {
            b.append(id == 1 ? "" : " UNION ALL ").append("SELECT ").append(id).append(" AS id");
        }
        return b.toString();
    }

    /**
     * 3: approved at 30 rows, the count grew to 31 before the re-run: held again with 31 (the table as it was),
     * and only the second approval lets it run, once. FAIL mode re-sends by hand; WAIT mode's waiter re-runs.
     */
    @TestFactory
    Stream<DynamicTest> aCountThatGrewPastTheApprovedOneIsHeldAgain() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Db db : Db.values()) {
            for (Mode mode : Mode.values()) {
                tests.add(DynamicTest.dynamicTest(db + ", " + mode, () -> {
                    String t = newOrders(db.raw, "");
                    try {
                        switch (mode) {
                            case FAIL -> grewFailing(db, t);
                            case WAIT -> grewWaiting(db, t);
                        }
                    } finally {
                        exec(db.raw, "DROP TABLE IF EXISTS " + t);
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static void grewFailing(Db db, String t) throws Exception {
        String sql = "DELETE FROM " + t + " WHERE id IS NOT NULL";
        List<String> grown = new ArrayList<>(orders(30, "n"));
        grown.add("31:late");
        try (Connection g = DriverManager.getConnection(db.url(Mode.FAIL.option));
             Statement st = g.createStatement()) {
            ReviewPendingException first = assertThrows(ReviewPendingException.class, () -> st.executeUpdate(sql));
            assertMeasured(30, DESK.request(first.requestId()));
            assertEquals(200, DESK.approve(first.requestId()));
            exec(db.raw, "INSERT INTO " + t + " VALUES (31, 'late', 's')");

            ReviewPendingException second = assertThrows(ReviewPendingException.class, () -> st.executeUpdate(sql));
            assertEquals("ZG001", second.getSQLState());
            assertTrue(second.getMessage().contains("touches 31 rows, over max_rows 10"), second.getMessage());
            assertNotEquals(first.requestId(), second.requestId());
            assertEquals(grown, snapshot(db.raw, t), "31 rows were never approved: nothing of it remains");
            assertMeasured(31, DESK.request(second.requestId()));
            assertEquals(Map.of(first.requestId(), "approved", second.requestId(), "pending"), DESK.requests(t),
                    "the approval of 30 rows is not used for 31");

            assertEquals(200, DESK.approve(second.requestId()));
            assertEquals(31, st.executeUpdate(sql), "ran once within the approved count");
            assertEquals(0, count(db.raw, t));
            assertEquals(Map.of(first.requestId(), "approved", second.requestId(), "consumed"), DESK.requests(t));
        }
    }

    private static void grewWaiting(Db db, String t) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
             Connection g = DriverManager.getConnection(db.url(Mode.WAIT.option))) {
            Future<Integer> deleting = pool.submit(() -> {
                try (Statement st = g.createStatement()) {
                    return st.executeUpdate("DELETE FROM " + t + " WHERE id IS NOT NULL");
                }
            });
            String first = DESK.awaitPending(t);
            assertMeasured(30, DESK.request(first));
            assertEquals(orders(30, "n"), snapshot(db.raw, t), "held, undone");
            exec(db.raw, "INSERT INTO " + t + " VALUES (31, 'late', 's')");
            assertEquals(200, DESK.approve(first));

            String second = awaitAnotherPending(t, List.of(first));
            assertMeasured(31, DESK.request(second));
            assertEquals(31, count(db.raw, t), "31 rows were never approved: nothing of it remains");
            assertFalse(deleting.isDone(), "the waiter waits for the second request");
            assertEquals(200, DESK.approve(second));
            assertEquals(31, deleting.get(20, TimeUnit.SECONDS), "ran once within the approved count");
            assertEquals(0, count(db.raw, t));
            Map<String, String> states = DESK.requests(t);
            assertEquals(Set.of(first, second), states.keySet(), "two requests, no third");
            // The approved run is claimed by its count: the first approval (30) never stood, so it is unused.
            assertEquals("approved", states.get(first), "an approval whose run touched more is not consumed");
            assertEquals("consumed", states.get(second));
        }
    }

    /** 4: within max_rows it runs at once, counted as ever, and serve sees no request. */
    @TestFactory
    Stream<DynamicTest> aBoundedWriteRunsAtOnceWithoutARequest() {
        return Stream.of(Db.values()).map(db -> DynamicTest.dynamicTest(db.toString(), () -> {
            String t = newOrders(db.raw, "");
            try (Connection g = DriverManager.getConnection(db.url(Mode.FAIL.option));
                 Statement st = g.createStatement();
                 PreparedStatement ps = g.prepareStatement("UPDATE " + t + " SET note = ? WHERE id <= ?")) {
                assertEquals(5, st.executeUpdate("DELETE FROM " + t + " WHERE id <= 5"));
                assertEquals(25, count(db.raw, t));
                ps.setString(1, "ten");
                ps.setInt(2, 15);
                assertEquals(10, ps.executeUpdate(), "ten rows are within max_rows 10");
                assertEquals(10, noteCount(db.raw, t, "ten"));
                assertEquals(15, noteCount(db.raw, t, "n"));
                assertEquals(Map.of(), DESK.requests(t), "no request in any state");
            } finally {
                exec(db.raw, "DROP TABLE IF EXISTS " + t);
            }
        }));
    }

    /** The request as approvers read it shows {@code rows} counted, labelled as measured. */
    private static void assertMeasured(long rows, JsonNode request) {
        JsonNode impact = request.get("impact");
        assertTrue(impact != null && impact.isObject(), "the request shows an impact: " + request);
        assertEquals("measured", impact.get("basis").asText(), impact.toString());
        assertTrue(impact.get("rows").isIntegralNumber(), impact.toString());
        assertEquals(rows, impact.get("rows").asLong(), impact.toString());
        assertTrue(impact.get("summary").asText().startsWith(rows + " rows (measured"), impact.toString());
    }

    /** Waits (bounded) for a pending request for {@code fragment} other than the {@code earlier} ones. */
    private static String awaitAnotherPending(String fragment, List<String> earlier) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (String id : DESK.pending(fragment)) {
                if (!earlier.contains(id)) {
                    return id;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no new pending request for " + fragment);
    }
}
