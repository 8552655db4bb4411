package dev.gatehouse.approvals.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * The approvals store: a bounded HikariCP pool over H2 (embedded default), PostgreSQL or MySQL, with the schema
 * migrated on open. Every access goes through {@link #inTransaction}, which maps a store that is down to
 * {@link StoreUnavailableException} and a store that answered with a refusal to {@link StoreRefusedException}, so
 * that callers fail closed either way, and through the store's {@link Breaker}, so that while the store is down
 * calls fail at once instead of each waiting out the pool's connection time-out.
 * Thread-safe; called from request threads
 * (virtual threads of the driver, the proxy and the HTTP server), the expiry sweeper, and its own prober (one
 * virtual thread, idle while the breaker is closed).
 */
public final class Store implements AutoCloseable {
    private final HikariDataSource pool;
    private final Vendor vendor;
    private final String url;
    private final Breaker breaker;
    /** Probes the store from the background while the breaker is open: see {@link #probeWhileOpen}. */
    private final Thread prober;
    private volatile boolean closed;

    /** How often the prober tries a store the breaker holds for down (each try waits at most the pool's time-out). */
    static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    /** Work done inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** The trivial transaction that tells whether the store answers. */
    private static final Work<Boolean> PING = c -> {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
        return true;
    };

    private Store(HikariDataSource pool, Vendor vendor, String url, Breaker breaker) {
        this.pool = pool;
        this.vendor = vendor;
        this.url = url;
        this.breaker = breaker;
        this.prober = Thread.ofVirtual().name("gatehouse-store-prober").unstarted(this::probeWhileOpen);
    }

    /**
     * Runs on the store's own virtual thread, started once the store is open: while the breaker is open it tries
     * a trivial transaction every {@link #PROBE_EVERY}, so service resumes about a second after the store is back
     * and callers keep being refused at once meanwhile, none of them waiting out a probe's pool time-out.
     */
    private void probeWhileOpen() {
        while (!closed) {
            try {
                Thread.sleep(PROBE_EVERY);
            } catch (InterruptedException e) {
                return;
            }
            try {
                breaker.probeNow(() -> transaction(PING), Store::meansDown);
            } catch (RuntimeException stillDown) {
                // The breaker re-opened with this failure; callers are told about it, the prober tries again.
            }
        }
    }

    /**
     * The embedded store every Gatehouse process on this machine shares when given none: an H2 file under
     * {@code $GATEHOUSE_HOME}, else {@code ./.gatehouse}. {@code AUTO_SERVER} lets {@code gatehouse serve} and
     * applications using the JDBC driver open it at the same time (the first opener serves the others).
     */
    public static String defaultUrl() {
        return defaultUrl(System::getenv);
    }

    /** {@link #defaultUrl()} with the environment given (tests, and callers that resolve it their own way). */
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
        return open(url, user, password, poolSize, new Breaker(Breaker.OPEN_FOR));
    }

    /**
     * As above, with the breaker given: the one that also guarded opening it (see
     * {@code checkpoint.LazyApprovals}), so that opening and using the store share one breaker.
     */
    public static Store open(String url, String user, String password, int poolSize, Breaker breaker) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(breaker, "breaker");
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
        Store store = new Store(ds, vendor, url, breaker);
        // Migrations manage their own transactions (MySQL commits DDL implicitly), so they get a plain connection.
        try (Connection c = ds.getConnection()) {
            Migrations.run(c, vendor);
        } catch (SQLException | RuntimeException e) {
            ds.close();
            throw new StoreUnavailableException("approvals store schema could not be migrated at " + redact(url) + ": "
                    + rootMessage(e), e);
        }
        store.prober.start();
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
     * @throws StoreUnavailableException when the store fails, or at once while the breaker is open after a
     *                                   failure; the caller must fail closed
     * @throws StoreRefusedException     when the store answered but refused this transaction (see {@link #meansDown});
     *                                   the caller must fail closed, the breaker stays as it is
     */
    public <T> T inTransaction(Work<T> work) {
        return breaker.call(() -> transaction(work), Store::meansDown);
    }

    /** Whether the store answers now, through the breaker: false at once while it is open. */
    public boolean answers() {
        try {
            return inTransaction(PING);
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    public Breaker breaker() {
        return breaker;
    }

    /**
     * Whether a failure means the store is down (the breaker opens) rather than that it answered with an error
     * about this one transaction: a refusal of the data or the statement (SQLState classes 21, 22, 23, 40, 42,
     * 44) or a failure of our own code leaves the breaker as it is; any other SQL failure, connection ones
     * (class 08, no state at all from the pool's time-out) first among them, opens it.
     */
    static boolean meansDown(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                return !answered(sql);
            }
        }
        return false;
    }

    /**
     * Whether the store (or its driver, before sending anything) refused this transaction rather than failed:
     * SQLState classes 21, 22, 23, 40, 42, 44; and MySQL's answers under general states (HY000, S1000) that are
     * about the data: a value the column's character set cannot hold (1366), a value or packet over
     * {@code max_allowed_packet} (1301, and Connector/J's own check before sending, which leaves the connection
     * as it was). Everything else, connection failures (class 08, or no state from the pool's time-out) first,
     * means down.
     */
    static boolean answered(SQLException sql) {
        if (sql.getClass().getSimpleName().equals("PacketTooBigException")) {
            return true; // Connector/J refused to send it (no compile-time dependency: the driver is optional)
        }
        String state = sql.getSQLState();
        if (state != null && (state.equals("HY000") || state.equals("S1000"))
                && MYSQL_DATA_REFUSALS.contains(sql.getErrorCode())) {
            return true;
        }
        return state != null && state.length() >= 2 && ANSWERED.contains(state.substring(0, 2));
    }

    private static final java.util.Set<String> ANSWERED = java.util.Set.of("21", "22", "23", "40", "42", "44");
    private static final java.util.Set<Integer> MYSQL_DATA_REFUSALS = java.util.Set.of(1301, 1366);

    private <T> T transaction(Work<T> work) {
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
            if (answered(e)) {
                throw refused(e);
            }
            throw new StoreUnavailableException("approvals store failed (" + redact(url) + "): " + rootMessage(e), e);
        } catch (RuntimeException e) {
            // Ours, not the store's: passed on as they are (an export's writer failing is an I/O error).
            if (e instanceof StoreUnavailableException || e instanceof StoreRefusedException
                    || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.UncheckedIOException) {
                throw e;
            }
            throw new StoreUnavailableException("approvals store failed (" + redact(url) + "): " + rootMessage(e), e);
        }
    }

    /** The most of a store's own message a refusal repeats: H2 and MySQL quote a prefix of the refused value. */
    static final int MAX_REFUSAL_MESSAGE = 300;

    private StoreRefusedException refused(SQLException e) {
        String m = rootMessage(e);
        if (m.length() > MAX_REFUSAL_MESSAGE) {
            m = m.substring(0, MAX_REFUSAL_MESSAGE) + "...";
        }
        return new StoreRefusedException("the approvals store (" + redact(url) + ") refused the transaction (SQLState "
                + e.getSQLState() + (e.getErrorCode() == 0 ? "" : ", code " + e.getErrorCode()) + "): " + m, e.getSQLState(), e);
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
        closed = true;
        prober.interrupt();
        pool.close();
    }
}
