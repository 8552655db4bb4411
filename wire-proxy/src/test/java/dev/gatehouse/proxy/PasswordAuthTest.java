package dev.gatehouse.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database's own authentication relayed through the proxy: SCRAM-SHA-256, md5 and cleartext password
 * against a real PostgreSQL whose pg_hba.conf demands them ({@link PrivatePostgres}).
 */
class PasswordAuthTest {
    static PrivatePostgres postgres;
    static ProxyServer proxy;
    static ProxyServer tlsProxy;
    static final TestGuard GUARD = new TestGuard();

    @BeforeAll
    static void start() throws Exception {
        postgres = new PrivatePostgres();
        proxy = new ProxyServer(new ProxyConfig(new InetSocketAddress("127.0.0.1", 0), postgres.address(), null,
                Limits.DEFAULTS, GUARD, null)).start();
        tlsProxy = new ProxyServer(new ProxyConfig(new InetSocketAddress("127.0.0.1", 0), postgres.address(),
                TestCertificates.selfSigned(postgres.dir), Limits.DEFAULTS, GUARD, null)).start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop();
        tlsProxy.stop();
        postgres.close();
    }

    record Case(String name, String user, String password) {
    }

    static List<Case> cases() {
        return List.of(new Case("SCRAM-SHA-256", "scram_user", "scram-secret"),
                new Case("md5", "md5_user", "md5-secret"),
                new Case("cleartext password", "clear_user", "clear-secret"));
    }

    static String whoAmI(int port, String sslmode, String user, String password) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=" + sslmode;
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @TestFactory
    Stream<DynamicTest> rightPasswordLogsIn() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name() + " with the right password",
                () -> assertEquals(c.user(), whoAmI(proxy.port(), "disable", c.user(), c.password()))));
    }

    @TestFactory
    Stream<DynamicTest> wrongPasswordIsTheServersRefusal() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name() + " with a wrong password", () -> {
            SQLException e = assertThrows(SQLException.class,
                    () -> whoAmI(proxy.port(), "disable", c.user(), "wrong"));
            assertEquals("28P01", e.getSQLState());
        }));
    }

    @TestFactory
    Stream<DynamicTest> overTlsToTheProxy() {
        // TLS ends at the proxy: a client must be offered plain SCRAM-SHA-256, never the -PLUS variant.
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name() + " over TLS",
                () -> assertEquals(c.user(), whoAmI(tlsProxy.port(), "require", c.user(), c.password()))));
    }

    @Test
    void psqlWithScram() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-h", "127.0.0.1", "-p", String.valueOf(proxy.port()),
                "-U", "scram_user", "-d", "postgres", "-c", "SELECT 'scram ok'").redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "scram-secret");
        pb.environment().put("PGSSLMODE", "disable");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("scram ok"), out);
    }

    @Test
    void psqlRequiringChannelBindingIsRefusedThroughTheProxy() throws Exception {
        // libpq's channel_binding=require needs SCRAM-SHA-256-PLUS, which a proxy that ends TLS must not offer.
        ProcessBuilder pb = new ProcessBuilder("psql", "-X", "host=127.0.0.1 port=" + tlsProxy.port()
                + " user=scram_user dbname=postgres sslmode=require channel_binding=require", "-c", "SELECT 1")
                .redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "scram-secret");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(2, p.waitFor(), out);
        assertTrue(out.contains("channel binding"), out);
    }
}
