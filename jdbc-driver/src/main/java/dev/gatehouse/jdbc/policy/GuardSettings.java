package dev.gatehouse.jdbc.policy;

import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.jdbc.GatehouseSqlState;
import dev.gatehouse.jdbc.guard.GuardContext;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

/**
 * The policy guard's settings, read from the connection's {@code gatehouse.*} settings. The store password
 * never comes from the URL (it would end up in logs and pool configs): it is read from the environment
 * variable {@code GATEHOUSE_STORE_PASSWORD}, as {@code gatehouse serve} reads it.
 *
 * <p>Threads: Immutable; made on the thread that connects.
 *
 * @param policy      {@code gatehouse.policy}, absolute and normalised (one shared checkpoint per file)
 * @param storeUrl    {@code gatehouse.approvals}, default {@link Store#defaultUrl()}
 * @param storeUser   {@code gatehouse.approvals-user}; {@code sa} for H2 when not given
 * @param publicUrl   {@code gatehouse.public-url}: the approvals page, for the links in held statements' errors
 * @param audit       {@code gatehouse.audit-allows}: {@code off}, {@code all} or {@code sampled:N}
 * @param application what approvers see as the client application: the real URL without credentials
 */
record GuardSettings(Path policy, String storeUrl, String storeUser, String publicUrl, AuditSettings audit,
                     String application) {
    static final String DEFAULT_PUBLIC_URL = "http://127.0.0.1:8700";

    /** The store's password, from the environment only; empty for H2 without one. */
    String storePassword() {
        String p = System.getenv("GATEHOUSE_STORE_PASSWORD");
        return p == null && storeUrl.startsWith("jdbc:h2:") ? "" : p;
    }

    static GuardSettings of(GuardContext context) throws SQLException {
        Map<String, String> s = context.settings();
        String store = context.approvals() == null || context.approvals().isBlank()
                ? Store.defaultUrl() : context.approvals();
        if (!store.startsWith("jdbc:")) {
            throw bad("gatehouse.approvals", "expected the JDBC URL of the approvals store (jdbc:h2:, "
                    + "jdbc:postgresql: or jdbc:mysql:)");
        }
        String user = s.getOrDefault("gatehouse.approvals-user", store.startsWith("jdbc:h2:") ? "sa" : null);
        String publicUrl = s.getOrDefault("gatehouse.public-url", DEFAULT_PUBLIC_URL);
        while (publicUrl.endsWith("/")) {
            publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        }
        return new GuardSettings(Path.of(context.policyFile()).toAbsolutePath().normalize(), store, user, publicUrl,
                audit(s.get("gatehouse.audit-allows")), context.realUrl());
    }

    private static AuditSettings audit(String value) throws SQLException {
        if (value == null) {
            return AuditSettings.DEFAULT;
        }
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("off")) {
            return new AuditSettings(AuditSettings.AllowMode.OFF, AuditSettings.DEFAULT.sampleEvery(), false);
        }
        if (v.equals("all")) {
            return new AuditSettings(AuditSettings.AllowMode.ALL, 1, false);
        }
        if (v.startsWith("sampled:")) {
            try {
                int n = Integer.parseInt(v.substring("sampled:".length()));
                if (n >= 1) {
                    return new AuditSettings(AuditSettings.AllowMode.SAMPLED, n, false);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw bad("gatehouse.audit-allows", "expected off, all or sampled:N (N at least 1), got '" + value + "'");
    }

    private static SQLException bad(String key, String why) {
        return new SQLException("gatehouse: bad setting " + key + ": " + why, GatehouseSqlState.BAD_SETTING);
    }
}
