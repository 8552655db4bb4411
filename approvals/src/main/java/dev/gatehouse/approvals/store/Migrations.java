package dev.gatehouse.approvals.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates and upgrades the store's schema: a tiny versioned-migrations table instead of Flyway, because the
 * schema is a handful of tables and one dependency fewer is one less thing in a security product's jar.
 * Each migration runs once, in order; instances starting together serialise on a store lock.
 * Runs on the thread that opens the {@link Store}.
 */
final class Migrations {
    /** The schema version this code writes and reads. */
    static final int LATEST = 5;

    private Migrations() {
    }

    /** Version n is element n-1. Append only: never edit a released migration. */
    private static List<String> migrations(Vendor v) {
        String text = v.versionOneTextType();
        return List.of(String.join(";\n",
                "CREATE TABLE gh_request (id VARCHAR(40) PRIMARY KEY, request_key VARCHAR(64) NOT NULL,"
                        + " pending_key VARCHAR(64), state VARCHAR(16) NOT NULL, principal VARCHAR(256) NOT NULL,"
                        + " acting_for VARCHAR(256), channel VARCHAR(16) NOT NULL, client_address VARCHAR(256) NOT NULL,"
                        + " application VARCHAR(256) NOT NULL, database_name VARCHAR(256) NOT NULL,"
                        + " sql_text " + text + " NOT NULL, params_json " + text + " NOT NULL,"
                        + " summary_json " + text + " NOT NULL, approver_groups " + text + " NOT NULL,"
                        + " quorum INT NOT NULL, approval_ttl_ms BIGINT NOT NULL,"
                        + " policy_version VARCHAR(128) NOT NULL, analyzer_version VARCHAR(128) NOT NULL,"
                        + " created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, decided_at BIGINT,"
                        + " approval_expires_at BIGINT, decision_reason " + text + ", consumed_at BIGINT)",
                // One pending request per scope: pending_key is the key while pending and NULL after.
                "CREATE UNIQUE INDEX gh_request_pending ON gh_request (pending_key)",
                "CREATE INDEX gh_request_state ON gh_request (state, created_at)",
                "CREATE INDEX gh_request_key ON gh_request (request_key)",
                "CREATE TABLE gh_vote (request_id VARCHAR(40) NOT NULL, approver VARCHAR(256) NOT NULL,"
                        + " choice VARCHAR(8) NOT NULL, reason " + text + " NOT NULL, channel VARCHAR(32) NOT NULL,"
                        + " cast_at BIGINT NOT NULL, PRIMARY KEY (request_id, approver))",
                "CREATE TABLE gh_token (approver VARCHAR(256) PRIMARY KEY, token_hash VARCHAR(64) NOT NULL,"
                        + " created_at BIGINT NOT NULL)",
                "CREATE TABLE gh_audit (seq BIGINT PRIMARY KEY, record " + text + " NOT NULL, hash VARCHAR(64) NOT NULL)",
                // The head row is locked by every append, so instances sharing a store never fork the chain.
                "CREATE TABLE gh_audit_head (id INT PRIMARY KEY, seq BIGINT NOT NULL, hash VARCHAR(64) NOT NULL)",
                "INSERT INTO gh_audit_head (id, seq, hash) VALUES (1, 0, '" + "0".repeat(64) + "')"),
                // 2: the search path (PostgreSQL) or current database (MySQL) a request was decided under, shown
                // to approvers (NULL: the server's default); rows from before it was stored say so.
                String.join(";\n",
                        "ALTER TABLE gh_request ADD COLUMN search_path " + text,
                        "ALTER TABLE gh_request ADD COLUMN search_path_recorded BOOLEAN DEFAULT FALSE NOT NULL"),
                // 3: text of any size. H2's VARCHAR(1000000) refused a held statement (or its bound values, or the
                // audit record naming it) over a million characters; PostgreSQL TEXT and MySQL LONGTEXT already
                // hold what the proxy's largest message can carry, so for them the version is only recorded.
                largeText(v),
                // 4: requesters and approvers apart (issue 14). Front ends that should hold no approval power
                // reach serve's API with a requester credential of their own, scoped to the principals they
                // submit for; admins are approvers who see every request. The dialect a request's text is read
                // in, so approvers are shown it split as that server splits it (NULL: older, not known).
                String.join(";\n",
                        "ALTER TABLE gh_request ADD COLUMN dialect VARCHAR(16)",
                        "ALTER TABLE gh_token ADD COLUMN admin BOOLEAN DEFAULT FALSE NOT NULL",
                        "CREATE TABLE gh_requester (name VARCHAR(256) PRIMARY KEY, token_hash VARCHAR(64) NOT NULL,"
                                + " principals " + v.textType() + " NOT NULL, created_at BIGINT NOT NULL)"),
                // 5: what a held statement would touch, shown to approvers: rows counted in a savepoint (measured)
                // or the planner's estimate with its cost; NULL basis for requests made before it was stored.
                String.join(";\n",
                        "ALTER TABLE gh_request ADD COLUMN impact_basis VARCHAR(16)",
                        "ALTER TABLE gh_request ADD COLUMN impact_rows BIGINT",
                        "ALTER TABLE gh_request ADD COLUMN impact_cost DOUBLE PRECISION",
                        "ALTER TABLE gh_request ADD COLUMN impact_note " + v.textType()));
    }

    /** Every text column of versions 1-2, as H2 converts it (in place, keeping NOT NULL); nothing elsewhere. */
    private static String largeText(Vendor v) {
        if (v != Vendor.H2) {
            return "";
        }
        List<String> columns = List.of("gh_request.sql_text", "gh_request.params_json", "gh_request.summary_json",
                "gh_request.approver_groups", "gh_request.decision_reason", "gh_request.search_path",
                "gh_vote.reason", "gh_audit.record");
        return String.join(";\n", columns.stream().map(tc -> {
            String[] t = tc.split("\\.");
            return "ALTER TABLE " + t[0] + " ALTER COLUMN " + t[1] + " SET DATA TYPE " + v.textType();
        }).toList());
    }

    static void run(Connection c, Vendor vendor) throws SQLException {
        if (migrations(vendor).size() != LATEST) {
            throw new IllegalStateException("LATEST names version " + LATEST + " but there are " + migrations(vendor).size());
        }
        run(c, vendor, LATEST);
    }

    /** Brings the schema up to {@code target} (tests make a store as an older version left it). */
    static void run(Connection c, Vendor vendor, int target) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS gh_schema_version (version INT PRIMARY KEY, applied_at BIGINT NOT NULL)");
        }
        lock(c, vendor, true);
        try {
            int current = current(c);
            List<String> all = migrations(vendor);
            for (int v = current + 1; v <= Math.min(target, all.size()); v++) {
                apply(c, v, all.get(v - 1));
            }
        } finally {
            lock(c, vendor, false);
        }
    }

    private static int current(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM gh_schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void apply(Connection c, int version, String script) throws SQLException {
        // PostgreSQL and H2 roll DDL back with the transaction; MySQL commits each DDL, so keep scripts idempotent-free and small.
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String stmt : script.split(";\n")) {
                if (!stmt.isBlank()) { // a version with nothing to change on this vendor is still recorded
                    s.execute(stmt);
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO gh_schema_version (version, applied_at) VALUES (?, ?)")) {
                p.setInt(1, version);
                p.setLong(2, System.currentTimeMillis());
                p.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Serialises migrations across instances; H2 embedded is one process, so it needs no lock. */
    private static void lock(Connection c, Vendor vendor, boolean take) throws SQLException {
        String sql = switch (vendor) {
            case H2 -> null;
            case POSTGRES -> take ? "SELECT pg_advisory_lock(7263001)" : "SELECT pg_advisory_unlock(7263001)";
            case MYSQL -> take ? "SELECT GET_LOCK('gatehouse_migrate', 60)" : "SELECT RELEASE_LOCK('gatehouse_migrate')";
        };
        if (sql != null) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
            }
        }
    }
}
