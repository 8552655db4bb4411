package dev.gatehouse.enforce.catalog;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.PostgresRelay;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.approvals.TestStores;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.enforce.checkpoint.Caller;
import dev.gatehouse.enforce.checkpoint.Checkpoint;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.sql.Dialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One live catalog per database of the real PostgreSQL, read over connections of their own as the catalog user:
 * names resolve per database, DDL is seen after {@code changed} or the interval, the number of databases is
 * bounded, and a catalog that cannot be read refuses (Failed) at once and within the timeout.
 */
class UpstreamCatalogsTest {
    static final String POLICY = """
            version: 1
            defaults: { unparsed: deny, otherwise: allow }
            rules:
              - id: notes
                match: { kinds: [READ], columns: ["*.gh_uc_orders.note"] }
                action: deny
              - id: notes2
                match: { kinds: [READ], columns: ["*.gh_uc_orders.note2"] }
                action: deny
              - id: later
                match: { kinds: [READ], columns: ["*.gh_uc_later.secret"] }
                action: deny
            """;
    static final String OTHER_DB = "gh_uc_other";
    static final String SEARCH_PATH = "\"$user\", public";
    static final Caller CALLER = new Caller(new Principal("catalog-test", null),
            new Source(Source.Channel.PROXY, "127.0.0.1", "upstream-catalogs-test", "test"), null);
    static TestStores stores;
    static Store store;
    static ApprovalService service;
    static Checkpoint checkpoint;

    @BeforeAll
    static void start() throws Exception {
        exec("test", "DROP TABLE IF EXISTS gh_uc_orders", "CREATE TABLE gh_uc_orders (id int, note text)");
        exec("test", "DROP DATABASE IF EXISTS " + OTHER_DB, "CREATE DATABASE " + OTHER_DB);
        exec(OTHER_DB, "CREATE TABLE gh_uc_orders (id int, total int)");
        stores = TestStores.h2();
        store = stores.open();
        Policy policy = Policy.parse("upstream-catalogs-test.yaml", POLICY.getBytes(StandardCharsets.UTF_8));
        service = new ApprovalService(store, policy.approvers(), ServiceOptions.defaults(), null);
        checkpoint = new Checkpoint(policy, () -> service, AuditSettings.DEFAULT, 1000);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        store.close();
        exec("test", "DROP TABLE IF EXISTS gh_uc_orders", "DROP DATABASE IF EXISTS " + OTHER_DB + " WITH (FORCE)");
    }

    @Test
    void eachDatabaseResolvesAStarAgainstItsOwnCatalog() {
        try (UpstreamCatalogs catalogs = catalogs(connector("postgres", 5432, appName()), UpstreamCatalogs.Settings.DEFAULTS)) {
            assertEquals(List.of("notes"), denied(check(catalogs, "test", "SELECT * FROM gh_uc_orders")));
            assertSame(Outcome.ALLOW, check(catalogs, OTHER_DB, "SELECT * FROM gh_uc_orders"), "no note column there");
            assertSame(Outcome.ALLOW, check(catalogs, "test", "SELECT id FROM gh_uc_orders"));
            assertEquals(2, catalogs.databases());
        }
    }

    @Test
    void ddlIsSeenAfterItIsReportedAndNotBefore() throws Exception {
        try (UpstreamCatalogs catalogs = catalogs(connector("postgres", 5432, appName()), UpstreamCatalogs.Settings.DEFAULTS)) {
            assertSame(Outcome.ALLOW, check(catalogs, OTHER_DB, "SELECT * FROM gh_uc_orders"));
            exec(OTHER_DB, "ALTER TABLE gh_uc_orders ADD COLUMN note2 text");
            try {
                assertSame(Outcome.ALLOW, check(catalogs, OTHER_DB, "SELECT * FROM gh_uc_orders"),
                        "read once, kept until refreshed");
                catalogs.changed("test"); // another database's change refreshes nothing here
                assertSame(Outcome.ALLOW, check(catalogs, OTHER_DB, "SELECT * FROM gh_uc_orders"));
                catalogs.changed(OTHER_DB);
                assertEquals(List.of("notes2"), denied(check(catalogs, OTHER_DB, "SELECT * FROM gh_uc_orders")));
            } finally {
                exec(OTHER_DB, "ALTER TABLE gh_uc_orders DROP COLUMN note2");
            }
        }
    }

    @Test
    void ddlThatDidNotPassThroughIsSeenAfterTheInterval() throws Exception {
        UpstreamCatalogs.Settings everySecond = new UpstreamCatalogs.Settings(4, 100, Duration.ofSeconds(1), Duration.ofSeconds(5));
        try (UpstreamCatalogs catalogs = catalogs(connector("postgres", 5432, appName()), everySecond)) {
            exec("test", "DROP TABLE IF EXISTS gh_uc_later", "CREATE TABLE gh_uc_later (id int)");
            try {
                assertSame(Outcome.ALLOW, check(catalogs, "test", "SELECT * FROM gh_uc_later"));
                exec("test", "ALTER TABLE gh_uc_later ADD COLUMN secret text");
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                Outcome o = check(catalogs, "test", "SELECT * FROM gh_uc_later");
                while (o instanceof Outcome.Allow && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    o = check(catalogs, "test", "SELECT * FROM gh_uc_later");
                }
                assertEquals(List.of("later"), denied(o), "the interval refresh read the new column");
            } finally {
                exec("test", "DROP TABLE IF EXISTS gh_uc_later");
            }
        }
    }

    @Test
    void atMostTheConfiguredNumberOfDatabasesAndConnectionsAreKept() throws Exception {
        String app = appName();
        UpstreamCatalogs.Settings one = new UpstreamCatalogs.Settings(1, 100, Duration.ofMinutes(1), Duration.ofSeconds(5));
        try (UpstreamCatalogs catalogs = catalogs(connector("postgres", 5432, app), one)) {
            assertEquals(List.of("notes"), denied(check(catalogs, "test", "SELECT * FROM gh_uc_orders")));
            assertEquals(1, connections(app, 1));
            assertSame(Outcome.ALLOW, check(catalogs, OTHER_DB, "SELECT * FROM gh_uc_orders"));
            assertEquals(1, catalogs.databases());
            assertEquals(1, connections(app, 1), "the evicted database's connection was closed");
            assertEquals(List.of("notes"), denied(check(catalogs, "test", "SELECT * FROM gh_uc_orders")),
                    "made again on its next use");
        }
        assertEquals(0, connections(app, 0), "close() closes every catalog connection");
    }

    @Test
    void aServerThatRefusesIsFailedAtOnceAndTheNextTryWaits() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        try (UpstreamCatalogs catalogs = catalogs(connector("postgres", port, appName()), UpstreamCatalogs.Settings.DEFAULTS)) {
            Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, check(catalogs, "test", "SELECT 1"));
            assertTrue(failed.reason().contains("catalog of database \"test\"") && failed.reason().contains("08001"),
                    failed.reason());
            assertTrue(!failed.reason().contains(String.valueOf(port)), "the server's address is not the client's business");
            assertInstanceOf(Outcome.Failed.class, catalogs.classify("test", "SELECT 1", SEARCH_PATH, "postgres", CALLER));
        }
    }

    @Test
    void aServerThatNeverAnswersIsFailedWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts (the kernel does), never answers
            UpstreamCatalogs.Settings oneSecond = new UpstreamCatalogs.Settings(4, 100, Duration.ofMinutes(1), Duration.ofSeconds(1));
            try (UpstreamCatalogs catalogs = catalogs(connector("postgres", silent.getLocalPort(), appName()), oneSecond)) {
                long start = System.nanoTime();
                assertInstanceOf(Outcome.Failed.class, check(catalogs, "test", "SELECT 1"));
                long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(millis < 5_000, "bounded by the 1 s timeout, took " + millis + " ms");
                start = System.nanoTime();
                assertInstanceOf(Outcome.Failed.class, check(catalogs, "test", "SELECT 1"));
                assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 500,
                        "within the retry delay the failure is answered without connecting again");
            }
        }
    }

    @Test
    void aCatalogUserThatCannotSignInIsFailedWithItsSqlState() {
        try (UpstreamCatalogs catalogs = catalogs(connector("gh_no_such_role", 5432, appName()), UpstreamCatalogs.Settings.DEFAULTS)) {
            Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, check(catalogs, "test", "SELECT * FROM gh_uc_orders"));
            assertTrue(failed.reason().contains("28000"), failed.reason());
            assertTrue(!failed.reason().contains("gh_no_such_role"), "the catalog user is not the client's business");
        }
    }

    @Test
    void aConnectionThatDiedWhileIdleIsOpenedAgainForTheRead() throws Exception {
        String app = appName();
        try (UpstreamCatalogs catalogs = catalogs(connector("postgres", 5432, app), UpstreamCatalogs.Settings.DEFAULTS)) {
            assertSame(Outcome.ALLOW, check(catalogs, "test", "SELECT 1"), "opens the connection, reads no table");
            exec("test", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + app + "'");
            // As after a restart of the server: the first lookup meets the dead connection, and reads on a new one.
            assertEquals(List.of("notes"), denied(check(catalogs, "test", "SELECT * FROM gh_uc_orders")));
        }
    }

    /**
     * The server goes away while the catalog's connection is open (a relay to PostgreSQL is cut): the lookup that
     * meets it fails, so that statement gets the unparsed default; then statements are refused before deciding while
     * no connection can be opened; once the server is back the same text is decided afresh, not from the decision
     * made while the read failed.
     */
    @Test
    void aServerLostInTheMiddleFailsClosedAndItsDecisionsAreNotReused() throws Exception {
        PostgresRelay relay = new PostgresRelay();
        int port = relay.port();
        try (UpstreamCatalogs catalogs = catalogs(connector("postgres", port, appName()), UpstreamCatalogs.Settings.DEFAULTS)) {
            assertSame(Outcome.ALLOW, check(catalogs, "test", "SELECT 1"), "opens the connection, reads no table");
            relay.close();
            String sql = "SELECT * FROM gh_uc_orders WHERE id = 7";
            Outcome.Deny lost = assertInstanceOf(Outcome.Deny.class, check(catalogs, "test", sql),
                    "never an allow while the catalog is unreadable");
            assertTrue(lost.reason().contains("unparsed"), lost.reason());
            assertInstanceOf(Outcome.Failed.class, check(catalogs, "test", sql), "refused before deciding while it is down");
            try (PostgresRelay back = new PostgresRelay(port)) {
                Thread.sleep(UpstreamCatalogs.RETRY_AFTER.toMillis() + 100);
                assertEquals(List.of("notes"), denied(check(catalogs, "test", sql)), "decided again, by the rule");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    static UpstreamCatalogs catalogs(UpstreamCatalogs.DatabaseConnector connector, UpstreamCatalogs.Settings settings) {
        return new UpstreamCatalogs(checkpoint, Dialect.POSTGRES, connector, PostgresRelations::new, settings);
    }

    /** A connector as the proxy's: its own user, every wait bounded, a name of its own in pg_stat_activity. */
    static UpstreamCatalogs.DatabaseConnector connector(String user, int port, String applicationName) {
        return database -> {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("connectTimeout", "1");
            p.setProperty("loginTimeout", "1");
            p.setProperty("socketTimeout", "5");
            p.setProperty("ApplicationName", applicationName);
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
        };
    }

    static String appName() {
        return "gh-uc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Outcome check(UpstreamCatalogs catalogs, String database, String sql) {
        return catalogs.check(database, sql, List.of(), SEARCH_PATH, "postgres", CALLER);
    }

    static List<String> denied(Outcome o) {
        return assertInstanceOf(Outcome.Deny.class, o, String.valueOf(o)).ruleIds();
    }

    /** The catalog connections open now, waited for (bounded) to become {@code expected}: a closed one may linger. */
    static int connections(String applicationName, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int n;
        do {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                         + applicationName + "'")) {
                rs.next();
                n = rs.getInt(1);
            }
            if (n == expected) {
                return n;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return n;
    }

    static void exec(String database, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
             Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }
}
