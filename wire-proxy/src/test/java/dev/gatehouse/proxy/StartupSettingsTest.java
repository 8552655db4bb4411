package dev.gatehouse.proxy;

import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.RequestState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Startup parameters are SET statements the server runs before the first query: {@code options=-c role=...},
 * {@code --name=value} and plain parameters such as {@code session_replication_role}. They are decided through
 * the guard like the same SET sent as a query, before the proxy connects upstream; a denied or held one ends
 * the connection with a FATAL naming the rule (a hold answers at once, with the request's address).
 */
class StartupSettingsTest {
    /** Holds role changes (SET ROLE, session_replication_role) for review; everything else is allowed. */
    static final String HOLD_PRIVILEGE = """
            version: 1
            defaults: { unparsed: review, otherwise: allow }
            approvers:
              dba: [alice]
            rules:
              - id: hold-role-changes
                match: { kinds: [PRIVILEGE] }
                action: review
                approvers: [dba]
                reason: role changes need a second pair of eyes
            """;
    static ProxyFixture holding;
    static ProxyFixture denying;

    @BeforeAll
    static void start() throws Exception {
        Path policy = Files.createTempFile("gatehouse-startup", ".yaml");
        Files.writeString(policy, HOLD_PRIVILEGE);
        holding = ProxyFixture.underPolicy(policy);
        denying = ProxyFixture.underPolicy(ProxyFixture.EXAMPLE_POLICY);
    }

    @AfterAll
    static void stop() {
        holding.close();
        denying.close();
    }

    @Test
    void psqlWithARoleInPgoptionsIsHeldAndTheRequestRecorded() throws Exception {
        Cli.Result r = Cli.psql(holding.port(), java.nio.charset.StandardCharsets.UTF_8,
                Map.of("PGOPTIONS", "-c role=pg_read_all_data"), "SELECT current_user;\n");
        assertNotEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("FATAL") && r.output().contains("hold-role-changes"), r.output());
        assertTrue(r.output().contains("/requests/") || r.output().contains("http"), r.output());
        List<ApprovalRequest> pending = holding.service().list(RequestState.PENDING, "postgres", 50);
        assertTrue(pending.stream().anyMatch(q -> q.sql().equals("SET \"role\" = 'pg_read_all_data'")),
                pending.stream().map(ApprovalRequest::sql).toList().toString());
    }

    @Test
    void psqlWithAnAllowedSettingConnectsAndTheSettingHolds() throws Exception {
        Cli.Result r = Cli.psql(holding.port(), java.nio.charset.StandardCharsets.UTF_8,
                Map.of("PGOPTIONS", "-c search_path=pg_catalog,public -c statement_timeout=5s"),
                "SHOW search_path;\nSHOW statement_timeout;\n");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("pg_catalog,public") && r.output().contains("5s"), r.output());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            -c role, held                          | options                  | -c role=pg_read_all_data            | ZG001
            -crole attached, held                  | options                  | -crole=pg_read_all_data             | ZG001
            --role, held                           | options                  | --role=pg_read_all_data             | ZG001
            escaped space in a value, held         | options                  | -c statement_timeout=5s -c role=a\\ b | ZG001
            session_replication_role, held         | options                  | -c session-replication-role=replica | ZG001
            plain role parameter, held             | role                     | pg_read_all_data                    | ZG001
            plain session_replication_role, held   | session_replication_role | replica                             | ZG001
            search_path, allowed                   | options                  | -c search_path=public               | R
            plain work_mem, allowed                | work_mem                 | 8MB                                 | R
            another switch, not read               | options                  | -B 100                              | 0A000
            -c without a value, not read           | options                  | -c role                             | 0A000
            """)
    void startupSettingsAreDecided(String name, String parameter, String value, String expected) throws Exception {
        try (RawClient c = RawClient.connecting(holding.port(), parameter, value)) {
            String first = c.next();
            assertEquals(expected.equals("R") ? "R" : "E:" + expected, first, c.lastErrorMessage);
        }
    }

    @Test
    void aDeniedStartupSettingNamesTheRule() throws Exception {
        try (RawClient c = RawClient.connecting(denying.port(), "options", "-c role=pg_read_all_data")) {
            assertEquals("E:42501", c.next());
            assertTrue(c.lastErrorMessage.contains("privileges"), c.lastErrorMessage);
        }
        try (RawClient c = RawClient.connecting(denying.port(), "session_replication_role", "replica")) {
            assertEquals("E:42501", c.next());
        }
    }
}
