package dev.gatehouse.approvals.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The approvals store: a bounded HikariCP pool over H2 (embedded default), PostgreSQL or MySQL, with the schema
 * migrated on open. Every access goes through {@link #inTransaction}, which maps any failure to
 * {@link StoreUnavailableException} so that callers fail closed. Thread-safe; called from request threads
 * (virtual threads of the driver, the proxy and the HTTP server) and the expiry sweeper.
 */
public final class Store implements AutoCloseable {
    private final HikariDataSource pool;
    private final Vendor vendor;
    private final String url;

    /** Work done inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Store(HikariDataSource pool, Vendor vendor, String url) {
        this.pool = pool;
        this.vendor = vendor;
        this.url = url;
    }

    /**
     * The embedded store every Gatehouse process on this machine shares when given none: an H2 file under
     * {@code $GATEHOUSE_HOME}, else {@code ./.gatehouse}. {@code AUTO_SERVER} lets {@code gatehouse serve} and
     * applications using the JDBC driver open it at the same time (the first opener serves the others).
     */
    public static String defaultUrl() {
        return defaultUrl(System::getenv);
    }

    /** {@link #defaultUrl()} reading the environment through {@code env}, so callers can test it. */
    public static String defaultUrl(java.util.function.Function<String, String> env) {
        String home = env.apply("GATEHOUSE_HOME");
        java.nio.file.Path dir = home == null || home.isBlank() ? java.nio.file.Path.of(".gatehouse") : java.nio.file.Path.of(home);
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("store").resolve("gatehouse") + ";AUTO_SERVER=TRUE";
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @param url      a JDBC URL; credentials belong in {@code user}/{@code password}, never in the URL
     * @param poolSize the most connections this instance holds
     * @throws StoreUnavailableException when the store cannot be reached or migrated
     */
    public static Store open(String url, String user, String password, int poolSize) {
        Objects.requireNonNull(url, "url");
        Vendor vendor = Vendor.of(url);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        if (user != null) {
            cfg.setUsername(user);
        }
        if (password != null) {
            cfg.setPassword(password);
        }
        cfg.setMaximumPoolSize(poolSize);
        cfg.setMinimumIdle(Math.min(2, poolSize));
        // A held statement must learn quickly that the store is gone: fail closed within seconds, not minutes.
        cfg.setConnectionTimeout(3_000);
        cfg.setValidationTimeout(2_000);
        cfg.setInitializationFailTimeout(3_000);
        cfg.setPoolName("gatehouse-store");
        cfg.setAutoCommit(true);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("approvals store unreachable at " + redact(url) + ": " + rootMessage(e), e);
        }
        Store store = new Store(ds, vendor, url);
        // Migrations manage their own transactions (MySQL commits DDL implicitly), so they get a plain connection.
        try (Connection c = ds.getConnection()) {
            Migrations.run(c, vendor);
        } catch (SQLException | RuntimeException e) {
            ds.close();
            throw new StoreUnavailableException("approvals store schema could not be migrated at " + redact(url) + ": "
                    + rootMessage(e), e);
        }
        return store;
    }

    public Vendor vendor() {
        return vendor;
    }

    /** The URL without credentials, for messages and the dedicated notification connection. */
    public String url() {
        return url;
    }

    public String username() {
        return pool.getUsername();
    }

    public String password() {
        return pool.getPassword();
    }

    /**
     * Runs {@code work} in one transaction, committing on success and rolling back on any failure.
     *
     * @throws StoreUnavailableException when the store fails; the caller must fail closed
     */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("approvals store failed (" + redact(url) + "): " + rootMessage(e), e);
        } catch (RuntimeException e) {
            if (e instanceof StoreUnavailableException || e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException) {
                throw e;
            }
            throw new StoreUnavailableException("approvals store failed (" + redact(url) + "): " + rootMessage(e), e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The original failure is what matters; a dead connection cannot roll back anyway.
        }
    }

    /** The URL up to its parameters ({@code ?...} or H2's {@code ;...}), where credentials could hide. */
    static String redact(String url) {
        int end = url.length();
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '?' || c == ';') {
                end = i;
                break;
            }
        }
        return url.substring(0, end);
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }

    /** True when a failed INSERT hit a unique constraint (SQLState class 23), in every supported vendor. */
    public static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    @Override
    public void close() {
        pool.close();
    }
}
