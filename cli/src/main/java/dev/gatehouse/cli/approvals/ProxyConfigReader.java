package dev.gatehouse.cli.approvals;

import dev.gatehouse.enforce.catalog.UpstreamCatalogs;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.policy.yaml.YamlObject;
import dev.gatehouse.proxy.Limits;
import dev.gatehouse.proxy.SessionThreads;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the {@code proxy:} section of the serve config with the same strict YAML machinery as the rest of the
 * file: unknown keys, malformed addresses and out-of-range limits are errors naming the file, line and field.
 * Runs once, on the thread that starts {@code serve}.
 *
 * <pre>
 * proxy:
 *   listen: 127.0.0.1:6432
 *   upstream: 127.0.0.1:5432
 *   tls: { cert_file: proxy.crt, key_file: proxy.key }
 *   hold_mode: wait              # or fail; absent: each rule's on_hold
 *   principal: NAME              # absent: each session's startup user
 *   threads: platform            # or virtual (see SessionThreads)
 *   schema: schema.sql           # CREATE statements every database's names and * resolve against; absent:
 *                                # each database's live catalog, read as below
 *   catalog:                     # the live catalog (not with schema:)
 *     user: gatehouse_catalog    # the user the proxy reads it as; absent: the JDBC driver's default (OS user)
 *     password_env: VARIABLE     # or password_file: FILE; absent: $GATEHOUSE_CATALOG_PASSWORD if set, else none
 *     refresh: 1m                # read again this often (DDL through the proxy: at once)
 *     timeout: 5s                # bounds connect, each metadata query and the wait for another's
 *     max_databases: 64          # catalogs (and connections) kept at once, the least used closed first
 *     max_relations: 4096        # tables and views each keeps
 *   limits: { max_connections: 1000, max_message_bytes: 67108864, startup_timeout: 30s, idle_timeout: 1h,
 *             max_hold_wait: 15m, hold_notice_interval: 30s }
 * </pre>
 *
 * <p>Without {@code schema:} the proxy reads each database's catalog (tables, views, their columns, schemas) over
 * a connection of its own to the upstream server, as the catalog user, the first time a session of that
 * database sends a statement. That user needs CONNECT on the databases and nothing else (the catalog is readable by
 * any user). A catalog that cannot be read refuses its database's statements (ZG003, fail closed); give
 * {@code schema:} instead for databases the proxy may not query.
 */
final class ProxyConfigReader {
    static final List<String> KEYS = List.of("listen", "upstream", "tls", "hold_mode", "principal", "limits", "threads", "schema",
            "catalog");
    static final List<String> CATALOG = List.of("user", "password_env", "password_file", "refresh", "timeout",
            "max_databases", "max_relations");
    static final List<String> TLS = List.of("cert_file", "key_file");
    static final List<String> LIMITS = List.of("max_connections", "max_message_bytes", "startup_timeout",
            "idle_timeout", "max_hold_wait", "hold_notice_interval");

    private ProxyConfigReader() {
    }

    /** @return null when the file has no {@code proxy:} section */
    static ProxySettings read(YamlObject top, Path base) throws PolicyException {
        Optional<YamlObject> found = top.object("proxy");
        if (found.isEmpty()) {
            return null;
        }
        YamlObject p = found.get();
        p.allowOnly(KEYS);
        ProxySettings d = ProxySettings.DEFAULT;
        Path cert = null;
        Path key = null;
        Optional<YamlObject> tls = p.object("tls");
        if (tls.isPresent()) {
            YamlObject t = tls.get();
            t.allowOnly(TLS);
            cert = base.resolve(t.requiredString("cert_file"));
            key = base.resolve(t.requiredString("key_file"));
        }
        HoldMode mode = p.enumValue("hold_mode", YamlObject.lowerNames(HoldMode.values()),
                n -> HoldMode.valueOf(n.toUpperCase(Locale.ROOT))).orElse(null);
        return new ProxySettings(hostPort(p, "listen", d.listen()), hostPort(p, "upstream", d.upstream()), cert, key,
                limits(p), mode, p.string("principal").orElse(null),
                p.enumValue("threads", YamlObject.lowerNames(SessionThreads.values()),
                        n -> SessionThreads.valueOf(n.toUpperCase(Locale.ROOT))).orElse(d.threads()),
                p.string("schema").map(base::resolve).orElse(null), catalog(p, base));
    }

    /** {@code proxy.catalog}: who reads the live catalog, and its bounds. */
    private static CatalogSettings catalog(YamlObject p, Path base) throws PolicyException {
        Optional<YamlObject> found = p.object("catalog");
        if (found.isEmpty()) {
            return CatalogSettings.DEFAULT;
        }
        YamlObject c = found.get();
        if (p.has("schema")) {
            throw YamlObject.error(p.keyAt("catalog"), p.pathOf("catalog"), "give schema (a file for every database) or"
                    + " catalog (each database's live catalog), not both");
        }
        ServeConfig.inlineSecret(c, "password", "password_env", "password_file");
        c.allowOnly(CATALOG);
        UpstreamCatalogs.Settings d = UpstreamCatalogs.Settings.DEFAULTS;
        UpstreamCatalogs.Settings bounds = new UpstreamCatalogs.Settings(atLeast(c, "max_databases", d.maxDatabases(), 1),
                atLeast(c, "max_relations", d.maxRelations(), 1), positive(c, "refresh", d.refreshEvery()),
                positive(c, "timeout", d.timeout()));
        return new CatalogSettings(c.string("user").orElse(null),
                ServeConfig.secret(c, base, "password_env", "password_file", false), bounds);
    }

    private static ServeSettings.HostPort hostPort(YamlObject o, String key, ServeSettings.HostPort fallback)
            throws PolicyException {
        Optional<String> text = o.string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        ServeSettings.HostPort hp = ServeSettings.HostPort.parse(text.get());
        if (hp == null) {
            throw YamlObject.error(o.node(key).orElseThrow().where(), o.pathOf(key), "expected HOST:PORT, e.g. 127.0.0.1:6432");
        }
        return hp;
    }

    private static Limits limits(YamlObject p) throws PolicyException {
        Limits l = Limits.DEFAULTS;
        Optional<YamlObject> found = p.object("limits");
        if (found.isEmpty()) {
            return l;
        }
        YamlObject o = found.get();
        o.allowOnly(LIMITS);
        int connections = atLeast(o, "max_connections", l.maxConnections(), 1);
        int messageBytes = atLeast(o, "max_message_bytes", l.maxMessageSize(), 1024);
        Duration startup = positive(o, "startup_timeout", l.startupTimeout());
        Duration idle = positive(o, "idle_timeout", l.idleTimeout());
        Duration holdWait = positive(o, "max_hold_wait", l.maxHoldWait());
        Duration notice = positive(o, "hold_notice_interval", l.holdNoticeInterval());
        return l.withMaxConnections(connections).withMaxMessageSize(messageBytes).withTimeouts(startup, idle)
                .withHold(holdWait, notice);
    }

    private static int atLeast(YamlObject o, String key, int fallback, int min) throws PolicyException {
        int v = o.integer(key).orElse(fallback);
        if (v < min) {
            throw YamlObject.error(o.node(key).orElseThrow().where(), o.pathOf(key), "must be at least " + min);
        }
        return v;
    }

    private static Duration positive(YamlObject o, String key, Duration fallback) throws PolicyException {
        Duration d = o.duration(key).orElse(fallback);
        if (d.isZero() || d.isNegative()) {
            throw YamlObject.error(o.node(key).orElseThrow().where(), o.pathOf(key), "must be longer than zero");
        }
        return d;
    }
}
