package dev.gatehouse.proxy;

import dev.gatehouse.proxy.tls.TlsConfig;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** A proxy on a free port in front of the real PostgreSQL on 127.0.0.1:5432, with a {@link TestGuard}. */
final class ProxyFixture implements AutoCloseable {
    static final InetSocketAddress POSTGRES = new InetSocketAddress("127.0.0.1", 5432);

    final TestGuard guard = new TestGuard();
    final ProxyServer server;

    ProxyFixture() throws Exception {
        this(Limits.DEFAULTS, null);
    }

    ProxyFixture(Limits limits, TlsConfig tls) throws Exception {
        server = new ProxyServer(new ProxyConfig(new InetSocketAddress("127.0.0.1", 0), POSTGRES, tls, limits,
                guard, null)).start();
    }

    int port() {
        return server.port();
    }

    String url(String extra) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/test?sslmode=disable" + (extra.isEmpty() ? "" : "&" + extra);
    }

    Connection connect(String extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection(url(extra), p);
    }

    static Connection direct() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?sslmode=disable", p);
    }

    static void directly(String sql) throws SQLException {
        try (Connection c = direct(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
