package dev.gatehouse.proxy;

import java.sql.SQLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.gatehouse.enforce.checkpoint.Resolution;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same message sequences sent straight to PostgreSQL with a statement that fails there, and through the
 * proxy with a statement the guard denies in its place: the client must see the same sequence of messages
 * (types, SQLSTATE class aside, and transaction status), and the server must be left in the same state.
 * The statement that fails directly fails at Bind (the planner folds {@code 1 / 0}): the proxy puts a refusal
 * where the refused portal's Bind stood, since nothing from that Bind on reaches the server.
 *
 * <p>Then the side-effect cases: the planner runs immutable functions with constant arguments at Bind, so a
 * function that advances a sequence shows whether an undecided Bind ever reached the server.
 */
class PipelineSemanticsTest {
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyFixture();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_pipe");
        ProxyFixture.directly("CREATE TABLE proxy_pipe (id int)");
        ProxyFixture.directly("DROP SEQUENCE IF EXISTS proxy_side_seq CASCADE");
        ProxyFixture.directly("CREATE SEQUENCE proxy_side_seq");
        ProxyFixture.directly("CREATE OR REPLACE FUNCTION proxy_side(int) RETURNS int IMMUTABLE LANGUAGE plpgsql"
                + " AS $$ BEGIN PERFORM nextval('proxy_side_seq'); RETURN $1; END $$");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_pipe");
        ProxyFixture.directly("DROP FUNCTION IF EXISTS proxy_side(int)");
        ProxyFixture.directly("DROP SEQUENCE IF EXISTS proxy_side_seq");
    }

    /** A named case: messages built around {@code bad}, a statement that fails directly or is denied. */
    record Case(String name, Function<String, List<byte[]>> messages, int readies) {
    }

    /** Fails on PostgreSQL itself: division by zero when the planner folds the constant, at Bind. */
    static final String FAILS = "INSERT INTO proxy_pipe VALUES (1 / 0)";
    /** Denied by the test guard; would succeed on the server. */
    static final String DENIED = "INSERT INTO proxy_pipe VALUES (99) /* gh_deny */";

    static List<Case> cases() {
        return List.of(
                new Case("extended: allowed, refused, allowed in one pipeline, one Sync", bad -> List.of(
                        RawClient.parse("", "INSERT INTO proxy_pipe VALUES (1)"), RawClient.bind("", ""),
                        RawClient.execute(""),
                        RawClient.parse("", bad), RawClient.bind("", ""), RawClient.describePortal(""),
                        RawClient.execute(""),
                        RawClient.parse("", "INSERT INTO proxy_pipe VALUES (2)"), RawClient.bind("", ""),
                        RawClient.execute(""), RawClient.sync(),
                        RawClient.parse("", "SELECT count(*) FROM proxy_pipe"), RawClient.bind("", ""),
                        RawClient.execute(""), RawClient.sync()), 2),
                new Case("extended: refused in an explicit block, then COMMIT", bad -> List.of(
                        RawClient.query("BEGIN"),
                        RawClient.parse("", "INSERT INTO proxy_pipe VALUES (3)"), RawClient.bind("", ""),
                        RawClient.execute(""), RawClient.sync(),
                        RawClient.parse("s1", bad), RawClient.bind("p1", "s1"), RawClient.execute("p1"),
                        RawClient.sync(),
                        RawClient.query("SELECT 1"),
                        RawClient.query("COMMIT"),
                        RawClient.query("SELECT count(*) FROM proxy_pipe")), 6),
                new Case("simple: pipelined queries around a refused one", bad -> List.of(
                        RawClient.query("INSERT INTO proxy_pipe VALUES (4)"), RawClient.query(bad),
                        RawClient.query("SELECT count(*) FROM proxy_pipe")), 3),
                new Case("simple: refused inside a block, COMMIT rolls back", bad -> List.of(
                        RawClient.query("BEGIN; INSERT INTO proxy_pipe VALUES (5)"), RawClient.query(bad),
                        RawClient.query("COMMIT"), RawClient.query("SELECT count(*) FROM proxy_pipe")), 4),
                new Case("extended: refused statement with Sync after a Flush", bad -> List.of(
                        RawClient.parse("", bad), RawClient.bind("", ""), RawClient.execute(""),
                        RawClient.flush(), RawClient.sync()), 1),
                new Case("extended: Flush between Describe and Execute of a refused statement", bad -> List.of(
                        RawClient.parse("", "INSERT INTO proxy_pipe VALUES (6)"), RawClient.bind("", ""),
                        RawClient.execute(""),
                        RawClient.parse("s2", bad), RawClient.bind("p2", "s2"), RawClient.describePortal("p2"),
                        RawClient.flush(), RawClient.execute("p2"), RawClient.sync(),
                        RawClient.query("SELECT count(*) FROM proxy_pipe")), 2),
                new Case("extended: a Bind never executed is decided at Sync", bad -> List.of(
                        RawClient.parse("", bad), RawClient.bind("", ""), RawClient.sync()), 1));
    }

    @TestFactory
    Stream<DynamicTest> refusalsLookLikePostgresErrors() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            ProxyFixture.directly("TRUNCATE proxy_pipe");
            List<String> direct;
            try (RawClient client = RawClient.started(5432)) {
                client.send(c.messages().apply(FAILS).toArray(byte[][]::new));
                direct = client.untilReady(c.readies());
            }
            long directRows = rows();
            ProxyFixture.directly("TRUNCATE proxy_pipe");
            List<String> proxied;
            try (RawClient client = RawClient.started(proxy.port())) {
                client.send(c.messages().apply(DENIED).toArray(byte[][]::new));
                proxied = client.untilReady(c.readies());
            }
            assertEquals(direct.stream().map(m -> m.replace("E:22012", "E:refused")).toList(),
                    proxied.stream().map(m -> m.replace("E:42501", "E:refused")).toList());
            assertEquals(directRows, rows());
        }));
    }

    static final String SIDE = "SELECT proxy_side(7)";

    @Test
    void bindReachesTheServerDirectly() throws Exception {
        // The probe itself: straight to PostgreSQL, a Bind answered at a Flush has run the function.
        long before = sideEffects();
        try (RawClient client = RawClient.started(5432)) {
            client.send(RawClient.parse("", SIDE), RawClient.bind("", ""), RawClient.describePortal(""),
                    RawClient.flush());
            assertEquals(List.of("1", "2", "T"), List.of(client.next(), client.next(), client.next()));
            assertEquals(before + 1, sideEffects());
            client.send(RawClient.sync());
            assertEquals(List.of("Z:I"), client.untilReady(1));
        }
    }

    @Test
    void deniedBindNeverReachesTheServerOnFlush() throws Exception {
        long before = sideEffects();
        try (RawClient client = RawClient.started(proxy.port())) {
            client.send(RawClient.parse("", SIDE + " /* gh_deny */"), RawClient.bind("", ""),
                    RawClient.describePortal(""), RawClient.flush());
            // Answered at the Flush, before any Execute: the refusal stands where the Bind was.
            assertEquals(List.of("1", "E:42501"), List.of(client.next(), client.next()));
            client.send(RawClient.execute(""), RawClient.sync());
            assertEquals(List.of("Z:I"), client.untilReady(1));
        }
        assertEquals(before, sideEffects());
    }

    @Test
    void heldBindReachesTheServerOnlyWhenApproved() throws Exception {
        long before = sideEffects();
        try (RawClient client = RawClient.started(proxy.port())) {
            client.send(RawClient.parse("", SIDE + " /* gh_review */"), RawClient.bind("", ""),
                    RawClient.describePortal(""), RawClient.flush());
            assertEquals("N", client.next()); // held: the notice names the request
            TestHold hold = proxy.guard.holds.poll(20, TimeUnit.SECONDS);
            assertNotNull(hold);
            assertTrue(hold.awaitWaiter(java.time.Duration.ofSeconds(20)));
            assertEquals(before, sideEffects(), "nothing of the held portal reached the server");
            hold.resolve(new Resolution.Approved());
            assertEquals(List.of("1", "2", "T"), List.of(client.next(), client.next(), client.next()));
            assertEquals(before + 1, sideEffects());
            client.send(RawClient.execute(""), RawClient.sync());
            assertEquals(List.of("D", "C", "Z:I"), client.untilReady(1));
        }
        assertEquals(before + 1, sideEffects(), "decided once at the Flush, not again at the Execute");
    }

    /** How often the function ran on the server, read on a direct connection. */
    static long sideEffects() throws SQLException {
        try (Connection c = ProxyFixture.direct(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM proxy_side_seq")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long rows() throws SQLException {
        return PgjdbcCount.rows("proxy_pipe");
    }
}
