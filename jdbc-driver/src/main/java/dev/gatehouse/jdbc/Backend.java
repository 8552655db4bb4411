package dev.gatehouse.jdbc;

import dev.gatehouse.jdbc.session.MysqlVendor;
import dev.gatehouse.jdbc.session.PostgresVendor;
import dev.gatehouse.jdbc.session.Vendor;
import dev.gatehouse.sql.Dialect;

import java.sql.Driver;
import java.sql.SQLException;

/**
 * The databases behind {@code jdbc:gatehouse:}, each with its real driver. MariaDB URLs are served by MySQL
 * Connector/J, which speaks MariaDB's protocol; one real driver for both keeps one code path.
 *
 * <p>Threads: Immutable; any thread.
 */
public enum Backend {
    POSTGRESQL("postgresql:", "jdbc:postgresql:", Dialect.POSTGRES),
    MYSQL("mysql:", "jdbc:mysql:", Dialect.MYSQL),
    MARIADB("mariadb:", "jdbc:mysql:", Dialect.MYSQL);

    private final String subprotocol;
    private final String realPrefix;
    private final Dialect dialect;

    Backend(String subprotocol, String realPrefix, Dialect dialect) {
        this.subprotocol = subprotocol;
        this.realPrefix = realPrefix;
        this.dialect = dialect;
    }

    static Backend forSubprotocol(String afterGatehousePrefix) {
        for (Backend b : values()) {
            if (afterGatehousePrefix.startsWith(b.subprotocol)) {
                return b;
            }
        }
        return null;
    }

    public String subprotocol() {
        return subprotocol;
    }

    public String realPrefix() {
        return realPrefix;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Vendor vendor() {
        return switch (dialect) {
            case POSTGRES -> PostgresVendor.INSTANCE;
            case MYSQL -> MysqlVendor.INSTANCE;
        };
    }

    /** A real driver instance, used directly so DriverManager's class-loader rules cannot pick another one. */
    Driver realDriver() throws SQLException {
        return switch (this) {
            case POSTGRESQL -> new org.postgresql.Driver();
            case MYSQL, MARIADB -> new com.mysql.cj.jdbc.Driver();
        };
    }
}
