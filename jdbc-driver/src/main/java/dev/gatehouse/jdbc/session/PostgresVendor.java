package dev.gatehouse.jdbc.session;

import dev.gatehouse.enforce.refusal.SqlStates;
import dev.gatehouse.enforce.session.StartupSettings;
import dev.gatehouse.enforce.catalog.PostgresRelations;
import dev.gatehouse.enforce.catalog.RelationSource;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;
import org.postgresql.core.TransactionState;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL: a failed statement aborts the transaction; later statements get 25P02 and COMMIT rolls back.
 * Stateless; runs on the connection's thread.
 */
public final class PostgresVendor implements Vendor {
    public static final PostgresVendor INSTANCE = new PostgresVendor();

    /**
     * Sent to abort the transaction server-side after a refusal, so the server itself enforces what follows
     * (25P02, COMMIT rolling back, ROLLBACK TO SAVEPOINT recovering), exactly as after a real error. The
     * message makes the abort's cause plain in the server log.
     */
    static final String ABORT_TRANSACTION =
            "DO $gatehouse$ BEGIN RAISE EXCEPTION USING ERRCODE = '42501', "
                    + "MESSAGE = 'gatehouse: statement refused by policy, transaction aborted'; END $gatehouse$";

    private PostgresVendor() {
    }

    /**
     * Hot path (every execute of a prepared statement): what pgjdbc's parser made of a text, by the two settings
     * that change its reading (standard_conforming_strings, quoteReturningIdentifiers). Bounded; the texts are the
     * application's statement shapes, so the same few recur.
     */
    private static final int TRANSLATIONS = 10_000;
    @SuppressWarnings("unchecked")
    private final Cache<String, String>[] translated = new Cache[] {translations(), translations(), translations(),
            translations()};

    private static Cache<String, String> translations() {
        return Caffeine.newBuilder().maximumSize(TRANSLATIONS).executor(Runnable::run).build();
    }

    /**
     * pgjdbc sends a prepared statement's {@code ?} as {@code $1, $2...} (and {@code ??} as {@code ?}), split into
     * statements at top-level semicolons: its own parser makes that text, so PostgreSQL's parser reads here
     * exactly what the server will.
     */
    /**
     * pgjdbc's {@code options} and {@code currentSchema}, which it sends as the startup parameters
     * {@code options} and {@code search_path}: read as the server reads a startup.
     */
    @Override
    public String connectSettings(java.sql.Driver real, String url, java.util.Properties info) throws SQLException {
        java.util.Map<String, String> startup = new java.util.LinkedHashMap<>();
        for (java.sql.DriverPropertyInfo p : real.getPropertyInfo(url, info)) {
            if (p.value != null && !p.value.isEmpty()) {
                if (p.name.equals("options")) {
                    startup.put("options", p.value);
                } else if (p.name.equals("currentSchema")) {
                    startup.put("search_path", p.value);
                }
            }
        }
        try {
            return StartupSettings.asSql(StartupSettings.read(startup));
        } catch (StartupSettings.Unreadable e) {
            throw new SQLException("gatehouse: " + e.getMessage() + "; refused, failing closed",
                    SqlStates.GUARD_FAILED, e);
        }
    }

    @Override
    public String asRun(Connection raw, String sql, boolean bindsParameters) throws SQLException {
        String escaped = sql.indexOf('{') < 0 ? sql : raw.nativeSQL(sql);
        if (!bindsParameters || escaped.indexOf('?') < 0) {
            return escaped;
        }
        BaseConnection c = raw.unwrap(BaseConnection.class);
        boolean scs = c.getStandardConformingStrings();
        boolean quote = c.getQueryExecutor().getQuoteReturningIdentifiers();
        Cache<String, String> cache = translated[(scs ? 1 : 0) + (quote ? 2 : 0)];
        String known = cache.getIfPresent(escaped);
        if (known != null) {
            return known;
        }
        String text = translate(escaped, scs, quote);
        cache.put(escaped, text);
        return text;
    }

    private static String translate(String escaped, boolean scs, boolean quote) throws SQLException {
        List<NativeQuery> queries = Parser.parseJdbcSql(escaped, scs, true, true, false, quote);
        if (queries.size() == 1) {
            return queries.get(0).nativeSql;
        }
        StringBuilder b = new StringBuilder(escaped.length() + 8);
        for (NativeQuery q : queries) {
            if (!b.isEmpty()) {
                b.append(";\n");
            }
            b.append(q.nativeSql);
        }
        return b.toString();
    }

    @Override
    public SessionSnapshot readSession(Connection raw) throws SQLException {
        try (Statement st = raw.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT session_user, current_database(), current_setting('search_path'), current_user")) {
            rs.next();
            return new SessionSnapshot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
        }
    }

    @Override
    public boolean inTransaction(Connection raw) throws SQLException {
        // pgjdbc sends BEGIN lazily, so with auto-commit off a transaction is open even before its first statement.
        return !raw.getAutoCommit() || state(raw) != TransactionState.IDLE;
    }

    @Override
    public boolean transactionFailed(Connection raw) throws SQLException {
        return state(raw) == TransactionState.FAILED;
    }

    @Override
    public void afterRefusal(Connection raw) throws SQLException {
        if (!inTransaction(raw) || transactionFailed(raw)) {
            return;
        }
        try (Statement st = raw.createStatement()) {
            st.execute(ABORT_TRANSACTION);
        } catch (SQLException expected) {
            // The error is the point: the server now holds the transaction aborted.
        }
        if (!transactionFailed(raw)) {
            // Fail closed if the server did not abort it (it always should): nothing of it may commit.
            raw.rollback();
        }
    }

    @Override
    public String cancelledState() {
        return SqlStates.QUERY_CANCELED;
    }

    @Override
    public boolean serverSideLobs() {
        return true;
    }

    @Override
    public RelationSource relations(Connection raw) {
        return new PostgresRelations(raw);
    }

    private static TransactionState state(Connection raw) throws SQLException {
        return raw.unwrap(BaseConnection.class).getTransactionState();
    }
}
