package dev.gatehouse.jdbc;

import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.enforce.guard.Origin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batches decided whole before anything runs; prepared statements decided with their bound values. */
class BatchAndPreparedTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void aDeniedStatementInAPlainBatchMeansNothingOfTheBatchRan(String base) throws SQLException {
        String table = Databases.uniqueTable("gh_batch");
        Scenario s = new Scenario().deny("batch_forbidden", "no-batch");
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (id int)");
            st.addBatch("INSERT INTO " + table + " VALUES (1)");
            st.addBatch("INSERT INTO " + table + " VALUES (2)");
            st.addBatch("INSERT INTO " + table + " VALUES (3) /* batch_forbidden */");
            BatchUpdateException e = assertThrows(BatchUpdateException.class, st::executeBatch);
            assertEquals("42501", e.getSQLState());
            assertEquals(0, e.getLargeUpdateCounts().length);
            assertEquals(0, Databases.count(base, table), "checked over a second, plain connection");
            assertEquals(3, s.checked.stream().filter(Execution::inBatch).count());

            // The refused batch was emptied, as a failed batch is; a new one runs.
            st.addBatch("INSERT INTO " + table + " VALUES (4)");
            st.addBatch("INSERT INTO " + table + " VALUES (5)");
            assertArrayEquals(new long[] {1, 1}, st.executeLargeBatch());
            assertEquals(2, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void preparedBatchesAreDecidedPerParameterSetBeforeAnyRuns(String base) throws SQLException {
        String table = Databases.uniqueTable("gh_pbatch");
        // The marker is in a bound value: only the parameters can tell this set apart.
        Scenario s = new Scenario();
        Databases.exec(base, "CREATE TABLE " + table + " (id int, note varchar(40))");
        try (Connection c = DriverManager.getConnection(s.url(base));
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            assertEquals(1, s.prepared.size());
            assertEquals(Origin.PREPARE_STATEMENT, s.prepared.peek().origin());
            for (int i = 1; i <= 3; i++) {
                ps.setInt(1, i);
                ps.setString(2, "note " + i);
                ps.addBatch();
            }
            assertArrayEquals(new int[] {1, 1, 1}, normalise(ps.executeBatch()));
            List<List<Object>> seen = new ArrayList<>();
            for (Execution e : s.checked) {
                assertTrue(e.inBatch());
                assertEquals(Origin.EXECUTE_BATCH, e.origin());
                seen.add(List.copyOf(e.parameters()));
            }
            assertEquals(List.of(List.of(1, "note 1"), List.of(2, "note 2"), List.of(3, "note 3")), seen);
            assertEquals(3, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    /** Connector/J reports SUCCESS_NO_INFO for rewritten batches on some servers; the rows are counted apart. */
    private static int[] normalise(int[] counts) {
        int[] n = Arrays.copyOf(counts, counts.length);
        for (int i = 0; i < n.length; i++) {
            if (n[i] == Statement.SUCCESS_NO_INFO) {
                n[i] = 1;
            }
        }
        return n;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void aBatchWithOneHeldElementInFailModeRunsNothing(String base) throws SQLException {
        String table = Databases.newTable(base, "gh_pbatch2");
        Scenario s = new Scenario().review("DELETE", "deletes-held", dev.gatehouse.policy.ReviewSpec.HoldMode.FAIL);
        try (Connection c = DriverManager.getConnection(s.url(base)); Statement st = c.createStatement()) {
            st.addBatch("INSERT INTO " + table + " VALUES (1)");
            st.addBatch("DELETE FROM " + table);
            BatchUpdateException e = assertThrows(BatchUpdateException.class, st::executeBatch);
            assertEquals(GatehouseSqlState.REVIEW_PENDING, e.getSQLState());
            assertInstanceOf(ReviewPendingException.class, e.getCause());
            assertEquals(0, Databases.count(base, table));
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void boundValuesReachTheGuardAndADeniedValueNeverRuns(String base) throws SQLException {
        String table = Databases.uniqueTable("gh_param");
        Scenario s = new Scenario();
        Databases.exec(base, "CREATE TABLE " + table + " (id int, note varchar(40), b varbinary(10))"
                    .replace("varbinary(10)", base.startsWith("postgresql") ? "bytea" : "varbinary(10)"));
        try (Connection c = DriverManager.getConnection(s.url(base));
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
            ps.setInt(1, 7);
            ps.setString(2, "seven");
            ps.setBinaryStream(3, new ByteArrayInputStream(new byte[] {1, 2}), 2);
            assertEquals(1, ps.executeUpdate());
            Execution e = s.checked.poll();
            assertEquals(Origin.EXECUTE_UPDATE, e.origin());
            assertEquals(7, e.parameters().get(0));
            assertEquals("seven", e.parameters().get(1));
            assertEquals(new Execution.UnreadableParameter("InputStream", 2), e.parameters().get(2));

            ps.clearParameters();
            ps.setInt(1, 8);
            ps.setNull(2, java.sql.Types.VARCHAR);
            ps.setNull(3, java.sql.Types.BINARY);
            ps.executeUpdate();
            e = s.checked.poll();
            assertEquals(Arrays.asList(8, null, null), e.parameters());
        } finally {
            Databases.drop(base, table);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Databases.PG, Databases.MARIADB})
    void aDenialAtPrepareTimeCreatesNoStatement(String base) throws SQLException {
        Scenario s = new Scenario().denyAtPrepare("prep_forbidden", "no-prep");
        try (Connection c = DriverManager.getConnection(s.url(base))) {
            SQLException e = assertThrows(SQLException.class, () -> c.prepareStatement("SELECT 1 /* prep_forbidden */"));
            assertEquals("42501", e.getSQLState());
            e = assertThrows(SQLException.class, () -> c.prepareCall("SELECT 1 /* prep_forbidden */"));
            assertEquals("42501", e.getSQLState());
            e = assertThrows(SQLException.class, () -> c.nativeSQL("SELECT 1 /* prep_forbidden */"));
            assertEquals("42501", e.getSQLState());
            assertEquals(3, s.prepared.size());
            assertTrue(s.checked.isEmpty());
        }
    }
}
