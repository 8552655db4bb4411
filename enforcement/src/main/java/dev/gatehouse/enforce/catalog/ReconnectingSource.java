package dev.gatehouse.enforce.catalog;

import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.catalog.Relation;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A {@link RelationSource} over a connection of its own (the wire proxy's catalog connection to one database): opened
 * on first use, dropped after any failure and opened again on a later use, but not before {@code retryAfter} has
 * passed since a failed open, so a server that refuses does not make every statement wait for a connect. A read
 * that fails on a connection opened earlier is tried once more on a new one (the server may have restarted while
 * it was idle). One read at a time (a JDBC connection is not shared); a reader waits at most {@code wait} for its
 * turn. The connection's own connect and socket timeouts bound each read (see the {@link Connector}).
 *
 * <p>Threads: any; the connection is used under a {@link ReentrantLock} (virtual threads wait without pinning).
 */
public final class ReconnectingSource implements RelationSource, AutoCloseable {

    /** Opens the connection; its timeouts are its own (connect, login, socket). */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    /** One read over the source; may throw what the database throws. */
    @FunctionalInterface
    private interface Read<T> {
        T from(RelationSource relations) throws SQLException;
    }

    private final Connector connector;
    private final Function<Connection, RelationSource> reader;
    private final long waitNanos;
    private final long retryAfterNanos;
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private Connection connection;
    private RelationSource relations;
    private boolean closed;
    private long retryAt;
    /** The last failed open, while it holds back the next one; null otherwise. Read without the lock. */
    private volatile SQLException refused;
    /** Hot path of {@link #ensureOpen()}: true while a connection is open. */
    private volatile boolean open;

    /**
     * @param reader     the database's metadata reader over a connection (e.g. {@code PostgresRelations::new})
     * @param wait       how long a read waits for another read to finish
     * @param retryAfter how long after a failed open the next open is tried
     */
    public ReconnectingSource(Connector connector, Function<Connection, RelationSource> reader, Duration wait,
                              Duration retryAfter) {
        this.connector = connector;
        this.reader = reader;
        this.waitNanos = wait.toNanos();
        this.retryAfterNanos = retryAfter.toNanos();
    }

    @Override
    public Optional<Relation> load(TableName name) throws SQLException {
        return read(r -> r.load(name));
    }

    @Override
    public boolean schemaExists(String schema) throws SQLException {
        return read(r -> r.schemaExists(schema));
    }

    /**
     * Hot path: a volatile read while the connection is open; otherwise opens it (or answers the failure that holds
     * the next open back). Throws when the database cannot be read now.
     */
    public void ensureOpen() throws SQLException {
        if (!open) {
            read(r -> r);
        }
    }

    /** Closes the connection; reads after this fail. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            drop();
        } finally {
            lock.unlock();
        }
    }

    private <T> T read(Read<T> read) throws SQLException {
        try {
            if (!lock.tryLock(waitNanos, TimeUnit.NANOSECONDS)) {
                throw new SQLTimeoutException("the catalog connection stayed busy for "
                        + Duration.ofNanos(waitNanos).toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the catalog connection", e);
        }
        try {
            boolean reused = relations != null;
            try {
                return read.from(relations());
            } catch (SQLException | RuntimeException e) {
                drop(); // not every failure breaks a connection, but a fresh one is never wrong
                if (!reused) {
                    throw e;
                }
            }
            try {
                return read.from(relations());
            } catch (SQLException | RuntimeException e) {
                drop();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the open connection's reader, opening it when none is open and no failure holds it back. */
    private RelationSource relations() throws SQLException {
        if (closed) {
            throw new SQLException("the catalog connection is closed");
        }
        if (relations != null) {
            return relations;
        }
        SQLException last = refused;
        if (last != null && System.nanoTime() - retryAt < 0) {
            throw new SQLException(last.getMessage(), last.getSQLState(), last);
        }
        try {
            Connection c = connector.open();
            if (c == null) {
                throw new SQLException("the catalog connector gave no connection");
            }
            connection = c;
            relations = reader.apply(c);
            refused = null;
            open = true;
            return relations;
        } catch (SQLException e) {
            refused = e;
            retryAt = System.nanoTime() + retryAfterNanos;
            throw e;
        }
    }

    /** Under the lock. */
    private void drop() {
        open = false;
        relations = null;
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // Going away anyway.
            }
        }
    }
}
