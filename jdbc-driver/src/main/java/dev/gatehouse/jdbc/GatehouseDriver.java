package dev.gatehouse.jdbc;

import dev.gatehouse.enforce.catalog.LiveCatalog;
import dev.gatehouse.jdbc.guard.GuardContext;
import dev.gatehouse.jdbc.rows.ConnectionRows;
import dev.gatehouse.enforce.guard.StatementGuard;
import dev.gatehouse.jdbc.session.SessionTracker;
import dev.gatehouse.jdbc.session.Vendor;
import dev.gatehouse.jdbc.wrap.GuardedConnection;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * {@code jdbc:gatehouse:postgresql://...}, {@code jdbc:gatehouse:mysql://...}, {@code jdbc:gatehouse:mariadb://...}:
 * opens the real connection with the {@code gatehouse.*} settings removed from URL and Properties, builds the
 * guard for it, and hands out the guarded connection. Registered through {@code META-INF/services/java.sql.Driver}.
 *
 * <p>Threads: any; stateless.
 */
public final class GatehouseDriver implements Driver {
    static {
        try {
            DriverManager.registerDriver(new GatehouseDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        ConnectionUrl parsed = ConnectionUrl.parse(url, info);
        if (parsed == null) {
            return null;
        }
        DriverSettings settings = DriverSettings.parse(parsed.settings());
        var factory = GuardFactories.find(settings.guard(), settings.policyFile() != null);
        Backend backend = parsed.backend();
        Connection raw = backend.realDriver().connect(parsed.realUrl(), parsed.realInfo());
        if (raw == null) {
            throw new SQLException("gatehouse: the real driver did not accept " + parsed.redactedRealUrl(),
                    GatehouseSqlState.BAD_SETTING);
        }
        try {
            Vendor vendor = backend.vendor();
            LiveCatalog catalog = new LiveCatalog(vendor.relations(raw), LiveCatalog.DEFAULT_MAX_RELATIONS);
            SessionTracker session = new SessionTracker(vendor, raw, backend.dialect(), settings.principal(),
                    settings.actingFor(), parsed.redactedRealUrl(), catalog);
            ConnectionRows rows = new ConnectionRows(raw, vendor, catalog);
            StatementGuard guard = factory.create(new GuardContext(backend.dialect(), catalog, settings.policyFile(),
                    settings.approvals(), settings.holdMode(), settings.maxWait(), settings.all(),
                    parsed.redactedRealUrl(), rows));
            if (guard == null) {
                throw new SQLException("gatehouse: guard '" + factory.name() + "' gave no guard",
                        GatehouseSqlState.GUARD_FAILED);
            }
            GuardedConnection connection = new GuardedConnection(raw, guard, vendor, session, backend.dialect(),
                    settings.maxWait(), settings.holdMode(), settings.allowUnwrap(), rows);
            String connectSettings = vendor.connectSettings(backend.realDriver(), parsed.realUrl(), parsed.realInfo());
            if (connectSettings != null && !connectSettings.isEmpty()) {
                connection.admitConnectSettings(connectSettings);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            try {
                raw.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return ConnectionUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        ConnectionUrl parsed = ConnectionUrl.parse(url, info);
        if (parsed == null) {
            return new DriverPropertyInfo[0];
        }
        List<DriverPropertyInfo> all = new ArrayList<>(List.of(
                parsed.backend().realDriver().getPropertyInfo(parsed.realUrl(), parsed.realInfo())));
        for (String key : new String[] {"gatehouse.guard", "gatehouse.policy", "gatehouse.principal",
                "gatehouse.acting-for", "gatehouse.approvals", "gatehouse.review", "gatehouse.max-wait",
                "gatehouse.allow-unwrap", "gatehouse.approvals-user", "gatehouse.public-url", "gatehouse.audit-allows"}) {
            DriverPropertyInfo p = new DriverPropertyInfo(key, parsed.settings().get(key));
            p.description = "Gatehouse setting; see dev.gatehouse.jdbc.DriverSettings";
            all.add(p);
        }
        return all.toArray(new DriverPropertyInfo[0]);
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    /** Not claimed: compliance is the real driver's, and Gatehouse refuses some things (updatable result sets). */
    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("dev.gatehouse.jdbc");
    }
}
