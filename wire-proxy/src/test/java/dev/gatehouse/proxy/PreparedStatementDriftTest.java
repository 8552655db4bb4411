package dev.gatehouse.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The statement the guard decides an {@code EXECUTE name} or a Bind with must be the one the server runs. Each
 * case first makes the server hold a harmless body under a name, then swaps in a {@code DELETE} by a path the
 * proxy once missed (protocol Close of a SQL-level statement, DEALLOCATE and PREPARE in a group that fails, names
 * that differ only in a non-ASCII letter's case, a swap after the EXECUTE in the same text), and runs the name:
 * the guard must see the DELETE (the test guard denies its body), and the table keeps its row.
 */
class PreparedStatementDriftTest {
    static final String TABLE = "proxy_drift";
    static final String DELETE = "DELETE FROM " + TABLE + " /* " + TestGuard.BODY_DENY + " */";
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyFixture();
        ProxyFixture.directly("DROP TABLE IF EXISTS " + TABLE);
        ProxyFixture.directly("CREATE TABLE " + TABLE + " (id int)");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        ProxyFixture.directly("DROP TABLE IF EXISTS " + TABLE);
    }

    @BeforeEach
    void clean() throws Exception {
        ProxyFixture.directly("TRUNCATE " + TABLE);
        ProxyFixture.directly("INSERT INTO " + TABLE + " VALUES (1)");
        proxy.guard.seen.clear();
    }

    private static List<String> lastBodies() {
        return proxy.guard.seen.get(proxy.guard.seen.size() - 1).preparedBodies();
    }

    private static void send(RawClient c, List<String> expected, byte[]... messages) throws Exception {
        c.send(messages);
        assertEquals(expected, c.untilReady(1));
    }

    @Test
    void protocolCloseDropsASqlLevelStatement() throws Exception {
        try (RawClient c = RawClient.started(proxy.port())) {
            send(c, List.of("C", "Z:I"), RawClient.query("PREPARE p AS SELECT 1"));
            // One namespace on the server: the protocol's Close deallocates the SQL-level statement.
            send(c, List.of("3", "Z:I"), RawClient.close('S', "p"), RawClient.sync());
            send(c, List.of("1", "Z:I"), RawClient.parse("p", DELETE), RawClient.sync());
            send(c, List.of("E:42501", "Z:I"), RawClient.query("EXECUTE p"));
            assertEquals(List.of(DELETE), lastBodies(), "decided on the body the server holds");
        }
        assertEquals(1, PgjdbcCount.rows(TABLE));
    }

    @Test
    void deallocateInAFailedGroupStillDeallocates() throws Exception {
        try (RawClient c = RawClient.started(proxy.port())) {
            send(c, List.of("C", "Z:I"), RawClient.query("PREPARE p AS SELECT 1"));
            // DEALLOCATE and PREPARE are not transactional: the error and the ROLLBACK undo neither.
            send(c, List.of("C", "C", "C", "E:22012", "Z:E"),
                    RawClient.query("BEGIN; DEALLOCATE p; PREPARE p AS " + DELETE + "; SELECT 1/0"));
            send(c, List.of("C", "Z:I"), RawClient.query("ROLLBACK"));
            send(c, List.of("E:42501", "Z:I"), RawClient.query("EXECUTE p"));
            assertEquals(List.of(DELETE), lastBodies());
        }
        assertEquals(1, PgjdbcCount.rows(TABLE));
    }

    @Test
    void prepareInARolledBackBlockIsKept() throws Exception {
        try (RawClient c = RawClient.started(proxy.port())) {
            send(c, List.of("C", "C", "E:22012", "Z:E"),
                    RawClient.query("BEGIN; PREPARE q AS SELECT 42; SELECT 1/0"));
            send(c, List.of("C", "Z:I"), RawClient.query("ROLLBACK"));
            // PostgreSQL 15 keeps q; the proxy must know its body rather than refuse it as unknown.
            send(c, List.of("T", "D", "C", "Z:I"), RawClient.query("EXECUTE q"));
            assertEquals(List.of("SELECT 42"), lastBodies());
        }
    }

    @Test
    void deallocateInAPipelineThatFailsLater() throws Exception {
        try (RawClient c = RawClient.started(proxy.port())) {
            send(c, List.of("C", "Z:I"), RawClient.query("PREPARE p AS SELECT 1"));
            // The planner folds 1/0 at Bind: ParseComplete, then the error.
            send(c, List.of("1", "2", "C", "1", "2", "C", "1", "E:22012", "Z:I"),
                    RawClient.parse("", "DEALLOCATE p"), RawClient.bind("", ""), RawClient.execute(""),
                    RawClient.parse("", "PREPARE p AS " + DELETE), RawClient.bind("", ""), RawClient.execute(""),
                    RawClient.parse("", "SELECT 1/0"), RawClient.bind("", ""), RawClient.execute(""),
                    RawClient.sync());
            send(c, List.of("E:42501", "Z:I"), RawClient.query("EXECUTE p"));
            assertEquals(List.of(DELETE), lastBodies());
        }
        assertEquals(1, PgjdbcCount.rows(TABLE));
    }

    @Test
    void namesDifferingInANonAsciiLettersCaseAreTwoStatements() throws Exception {
        try (RawClient c = RawClient.started(proxy.port())) {
            // PostgreSQL folds only ASCII letters of unquoted names: Ä and ä are two statements.
            send(c, List.of("C", "Z:I"), RawClient.query("PREPARE Ä AS " + DELETE));
            send(c, List.of("C", "Z:I"), RawClient.query("PREPARE ä AS SELECT 1"));
            send(c, List.of("E:42501", "Z:I"), RawClient.query("EXECUTE Ä"));
            assertEquals(List.of(DELETE), lastBodies());
            send(c, List.of("T", "D", "C", "Z:I"), RawClient.query("EXECUTE ä"));
            assertEquals(List.of("SELECT 1"), lastBodies());
            // ASCII letters fold unless quoted.
            send(c, List.of("C", "Z:I"), RawClient.query("PREPARE \"AB\" AS " + DELETE));
            send(c, List.of("C", "Z:I"), RawClient.query("PREPARE AB AS SELECT 2"));
            send(c, List.of("E:42501", "Z:I"), RawClient.query("EXECUTE \"AB\""));
            send(c, List.of("T", "D", "C", "Z:I"), RawClient.query("EXECUTE \"ab\""));
            assertEquals(List.of("SELECT 2"), lastBodies());
        }
        assertEquals(1, PgjdbcCount.rows(TABLE));
    }

    @Test
    void aSwapAfterTheExecuteInTheSameTextIsNotTakenForItsBody() throws Exception {
        try (RawClient c = RawClient.started(proxy.port())) {
            send(c, List.of("C", "Z:I"), RawClient.query("PREPARE p AS " + DELETE));
            // The EXECUTE runs the DELETE; the PREPARE after it must not stand in for it.
            send(c, List.of("E:42501", "Z:I"),
                    RawClient.query("EXECUTE p; DEALLOCATE p; PREPARE p AS SELECT 1"));
        }
        assertEquals(1, PgjdbcCount.rows(TABLE));
    }

    @Test
    void aSqlLevelStatementCanBeBoundThroughTheProtocol() throws Exception {
        try (RawClient c = RawClient.started(proxy.port())) {
            // One namespace: a Bind may name a statement PREPAREd in SQL, and is decided on its body.
            send(c, List.of("C", "Z:I"), RawClient.query("PREPARE s AS SELECT 7"));
            send(c, List.of("2", "D", "C", "Z:I"), RawClient.bind("", "s"), RawClient.execute(""),
                    RawClient.sync());
            assertEquals("SELECT 7", proxy.guard.seen.get(proxy.guard.seen.size() - 1).sql());
        }
    }
}
