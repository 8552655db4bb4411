package dev.gatehouse.enforce.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.gatehouse.enforce.checkpoint.Caller;
import dev.gatehouse.enforce.checkpoint.Checkpoint;
import dev.gatehouse.enforce.checkpoint.ClientCheckpoint;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.sql.Dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The live catalogs of a front end that serves several databases of one server (the wire proxy): one
 * {@link LiveCatalog} per database, read over a connection of its own as the configured catalog user (never as
 * the client), made on the first statement a session of that database sends. At most
 * {@link Settings#maxDatabases()} are kept (the least used one is closed first); each is read again after DDL a
 * session confirmed ({@link #changed}) and every {@link Settings#refreshEvery()} (DDL that did not pass through).
 *
 * <p>Fail closed, in two defined ways. A catalog whose connection cannot be opened (refused, bad credentials,
 * timeout) answers {@link Outcome.Failed} before anything is decided: the client is told the catalog of its
 * database cannot be read, the operator's log says why, and opening is tried again after {@link #RETRY_AFTER}. A
 * connection lost in the middle of a decision leaves that statement's lineage incomplete: the policy's
 * {@code unparsed} default (review or deny, never allow) decides it. No wait is unbounded: connect, login and every
 * metadata query are bounded by {@link Settings#timeout()} (the {@link DatabaseConnector}'s job), and so is the wait
 * for another session's read of the same catalog.
 *
 * <p>Threads: shared by every session; lookups run on the sessions' threads, the interval refresh on a virtual
 * thread of its own.
 */
public final class UpstreamCatalogs implements DatabaseCheckpoints, SchemaChanges, AutoCloseable {
    /** After a failed open, statements are refused at once for this long before the next open is tried. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** Operators see the reason a catalog cannot be read; clients only that it cannot, and the SQLSTATE. */
    private static final System.Logger LOG = System.getLogger(UpstreamCatalogs.class.getName());

    /**
     * @param maxDatabases  the most databases whose catalogs (and connections) are kept at once
     * @param maxRelations  the most tables and views each catalog keeps
     * @param refreshEvery  how often every catalog is read again, for DDL that did not pass through the front end
     * @param timeout       the bound for connecting, for each metadata query and for waiting for another's query
     */
    public record Settings(int maxDatabases, int maxRelations, Duration refreshEvery, Duration timeout) {
        public static final Settings DEFAULTS = new Settings(64, LiveCatalog.DEFAULT_MAX_RELATIONS,
                Duration.ofMinutes(1), Duration.ofSeconds(5));

        public Settings {
            if (maxDatabases < 1 || maxRelations < 1) {
                throw new IllegalArgumentException("the catalog bounds must be at least 1");
            }
            if (refreshEvery.isNegative() || refreshEvery.isZero() || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the catalog refresh interval and timeout must be longer than zero");
            }
        }
    }

    /** Opens a connection to one database as the catalog user, with the connect and query timeouts set. */
    @FunctionalInterface
    public interface DatabaseConnector {
        Connection open(String database) throws SQLException;
    }

    /** One database's catalog, its connection and its way through the checkpoint. */
    private record Entry(String database, ReconnectingSource source, LiveCatalog catalog, ClientCheckpoint client) {
    }

    private final Checkpoint checkpoint;
    private final Dialect dialect;
    private final DatabaseConnector connector;
    private final Function<Connection, RelationSource> reader;
    private final Settings settings;
    private final Cache<String, Entry> entries;
    private final Function<String, Entry> create = this::create;
    private final Thread refresher;
    /** The last open failure logged, so the log says it once rather than once per refused statement. */
    private volatile SQLException logged;

    /**
     * @param reader the dialect's metadata reader over a connection ({@code PostgresRelations::new})
     */
    public UpstreamCatalogs(Checkpoint checkpoint, Dialect dialect, DatabaseConnector connector,
                            Function<Connection, RelationSource> reader, Settings settings) {
        this.checkpoint = checkpoint;
        this.dialect = dialect;
        this.connector = connector;
        this.reader = reader;
        this.settings = settings;
        this.entries = Caffeine.newBuilder().maximumSize(settings.maxDatabases())
                .executor(Runnable::run) // an evicted catalog's connection is closed at once, on the evicting thread
                .removalListener((String database, Entry e, RemovalCause cause) -> {
                    if (e != null) {
                        e.source().close();
                    }
                })
                .build();
        this.refresher = Thread.ofVirtual().name("gatehouse-catalog-refresh").start(this::refreshEvery);
    }

    @Override
    public Outcome classify(String database, String sql, String defaultSchema, String sessionUser, Caller caller) {
        Entry e = entry(database);
        Outcome unreadable = unreadable(e, database);
        return unreadable != null ? unreadable : e.client().classify(sql, defaultSchema, sessionUser, caller);
    }

    /** Hot path: a cache hit and a volatile read, then the database's checkpoint client. */
    @Override
    public Outcome check(String database, String sql, List<?> parameters, String defaultSchema, String sessionUser,
                         Caller caller) {
        Entry e = entry(database);
        Outcome unreadable = unreadable(e, database);
        return unreadable != null ? unreadable
                : e.client().check(sql, parameters, defaultSchema, sessionUser, caller);
    }

    /** The database's catalog is read again on its next lookups (DDL confirmed by the server). */
    @Override
    public void changed(String database) {
        Entry e = database == null ? null : entries.getIfPresent(database);
        if (e != null) {
            e.catalog().refresh();
        }
    }

    /** The catalog of {@code database} (made on first use): for tests and diagnostics. */
    public LiveCatalog catalog(String database) {
        return entries.get(Objects.requireNonNull(database, "database"), create).catalog();
    }

    /** How many databases' catalogs are kept now. */
    public long databases() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    /** Stops the interval refresh and closes every catalog connection. */
    @Override
    public void close() {
        refresher.interrupt();
        entries.invalidateAll();
        entries.cleanUp();
    }

    private Entry entry(String database) {
        return database == null ? null : entries.get(database, create);
    }

    private Entry create(String database) {
        ReconnectingSource source = new ReconnectingSource(() -> connector.open(database), reader,
                settings.timeout(), RETRY_AFTER);
        LiveCatalog catalog = new LiveCatalog(source, settings.maxRelations());
        return new Entry(database, source, catalog, checkpoint.forClient(dialect, catalog));
    }

    /** Null when the catalog can be read now; else the refusal that stands for the decision. */
    private Outcome unreadable(Entry e, String database) {
        if (e == null) {
            return new Outcome.Failed("Gatehouse does not know the session's database, so it cannot read its catalog;"
                    + " refused, failing closed", null);
        }
        try {
            e.source().ensureOpen();
            return null;
        } catch (SQLException failure) {
            SQLException root = failure.getCause() instanceof SQLException cause ? cause : failure;
            if (logged != root) {
                logged = root;
                LOG.log(System.Logger.Level.WARNING, "cannot read the catalog of database {0} ({1}: {2}); its"
                        + " statements are refused until it can be read", database, root.getSQLState(), root.getMessage());
            }
            // The client learns which database and the SQLSTATE, not the server's address or the catalog user.
            return new Outcome.Failed("Gatehouse cannot read the catalog of database \"" + database + "\" (SQLSTATE "
                    + failure.getSQLState() + "); refused, failing closed", failure);
        }
    }

    private void refreshEvery() {
        long millis = settings.refreshEvery().toMillis();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            for (Entry e : entries.asMap().values()) {
                e.catalog().refresh();
            }
        }
    }
}
