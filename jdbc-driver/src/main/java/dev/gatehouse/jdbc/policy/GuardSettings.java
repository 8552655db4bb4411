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
 * The policy guard's settings, read from the connection's {@code gatehouse.*} settings.
 *
 * <p>Where requests go ({@code gatehouse.approvals}) decides what the application's host can do to approvals:
 * <ul>
 *   <li>{@code http(s)://...}: {@code gatehouse serve}'s requester API, with a requester credential read from the
 *       file {@code gatehouse.requester-token-file} or the environment variable {@code GATEHOUSE_REQUESTER_TOKEN}
 *       (never the URL). The host holds no store credentials: it can open, wait on, claim and withdraw requests
 *       for the principals its credential names, and nothing more. The deployment to give an agent.</li>
 *   <li>{@code jdbc:...} (default: the embedded H2 file {@link Store#defaultUrl()}): the driver opens the store
 *       itself, and so can anything else on the host that reads the file or holds the store's password
 *       ({@code GATEHOUSE_STORE_PASSWORD}, never the URL): zero set-up on one machine, no protection from the
 *       host.</li>
 * </ul>
 *
 * <p>Threads: Immutable; made on the thread that connects.
 *
 * @param policy      {@code gatehouse.policy}, absolute and normalised (one shared checkpoint per file)
 * @param storeUrl    {@code gatehouse.approvals}: serve's URL or the store's JDBC URL, default {@link Store#defaultUrl()}
 * @param storeUser   {@code gatehouse.approvals-user}; {@code sa} for H2 when not given
 * @param requesterToken the requester credential, when {@code storeUrl} is serve's; else null
 * @param publicUrl   {@code gatehouse.public-url}: the approvals page, for the links in held statements' errors
 *                    (default: serve's URL when given, else {@link #DEFAULT_PUBLIC_URL})
 * @param audit       {@code gatehouse.audit-allows}: {@code off}, {@code all} or {@code sampled:N}
 */
record GuardSettings(Path policy, String storeUrl, String storeUser, String requesterToken, String publicUrl,
                     AuditSettings audit) {
    static final String DEFAULT_PUBLIC_URL = "http://127.0.0.1:8700";
    static final String TOKEN_ENV = "GATEHOUSE_REQUESTER_TOKEN";
    /** A token file is a few hundred bytes; a larger one is not one. */
    static final int MAX_TOKEN_FILE = 4096;

    /** Whether requests go to serve's requester API rather than a store the driver opens. */
    boolean remote() {
        return remote(storeUrl);
    }

    private static boolean remote(String store) {
        return store.startsWith("http://") || store.startsWith("https://");
    }

    /** The store's password, from the environment only; empty for H2 without one. */
    String storePassword() {
        String p = System.getenv("GATEHOUSE_STORE_PASSWORD");
        return p == null && storeUrl.startsWith("jdbc:h2:") ? "" : p;
    }

    static GuardSettings of(GuardContext context) throws SQLException {
        Map<String, String> s = context.settings();
        String store = context.approvals() == null || context.approvals().isBlank()
                ? Store.defaultUrl() : context.approvals();
        boolean remote = remote(store);
        if (!remote && !store.startsWith("jdbc:")) {
            throw bad("gatehouse.approvals", "expected gatehouse serve's URL (http:// or https://) or the JDBC URL of"
                    + " the approvals store (jdbc:h2:, jdbc:postgresql: or jdbc:mysql:)");
        }
        String token = null;
        if (remote) {
            if (s.containsKey("gatehouse.approvals-user")) {
                throw bad("gatehouse.approvals-user", "serve's API takes a requester credential, not a store user");
            }
            token = requesterToken(s.get("gatehouse.requester-token-file"));
        } else if (s.containsKey("gatehouse.requester-token-file")) {
            throw bad("gatehouse.requester-token-file", "only means something when gatehouse.approvals is serve's"
                    + " http(s) URL");
        }
        String user = remote ? null : s.getOrDefault("gatehouse.approvals-user", store.startsWith("jdbc:h2:") ? "sa" : null);
        String publicUrl = s.getOrDefault("gatehouse.public-url", remote ? store : DEFAULT_PUBLIC_URL);
        while (publicUrl.endsWith("/")) {
            publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        }
        return new GuardSettings(Path.of(context.policyFile()).toAbsolutePath().normalize(), store, user, token,
                publicUrl, audit(s.get("gatehouse.audit-allows")));
    }

    /** From the file named, else the environment; never from the URL (it ends up in logs and pool configs). */
    private static String requesterToken(String file) throws SQLException {
        String token;
        if (file != null) {
            try {
                byte[] b = java.nio.file.Files.readAllBytes(Path.of(file));
                if (b.length > MAX_TOKEN_FILE) {
                    throw bad("gatehouse.requester-token-file", "the file is too large to hold a token");
                }
                token = new String(b, java.nio.charset.StandardCharsets.UTF_8).strip();
            } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
                throw bad("gatehouse.requester-token-file", "cannot read it (" + e.getClass().getSimpleName() + ")");
            }
        } else {
            token = System.getenv(TOKEN_ENV);
        }
        if (token == null || !token.startsWith("ghr_")) {
            throw bad(file != null ? "gatehouse.requester-token-file" : "gatehouse.approvals", "serve's requester API"
                    + " needs a requester credential (ghr_...): in the file gatehouse.requester-token-file names, or in $"
                    + TOKEN_ENV + "; an operator issues one with: gatehouse requester token NAME --principal ...");
        }
        return token;
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
