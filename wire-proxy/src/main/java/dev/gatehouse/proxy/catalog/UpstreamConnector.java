package dev.gatehouse.proxy.catalog;

import dev.gatehouse.enforce.catalog.UpstreamCatalogs;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens the proxy's own connection to one database of the upstream server, for its catalog: with pgjdbc, as the
 * catalog user (never the client's), every wait bounded (connect, login, each query), and named
 * {@code gatehouse-catalog} in {@code pg_stat_activity}. The password is held only here, and never put in a
 * message or a log ({@link #toString()} leaves it out).
 *
 * <p>Threads: any; immutable.
 */
public final class UpstreamConnector implements UpstreamCatalogs.DatabaseConnector {
    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

    private final InetSocketAddress upstream;
    private final String user;
    private final String password;
    private final String timeoutSeconds;

    /**
     * @param user     the catalog user, or null for pgjdbc's default (the operating-system user)
     * @param password its password, or null for none
     * @param timeout  the bound for connecting, signing in and each query (whole seconds, at least one)
     */
    public UpstreamConnector(InetSocketAddress upstream, String user, String password, Duration timeout) {
        this.upstream = upstream;
        this.user = user;
        this.password = password;
        this.timeoutSeconds = String.valueOf(Math.max(1, (timeout.toMillis() + 999) / 1000));
    }

    @Override
    public Connection open(String database) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", timeoutSeconds);
        p.setProperty("loginTimeout", timeoutSeconds);
        p.setProperty("socketTimeout", timeoutSeconds);
        p.setProperty("ApplicationName", "gatehouse-catalog");
        p.setProperty("tcpKeepAlive", "true");
        String url = "jdbc:postgresql://" + host() + ":" + upstream.getPort() + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        Connection c = DRIVER.connect(url, p);
        if (c == null) {
            throw new SQLException("pgjdbc did not accept the catalog connection's URL", "08001");
        }
        return c;
    }

    /** An IPv6 literal in brackets, as a JDBC URL wants it. */
    private String host() {
        String h = upstream.getHostString();
        return h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    @Override
    public String toString() {
        return "UpstreamConnector[" + upstream.getHostString() + ":" + upstream.getPort() + " as "
                + (user == null ? "the default user" : user) + "]";
    }
}
