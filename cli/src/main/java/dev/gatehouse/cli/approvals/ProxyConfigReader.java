package dev.gatehouse.cli.approvals;

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
 *   schema: schema.sql           # CREATE statements the policy resolves names and * against; absent: none
 *   limits: { max_connections: 1000, max_message_bytes: 67108864, startup_timeout: 30s, idle_timeout: 1h,
 *             max_hold_wait: 15m, hold_notice_interval: 30s }
 * </pre>
 */
final class ProxyConfigReader {
    static final List<String> KEYS = List.of("listen", "upstream", "tls", "hold_mode", "principal", "limits", "threads", "schema");
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
                p.string("schema").map(base::resolve).orElse(null));
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
