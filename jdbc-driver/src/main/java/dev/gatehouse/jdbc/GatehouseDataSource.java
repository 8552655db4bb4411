package dev.gatehouse.jdbc;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A {@link DataSource} over {@link GatehouseDriver}, for pools (HikariCP's {@code dataSourceClassName} or
 * {@code setDataSource}) and tools that want one. Bean-style setters; {@code gatehouse.*} settings go in the
 * URL or through {@link #setProperty}.
 *
 * <p>Threads: configure on one thread, then {@link #getConnection()} from any.
 */
public final class GatehouseDataSource implements DataSource {
    private final GatehouseDriver driver = new GatehouseDriver();
    private volatile String url;
    private final Properties properties = new Properties();
    private volatile int loginTimeout;
    private volatile PrintWriter logWriter;

    public void setUrl(String url) {
        if (!ConnectionUrl.accepts(url)) {
            throw new IllegalArgumentException("not a Gatehouse URL (expected " + ConnectionUrl.PREFIX + "...)");
        }
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    public void setUser(String user) {
        properties.setProperty("user", user);
    }

    public void setPassword(String password) {
        properties.setProperty("password", password);
    }

    /** Any real-driver property or {@code gatehouse.*} setting. */
    public void setProperty(String name, String value) {
        properties.setProperty(name, value);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect((Properties) properties.clone());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties p = (Properties) properties.clone();
        p.setProperty("user", username);
        p.setProperty("password", password);
        return connect(p);
    }

    private Connection connect(Properties p) throws SQLException {
        if (url == null) {
            throw new SQLException("gatehouse: the data source has no URL", GatehouseSqlState.BAD_SETTING);
        }
        if (loginTimeout > 0 && !p.containsKey("loginTimeout") && !p.containsKey("connectTimeout")) {
            p.setProperty("loginTimeout", Integer.toString(loginTimeout));
        }
        return driver.connect(url, p);
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return driver.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("gatehouse: the data source wraps nothing but itself", GatehouseSqlState.RAW_ACCESS_REFUSED);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
