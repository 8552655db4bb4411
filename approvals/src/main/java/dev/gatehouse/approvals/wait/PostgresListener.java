package dev.gatehouse.approvals.wait;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Releases local waiters when any instance sharing a PostgreSQL store decides a request: LISTENs on a dedicated
 * connection (outside the pool, so it never starves statements) and signals {@link Waiters} for each NOTIFY.
 * Runs on its own virtual thread; reconnects with a bounded back-off, and after a reconnect wakes every waiter
 * because notifications sent while it was away are lost (the waiters' bounded polling covers that gap too).
 */
public final class PostgresListener implements AutoCloseable {
    /** The channel every instance notifies on; the payload is the request id. */
    public static final String CHANNEL = "gatehouse_decisions";

    private final String url;
    private final Properties props;
    private final Waiters waiters;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection current;

    public PostgresListener(String url, String user, String password, Waiters waiters) {
        this.url = url;
        this.props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "3");
        this.waiters = waiters;
        this.thread = Thread.ofVirtual().name("gatehouse-pg-listener").start(this::run);
    }

    private void run() {
        long backoffMillis = 100;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(url, props)) {
                current = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                waiters.signalAll();
                backoffMillis = 100;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] batch = pg.getNotifications(500);
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            waiters.signal(n.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = current;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Closing is how we stop the blocked read; its failure changes nothing.
            }
        }
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
