package dev.gatehouse.proxy;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.enforce.catalog.PostgresRelations;
import dev.gatehouse.enforce.catalog.SchemaChanges;
import dev.gatehouse.enforce.catalog.UpstreamCatalogs;
import dev.gatehouse.enforce.checkpoint.Checkpoint;
import dev.gatehouse.enforce.guard.PolicyGuard;
import dev.gatehouse.enforce.guard.StatementGuard;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.proxy.catalog.UpstreamConnector;
import dev.gatehouse.proxy.tls.TlsConfig;
import dev.gatehouse.sql.Dialect;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * A proxy on a free port in front of the real PostgreSQL on 127.0.0.1:5432, with a {@link TestGuard}, or
 * ({@link #underPolicy}) deciding by a real policy file as {@code gatehouse serve} does. Public for the driver's
 * tests, which run the same clients through the driver and through this proxy.
 */
public final class ProxyFixture implements AutoCloseable {
    static final InetSocketAddress POSTGRES = new InetSocketAddress("127.0.0.1", 5432);
    /** The repository's example policy, from any module's directory (where surefire runs). */
    public static final Path EXAMPLE_POLICY = Path.of("..", "examples", "policy.yaml");

    /** The rule table deciding for this proxy; null under a policy file. */
    final TestGuard guard;
    final ProxyServer server;
    /** The embedded approvals store and service behind a policy guard; null with a {@link TestGuard}. */
    private final Store store;
    private final ApprovalService service;
    /** The live catalogs a policy guard reads as user postgres; null with a {@link TestGuard}. */
    private final UpstreamCatalogs catalogs;

    ProxyFixture() throws Exception {
        this(Limits.DEFAULTS, null);
    }

    ProxyFixture(Limits limits, TlsConfig tls) throws Exception {
        this(new TestGuard(), limits, tls, null, null, null);
    }

    private ProxyFixture(StatementGuard decider, Limits limits, TlsConfig tls, Store store, ApprovalService service,
                         UpstreamCatalogs catalogs) throws Exception {
        this.guard = decider instanceof TestGuard t ? t : null;
        this.store = store;
        this.service = service;
        this.catalogs = catalogs;
        server = new ProxyServer(new ProxyConfig(new InetSocketAddress("127.0.0.1", 0), POSTGRES, tls, limits,
                decider, null, SessionThreads.PLATFORM, catalogs != null ? catalogs : SchemaChanges.NONE)).start();
    }

    /**
     * The proxy as {@code gatehouse serve --policy FILE --proxy-hold-mode fail --proxy-catalog-user postgres} runs
     * it: the production guard over a fresh embedded store, no schema file, so each database's live catalog. Fail
     * mode answers a held statement at once (ZG001 with the request id) instead of leaving the client waiting for
     * a vote, so a test sees a hold as an error.
     */
    public static ProxyFixture underPolicy(Path policyFile) throws Exception {
        return underPolicy(policyFile, HoldMode.FAIL);
    }

    /** As above, holding as {@code mode} says (WAIT: the client waits for the vote, as psql users do). */
    public static ProxyFixture underPolicy(Path policyFile, HoldMode mode) throws Exception {
        Policy policy = Policy.load(policyFile);
        Store store = Store.open("jdbc:h2:file:" + Files.createTempDirectory("gatehouse-proxy-policy").resolve("store"),
                "sa", "", 4);
        ApprovalService service = new ApprovalService(store, policy.approvers(), ServiceOptions.defaults(), null);
        Checkpoint checkpoint = new Checkpoint(policy, () -> service, AuditSettings.DEFAULT, Gate.DEFAULT_MAXIMUM_SIZE);
        UpstreamCatalogs catalogs = new UpstreamCatalogs(checkpoint, Dialect.POSTGRES,
                new UpstreamConnector(POSTGRES, "postgres", null, Duration.ofSeconds(5)), PostgresRelations::new,
                UpstreamCatalogs.Settings.DEFAULTS);
        return new ProxyFixture(new PolicyGuard(catalogs, policy, mode), Limits.DEFAULTS, null, store,
                service, catalogs);
    }

    /** The approvals service behind a policy guard (null with a {@link TestGuard}): requests a test can read. */
    ApprovalService service() {
        return service;
    }

    public int port() {
        return server.port();
    }

    String url(String extra) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/test?sslmode=disable" + (extra.isEmpty() ? "" : "&" + extra);
    }

    Connection connect(String extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection(url(extra), p);
    }

    static Connection direct() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test?sslmode=disable", p);
    }

    static void directly(String sql) throws SQLException {
        try (Connection c = direct(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        server.stop();
        if (catalogs != null) {
            catalogs.close();
        }
        if (service != null) {
            service.close();
            store.close();
        }
    }
}
