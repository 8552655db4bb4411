package dev.gatehouse.jdbc;

import dev.gatehouse.policy.ReviewSpec.HoldMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Held statements: WAIT blocks the caller until an approver decides (from another thread), bounded by
 * setQueryTimeout and gatehouse.max-wait and ended by cancel(); FAIL raises at once and the identical
 * statement runs once after approval.
 */
class ReviewHoldTest {
    private static final Duration SOON = Duration.ofSeconds(10);

    private static String setUp(String base) throws SQLException {
        return Databases.newTable(base, "gh_review");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void waitIsReleasedByAnApprovalFromAnotherThreadAndRunsOnce(String base) throws Exception {
        String table = setUp(base);
        Scenario s = new Scenario().review("held_marker", "hold-it", HoldMode.WAIT);
        try (Connection c = DriverManager.getConnection(s.url(base))) {
            PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?) /* held_marker */");
            ps.setInt(1, 42);
            CompletableFuture<Integer> run = runOnVirtualThread(ps::executeUpdate);
            Scenario.Request request = s.awaitRequest(SOON);
            assertEquals(java.util.List.of(42), request.execution.parameters());
            assertFalse(run.isDone(), "the statement waits for the approval");
            assertEquals(0, Databases.count(base, table));
            request.approve();
            assertEquals(1, run.get(10, TimeUnit.SECONDS));
            assertEquals(1, Databases.count(base, table));
            assertEquals(Scenario.State.CONSUMED, request.state());
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void anApproverDenialEndsTheWaitWith42501(String base) throws Exception {
        String table = setUp(base);
        Scenario s = new Scenario().review("held_marker", "hold-it", HoldMode.WAIT);
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            CompletableFuture<Integer> run = runOnVirtualThread(
                    () -> st.executeUpdate("INSERT INTO " + table + " VALUES (1) /* held_marker */"));
            s.awaitRequest(SOON).deny();
            SQLException e = cause(run);
            assertEquals("42501", e.getSQLState());
            assertTrue(e.getMessage().contains("an approver said no"), e.getMessage());
            assertEquals(0, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void anExpiredRequestNeverRuns(String base) throws Exception {
        String table = setUp(base);
        Scenario s = new Scenario().review("held_marker", "hold-it", HoldMode.WAIT);
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            CompletableFuture<Integer> run = runOnVirtualThread(
                    () -> st.executeUpdate("INSERT INTO " + table + " VALUES (1) /* held_marker */"));
            s.awaitRequest(SOON).expire();
            assertEquals(GatehouseSqlState.REVIEW_EXPIRED, cause(run).getSQLState());
            assertEquals(0, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void setQueryTimeoutBoundsTheWaitAndWithdrawsTheRequest(String base) throws Exception {
        String table = setUp(base);
        Scenario s = new Scenario().review("held_marker", "hold-it", HoldMode.WAIT);
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            st.setQueryTimeout(1);
            long start = System.nanoTime();
            SQLException e = assertThrows(SQLTimeoutException.class,
                    () -> st.executeUpdate("INSERT INTO " + table + " VALUES (1) /* held_marker */"));
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMs >= 900 && waitedMs < 8000, "waited " + waitedMs + " ms");
            assertEquals(base.startsWith("postgresql") ? "57014" : "70100", e.getSQLState());
            assertEquals(Scenario.State.WITHDRAWN, s.requests.getFirst().state());
            assertEquals(0, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void maxWaitBoundsTheWaitWithoutAQueryTimeout(String base) throws Exception {
        String table = setUp(base);
        Scenario s = new Scenario().review("held_marker", "hold-it", HoldMode.WAIT);
        try (Connection c = DriverManager.getConnection(s.url(base) + "&gatehouse.max-wait=PT0.5S");
             Statement st = c.createStatement()) {
            assertThrows(SQLTimeoutException.class,
                    () -> st.executeUpdate("INSERT INTO " + table + " VALUES (1) /* held_marker */"));
            assertEquals(Scenario.State.WITHDRAWN, s.requests.getFirst().state());
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void cancelFromAnotherThreadEndsTheWaitAndWithdrawsTheRequest(String base) throws Exception {
        String table = setUp(base);
        Scenario s = new Scenario().review("held_marker", "hold-it", HoldMode.WAIT);
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            Thread[] waiter = new Thread[1];
            CompletableFuture<Integer> run = runOnVirtualThread(() -> {
                waiter[0] = Thread.currentThread();
                return st.executeUpdate("INSERT INTO " + table + " VALUES (1) /* held_marker */");
            });
            Scenario.Request request = s.awaitRequest(SOON);
            st.cancel();
            SQLException e = cause(run);
            assertEquals(base.startsWith("postgresql") ? "57014" : "70100", e.getSQLState());
            assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
            assertEquals(Scenario.State.WITHDRAWN, request.state());
            assertTrue(request.withdrawals >= 1);
            assertFalse(waiter[0].isInterrupted(), "no stray interrupt is left on the application's thread");
            assertEquals(0, Databases.count(base, table));
            // The statement is usable afterwards.
            assertEquals(1, st.executeUpdate("INSERT INTO " + table + " VALUES (2)"));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void anApplicationInterruptEndsTheWaitAndKeepsTheInterrupt(String base) throws Exception {
        String table = setUp(base);
        Scenario s = new Scenario().review("held_marker", "hold-it", HoldMode.WAIT);
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            // Inside a transaction, so the PostgreSQL abort talks to the server on the interrupted thread's behalf.
            c.setAutoCommit(false);
            CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    st.executeUpdate("INSERT INTO " + table + " VALUES (1) /* held_marker */");
                    interruptKept.completeExceptionally(new AssertionError("ran"));
                } catch (SQLException e) {
                    interruptKept.complete(Thread.currentThread().isInterrupted());
                }
            });
            Scenario.Request request = s.awaitRequest(SOON);
            waiter.interrupt();
            assertTrue(interruptKept.get(10, TimeUnit.SECONDS), "the application's interrupt is given back");
            assertEquals(Scenario.State.WITHDRAWN, request.state());
            c.rollback();
            assertEquals(1, st.executeUpdate("INSERT INTO " + table + " VALUES (2)"), "the connection survived");
            c.commit();
            assertEquals(1, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void failModeRaisesAtOnceAndTheIdenticalRetryRunsOnceAfterApproval(String base) throws Exception {
        String table = setUp(base);
        Scenario s = new Scenario().review("held_marker", "hold-it", HoldMode.FAIL);
        String sql = "INSERT INTO " + table + " VALUES (1) /* held_marker */";
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            ReviewPendingException first = assertThrows(ReviewPendingException.class, () -> st.executeUpdate(sql));
            assertEquals(GatehouseSqlState.REVIEW_PENDING, first.getSQLState());
            Scenario.Request request = s.requests.getFirst();
            assertEquals(request.id, first.requestId());
            assertTrue(first.getMessage().contains(request.id) && first.getMessage().contains(first.approvalUrl()),
                    first.getMessage());
            assertTrue(first.getMessage().contains("hold-it"));

            // Still pending: the identical retry joins the same request and fails again.
            ReviewPendingException again = assertThrows(ReviewPendingException.class, () -> st.executeUpdate(sql));
            assertEquals(request.id, again.requestId());
            assertEquals(1, s.requests.size());

            request.approve();
            assertEquals(1, st.executeUpdate(sql));
            assertEquals(1, Databases.count(base, table));

            // The approval was for one run: the next identical statement is held again.
            ReviewPendingException third = assertThrows(ReviewPendingException.class, () -> st.executeUpdate(sql));
            assertFalse(third.requestId().equals(request.id));
            assertEquals(1, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void theConnectionSettingOverridesTheRulesHoldMode(String base) throws Exception {
        String table = setUp(base);
        Scenario s = new Scenario().review("held_marker", "hold-it", HoldMode.WAIT);
        try (Connection c = DriverManager.getConnection(s.url(base) + "&gatehouse.review=fail");
             Statement st = c.createStatement()) {
            assertThrows(ReviewPendingException.class,
                    () -> st.executeUpdate("INSERT INTO " + table + " VALUES (1) /* held_marker */"));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void aBatchWaitsForEveryHeldElementBeforeAnyRuns(String base) throws Exception {
        String table = setUp(base);
        Scenario s = new Scenario().review("held_marker", "hold-it", HoldMode.WAIT);
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            st.addBatch("INSERT INTO " + table + " VALUES (1)");
            st.addBatch("INSERT INTO " + table + " VALUES (2) /* held_marker */");
            CompletableFuture<int[]> run = runOnVirtualThread(st::executeBatch);
            Scenario.Request request = s.awaitRequest(SOON);
            Thread.sleep(100);
            assertEquals(0, Databases.count(base, table), "nothing of the batch runs while one element is held");
            request.approve();
            assertEquals(2, run.get(10, TimeUnit.SECONDS).length);
            assertEquals(2, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG})
    void aTimedOutHoldInsideAPostgresTransactionAbortsIt(String base) throws Exception {
        String table = setUp(base);
        Scenario s = new Scenario().review("held_marker", "hold-it", HoldMode.WAIT);
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.executeUpdate("INSERT INTO " + table + " VALUES (1)");
            st.setQueryTimeout(1);
            assertThrows(SQLTimeoutException.class,
                    () -> st.executeUpdate("INSERT INTO " + table + " VALUES (2) /* held_marker */"));
            assertEquals("25P02", assertThrows(SQLException.class, () -> st.execute("SELECT 1")).getSQLState());
            c.rollback();
            assertEquals(0, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    interface SqlCall<T> {
        T call() throws SQLException;
    }

    private static <T> CompletableFuture<T> runOnVirtualThread(SqlCall<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(call.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private static SQLException cause(CompletableFuture<?> run) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(SQLException.class, e.getCause());
    }
}
