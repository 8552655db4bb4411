package dev.gatehouse.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input and limits: each case closes only the offending connection; a bystander keeps working. */
class MalformedFrameTest {
    static final int MAX_MESSAGE = 64 * 1024;
    static ProxyFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = new ProxyFixture(Limits.DEFAULTS.withMaxMessageSize(MAX_MESSAGE)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)), null);
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    /** A named bad input; {@code startedFirst} sends it after a successful startup. */
    record Case(String name, boolean startedFirst, byte[] bytes) {
    }

    static byte[] header(char type, int length) {
        return new byte[]{(byte) type, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                (byte) length};
    }

    static byte[] untyped(int length, int code) {
        return new byte[]{(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length,
                (byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code};
    }

    static List<Case> cases() {
        return List.of(
                new Case("garbage instead of a startup packet", false,
                        "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                new Case("startup length below the minimum", false, untyped(4, 196608)),
                new Case("startup length above 10000", false, untyped(1_000_000, 196608)),
                new Case("unsupported protocol version 2.0", false, untyped(8, 0x00020000)),
                new Case("startup without a user", false, new byte[]{0, 0, 0, 9, 0, 3, 0, 0, 0}),
                new Case("message length below 4", true, header('Q', 2)),
                new Case("negative message length", true, header('Q', -5)),
                new Case("message larger than the limit", true, header('Q', MAX_MESSAGE + 100)),
                new Case("unknown message type", true, RawClient.message('y', new byte[3])),
                new Case("query string without its terminator", true, RawClient.message('Q', new byte[]{'S', 'E'})),
                new Case("bind with a lying value length", true, RawClient.message('B',
                        new byte[]{0, 0, 0, 0, 0, 1, 0x7f, 0, 0, 0})),
                new Case("password message after authentication", true, RawClient.message('p', new byte[]{'x', 0})));
    }

    @TestFactory
    Stream<DynamicTest> badInputClosesOnlyThatConnection() throws Exception {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            try (Connection bystander = proxy.connect("")) {
                assertWorks(bystander);
                try (RawClient bad = c.startedFirst() ? RawClient.started(proxy.port()) : new RawClient(proxy.port())) {
                    bad.send(c.bytes());
                    List<String> answer = readToEnd(bad);
                    assertTrue(answer.isEmpty() || answer.equals(List.of("E:08P01")), String.valueOf(answer));
                    if (c.startedFirst()) {
                        assertEquals(List.of("E:08P01"), answer, "a started session is told why");
                    }
                }
                assertWorks(bystander);
            }
        }));
    }

    /** Reads messages until the proxy closes the connection. */
    static List<String> readToEnd(RawClient c) throws IOException {
        List<String> got = new ArrayList<>();
        while (true) {
            try {
                got.add(c.next());
            } catch (EOFException | SocketException e) {
                return got;
            }
        }
    }

    static void assertWorks(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
            rs.next();
            assertEquals(42, rs.getInt(1));
        }
    }

    @Test
    void silentClientIsClosedAfterTheStartupTimeout() throws Exception {
        try (RawClient silent = new RawClient(proxy.port())) {
            long start = System.nanoTime();
            assertTrue(readToEnd(silent).size() <= 1);
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        }
    }

    @Test
    void idleSessionIsClosedButABusyOneIsNot() throws Exception {
        try (ProxyFixture quick = new ProxyFixture(Limits.DEFAULTS.withTimeouts(Duration.ofSeconds(1),
                Duration.ofSeconds(1)), null);
             RawClient idle = RawClient.started(quick.port()); Connection busy = quick.connect("");
             Statement s = busy.createStatement()) {
            s.execute("SELECT pg_sleep(3)"); // longer than the idle timeout, but the session is not idle
            List<String> got = readToEnd(idle);
            assertEquals(List.of("E:57P05"), got);
            assertWorks(busy);
        }
    }

    @Test
    void messageCutOffByATimeoutIsAProtocolError() throws Exception {
        try (ProxyFixture quick = new ProxyFixture(Limits.DEFAULTS.withTimeouts(Duration.ofSeconds(1),
                Duration.ofSeconds(1)), null);
             RawClient slow = RawClient.started(quick.port())) {
            slow.send(header('Q', 100), new byte[]{'S', 'E', 'L'});
            assertEquals(List.of("E:08P01"), readToEnd(slow));
        }
    }

    @Test
    void connectionsOverTheLimitAreRefused() throws Exception {
        try (ProxyFixture small = new ProxyFixture(Limits.DEFAULTS.withMaxConnections(2), null);
             Connection a = small.connect(""); Connection b = small.connect("")) {
            SQLException e = assertThrows(SQLException.class, () -> small.connect("").close());
            assertEquals("53300", e.getSQLState());
            assertWorks(a);
            assertWorks(b);
        }
    }
}
