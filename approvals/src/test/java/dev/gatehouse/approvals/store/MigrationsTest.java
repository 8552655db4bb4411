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
                    assertEquals(2, rs.getInt(1));
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
}
