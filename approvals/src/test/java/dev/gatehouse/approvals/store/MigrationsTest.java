package dev.gatehouse.approvals.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Submissions;
import dev.gatehouse.approvals.TestStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upgrading a store made by the previous schema version (1, before the search path was stored): its requests
 * survive and say the search path was not recorded; new requests carry theirs. On each real store.
 */
class MigrationsTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mysql"})
    void fromVersionOneKeepsOldRequestsAndStoresTheSearchPathOfNewOnes(String kind) throws Exception {
        TestStores ts = TestStores.of(kind);
        String user = switch (kind) {
            case "postgres" -> "postgres";
            case "mysql" -> "root";
            default -> "sa";
        };
        String password = kind.equals("postgres") ? null : "";
        try {
            try (Connection c = DriverManager.getConnection(ts.url(), user, password)) {
                Migrations.run(c, Vendor.of(ts.url()), 1);
                try (Statement s = c.createStatement()) {
                    // A pending request as version 1 wrote it.
                    long now = System.currentTimeMillis();
                    s.execute("INSERT INTO gh_request (id, request_key, pending_key, state, principal, acting_for,"
                            + " channel, client_address, application, database_name, sql_text, params_json,"
                            + " summary_json, approver_groups, quorum, approval_ttl_ms, policy_version,"
                            + " analyzer_version, created_at, expires_at) VALUES ('old-1', 'k1', 'k1', 'pending',"
                            + " 'agent-7', NULL, 'proxy', '10.0.0.7', 'psql', 'shop', 'delete from orders', '[]',"
                            + " '{\"kinds\":[],\"operations\":[],\"tables\":[],\"reads\":[],\"writes\":[],\"rules\":[],"
                            + "\"reason\":\"old\"}', '[\"dba\"]', 1, 60000, 'v1', 'a1', " + now + ", "
                            + (now + 3_600_000) + ")");
                }
            }
            try (Store store = ts.open();
                 ApprovalService service = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null)) {
                try (Connection c = DriverManager.getConnection(ts.url(), user, password);
                     Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT MAX(version) FROM gh_schema_version")) {
                    rs.next();
                    assertEquals(Migrations.LATEST, rs.getInt(1));
                }
                ApprovalRequest old = service.find("old-1").orElseThrow();
                assertEquals(RequestState.PENDING, old.state());
                assertEquals("delete from orders", old.sql());
                assertFalse(old.searchPathRecorded(), "made before the search path was stored");
                assertNull(old.searchPath());

                String id = service.open(Submissions.under(Submissions.simple("delete from users where id = 1",
                        Submissions.dba(1)), "billing, public")).requestId();
                ApprovalRequest fresh = service.find(id).orElseThrow();
                assertTrue(fresh.searchPathRecorded());
                assertEquals("billing, public", fresh.searchPath());
            }
        } finally {
            ts.drop();
        }
    }

    /**
     * Upgrading a version-2 store (H2 text columns were VARCHAR(1000000)): its requests and audit chain survive,
     * the text columns stay NOT NULL, and a held statement over the old limit is stored and read back whole.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mysql"})
    void fromVersionTwoHoldsTextOverTheOldLimit(String kind) throws Exception {
        TestStores ts = TestStores.of(kind);
        String user = switch (kind) {
            case "postgres" -> "postgres";
            case "mysql" -> "root";
            default -> "sa";
        };
        String password = kind.equals("postgres") ? null : "";
        try {
            String oldId;
            try (Connection c = DriverManager.getConnection(ts.url(), user, password)) {
                Migrations.run(c, Vendor.of(ts.url()), 2);
            }
            // A request and its audit record as version 2 wrote them, through the service of that schema.
            try (Connection c = DriverManager.getConnection(ts.url(), user, password); Statement s = c.createStatement()) {
                long now = System.currentTimeMillis();
                s.execute("INSERT INTO gh_request (id, request_key, pending_key, state, principal, acting_for,"
                        + " channel, client_address, application, database_name, sql_text, params_json,"
                        + " summary_json, approver_groups, quorum, approval_ttl_ms, policy_version,"
                        + " analyzer_version, created_at, expires_at, search_path, search_path_recorded) VALUES ('old-2',"
                        + " 'k2', 'k2', 'pending', 'agent-7', NULL, 'proxy', '10.0.0.7', 'psql', 'shop',"
                        + " 'delete from orders', '[\"7\"]', '{\"kinds\":[],\"operations\":[],\"tables\":[],\"reads\":[],"
                        + "\"writes\":[],\"rules\":[],\"reason\":\"old\"}', '[\"dba\"]', 1, 60000, 'v1', 'a1', " + now + ", "
                        + (now + 3_600_000) + ", 'billing', TRUE)");
                oldId = "old-2";
            }
            String big = "insert into t values ('" + "x".repeat(1_500_000) + "')";
            try (Store store = ts.open();
                 ApprovalService service = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null)) {
                try (Connection c = DriverManager.getConnection(ts.url(), user, password);
                     Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT MAX(version) FROM gh_schema_version")) {
                    rs.next();
                    assertEquals(Migrations.LATEST, rs.getInt(1));
                }
                ApprovalRequest old = service.find(oldId).orElseThrow();
                assertEquals("delete from orders", old.sql());
                assertEquals(java.util.List.of("7"), old.parameters());
                assertEquals("billing", old.searchPath());
                String id = service.open(Submissions.of("agent-7", null, big, java.util.List.of("y".repeat(1_200_000)),
                        Submissions.dba(1))).requestId();
                ApprovalRequest fresh = service.find(id).orElseThrow();
                assertEquals(big, fresh.sql());
                assertEquals("y".repeat(1_200_000), fresh.parameters().get(0));
                assertTrue(dev.gatehouse.approvals.audit.AuditVerifier.verify(store).ok());
            }
            // NOT NULL survived the conversion.
            try (Connection c = DriverManager.getConnection(ts.url(), user, password)) {
                for (String[] col : new String[][] {{"gh_request", "sql_text"}, {"gh_request", "params_json"},
                        {"gh_vote", "reason"}, {"gh_audit", "record"}}) {
                    assertFalse(nullable(c, kind, col[0], col[1]), col[0] + "." + col[1] + " must stay NOT NULL");
                }
                assertTrue(nullable(c, kind, "gh_request", "decision_reason"));
            }
        } finally {
            ts.drop();
        }
    }

    /**
     * Upgrading a version-4 store (requesters apart, before impacts were stored): its requests survive with their
     * dialect and show no impact; new
     * requests keep theirs, measured, estimated with its cost, or unknown with why; an approval is listed with
     * the impact its approvers saw.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres", "mysql"})
    void fromVersionFourKeepsOldRequestsAndStoresWhatNewOnesWouldTouch(String kind) throws Exception {
        TestStores ts = TestStores.of(kind);
        String user = switch (kind) {
            case "postgres" -> "postgres";
            case "mysql" -> "root";
            default -> "sa";
        };
        String password = kind.equals("postgres") ? null : "";
        try {
            try (Connection c = DriverManager.getConnection(ts.url(), user, password)) {
                Migrations.run(c, Vendor.of(ts.url()), 4);
                try (Statement s = c.createStatement()) {
                    long now = System.currentTimeMillis();
                    s.execute("INSERT INTO gh_request (id, request_key, pending_key, state, principal, acting_for,"
                            + " channel, client_address, application, database_name, sql_text, params_json,"
                            + " summary_json, approver_groups, quorum, approval_ttl_ms, policy_version,"
                            + " analyzer_version, created_at, expires_at, search_path, search_path_recorded, dialect)"
                            + " VALUES ('old-4', 'k4', 'k4', 'pending', 'agent-7', NULL, 'proxy', '10.0.0.7', 'psql', 'shop',"
                            + " 'delete from orders', '[]', '{\"kinds\":[],\"operations\":[],\"tables\":[],\"reads\":[],"
                            + "\"writes\":[],\"rules\":[],\"reason\":\"old\"}', '[\"dba\"]', 1, 60000, 'v1', 'a1', " + now
                            + ", " + (now + 3_600_000) + ", NULL, TRUE, 'POSTGRES')");
                }
            }
            try (Store store = ts.open();
                 ApprovalService service = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null)) {
                ApprovalRequest old = service.find("old-4").orElseThrow();
                assertNull(old.impact(), "made before impacts were stored");
                assertEquals(dev.gatehouse.sql.Dialect.POSTGRES, old.dialect(), "version 4's dialect survives");
                java.util.List<dev.gatehouse.approvals.Impact> impacts = java.util.List.of(
                        dev.gatehouse.approvals.Impact.measured(30),
                        dev.gatehouse.approvals.Impact.estimated(1200, 35.25, "EXPLAIN on PostgreSQL"),
                        dev.gatehouse.approvals.Impact.estimated(7, null, "EXPLAIN on MariaDB"),
                        dev.gatehouse.approvals.Impact.unknown("it calls functions, which planning may run"));
                for (int i = 0; i < impacts.size(); i++) {
                    var submission = Submissions.simple("delete from orders where id > " + i, Submissions.dba(1))
                            .withImpact(impacts.get(i));
                    String id = service.open(submission).requestId();
                    assertEquals(impacts.get(i), service.find(id).orElseThrow().impact(), impacts.get(i).describe());
                    if (i == 0) {
                        service.vote(id, "alice", dev.gatehouse.approvals.Vote.Choice.APPROVE, "ok", "test");
                        assertEquals(java.util.List.of(new dev.gatehouse.approvals.RequesterPort.Approval(id, impacts.get(0))),
                                service.approvedFor(submission.withImpact(null)), "listed with what was approved");
                    }
                }
            }
        } finally {
            ts.drop();
        }
    }

    /**
     * Issue 14 as a version-2 H2 store holds it: an audit record with a raw lone surrogate (older versions wrote
     * one, hashed over a '?' in its place), which a strict UTF-8 export stopped at. Version 3 stores the record as
     * a CLOB, which keeps well-formed text: the record becomes what its hash was taken over, so verify passes,
     * export renders every record, and new records escape their surrogates.
     */
    @org.junit.jupiter.api.Test
    void aVersionTwoH2RecordWithARawSurrogateVerifiesAndExportsAfterTheUpgrade() throws Exception {
        TestStores ts = TestStores.h2();
        java.nio.file.Path out = java.nio.file.Files.createTempFile("gatehouse-export-", ".jsonl");
        try {
            try (Connection c = DriverManager.getConnection(ts.url(), "sa", "")) {
                Migrations.run(c, Vendor.H2, 2);
                String prev = "0".repeat(64);
                String json = "{\"analyzer_version\":\"a1\",\"at\":1,\"data\":{\"sql\":\"select '\uD800'\"},"
                        + "\"policy_version\":\"p1\",\"prev\":\"" + prev + "\",\"request_id\":null,\"seq\":1,\"type\":\"decision.deny\"}";
                var md = java.security.MessageDigest.getInstance("SHA-256");
                md.update(prev.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                md.update(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)); // a '?' for the surrogate, as before
                String hash = java.util.HexFormat.of().formatHex(md.digest());
                try (Statement s = c.createStatement()) {
                    try (var p = c.prepareStatement("INSERT INTO gh_audit (seq, record, hash) VALUES (1, ?, ?)")) {
                        p.setString(1, json);
                        p.setString(2, hash);
                        p.executeUpdate();
                    }
                    s.execute("UPDATE gh_audit_head SET seq = 1, hash = '" + hash + "' WHERE id = 1");
                    try (ResultSet rs = s.executeQuery("SELECT record FROM gh_audit WHERE seq = 1")) {
                        rs.next();
                        assertEquals(json, rs.getString(1), "version 2 kept the raw surrogate");
                    }
                }
            }
            try (Store store = ts.open()) {
                dev.gatehouse.approvals.audit.AuditLog.append(store, new dev.gatehouse.approvals.audit.AuditRecord(
                        "decision.deny", null, "p1", "a1", 2L, java.util.Map.of("sql", "select '\uDC01'")));
                var verified = dev.gatehouse.approvals.audit.AuditVerifier.verify(store);
                assertTrue(verified.ok(), verified.toString());
                assertEquals(2, verified.records());
                try (var w = java.nio.file.Files.newBufferedWriter(out, java.nio.charset.StandardCharsets.UTF_8)) {
                    assertEquals(new dev.gatehouse.approvals.audit.AuditVerifier.Exported(2, 0),
                            dev.gatehouse.approvals.audit.AuditVerifier.export(store, w));
                }
                var lines = java.nio.file.Files.readAllLines(out, java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(lines.get(0).contains("select '?'"), lines.get(0));
                assertTrue(lines.get(1).contains("select '\\uDC01'"), lines.get(1));
            }
        } finally {
            java.nio.file.Files.deleteIfExists(out);
            ts.drop();
        }
    }

    private static boolean nullable(Connection c, String kind, String table, String column) throws Exception {
        var md = c.getMetaData();
        String t = kind.equals("h2") ? table.toUpperCase(java.util.Locale.ROOT) : table;
        String col = kind.equals("h2") ? column.toUpperCase(java.util.Locale.ROOT) : column;
        String catalog = kind.equals("mysql") ? c.getCatalog() : null;
        String schema = kind.equals("postgres") ? c.getSchema() : null;
        try (ResultSet rs = md.getColumns(catalog, schema, t, col)) {
            assertTrue(rs.next(), "no column " + table + "." + column);
            return rs.getInt("NULLABLE") != java.sql.DatabaseMetaData.columnNoNulls;
        }
    }
}
