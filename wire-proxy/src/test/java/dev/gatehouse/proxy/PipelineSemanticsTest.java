package dev.gatehouse.proxy;

import java.sql.SQLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same message sequences sent straight to PostgreSQL with a statement that fails there, and through the
 * proxy with a statement the guard denies in its place: the client must see the same sequence of messages
 * (types, SQLSTATE class aside, and transaction status), and the server must be left in the same state.
 */
class PipelineSemanticsTest {
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyFixture();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_pipe");
        ProxyFixture.directly("CREATE TABLE proxy_pipe (id int)");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        ProxyFixture.directly("DROP TABLE IF EXISTS proxy_pipe");
    }

    /** A named case: messages built around {@code bad}, a statement that fails directly or is denied. */
    record Case(String name, Function<String, List<byte[]>> messages, int readies) {
    }

    /** Fails on PostgreSQL itself (division by zero at execution). */
    static final String FAILS = "INSERT INTO proxy_pipe SELECT 1 / (random() * 0)::int"; // volatile: fails at Execute, not at Bind
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
                        RawClient.message('H', new byte[0]), RawClient.sync()), 1));
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

    static long rows() throws SQLException {
        return PgjdbcCount.rows("proxy_pipe");
    }
}
