package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.audit.AnchorPublisher;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.hooks.HookEvent;
import dev.gatehouse.approvals.hooks.HookTarget;
import dev.gatehouse.cli.BoundedFiles;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.policy.yaml.YamlDocument;
import dev.gatehouse.policy.yaml.YamlNode;
import dev.gatehouse.policy.yaml.YamlObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the {@code serve} configuration file with the policy loader's strict YAML machinery, so its errors look
 * the same: {@code file:line:column: field: what is wrong}, unknown keys and duplicate keys refused. Secrets are
 * accepted only as {@code *_env} (a variable's name) or {@code *_file} (a path); a secret written inline is an
 * error that names the key and never repeats the value. Relative paths are relative to the config file.
 * Runs once, on the thread that starts {@code serve}.
 */
final class ServeConfig {
    static final long MAX_FILE_BYTES = 1024 * 1024;
    static final List<String> TOP = List.of("version", "listen", "public_url", "policy", "store", "audit", "hooks", "inbound", "proxy");
    static final List<String> STORE = List.of("url", "user", "password_env", "password_file");
    static final List<String> AUDIT = List.of("allows", "sample_every", "redact_literals", "anchors");
    static final List<String> ANCHORS = List.of("file", "every");
    static final List<String> HOOK = List.of("kind", "url", "url_env", "url_file", "secret_env", "secret_file", "events");
    static final List<String> INBOUND = List.of("slack", "decision");
    static final List<String> SLACK = List.of("signing_secret_env", "signing_secret_file", "users");
    static final List<String> DECISION = List.of("secret_env", "secret_file");
    static final List<String> EVENT_TYPES = List.copyOf(new TreeSet<>(HookEvent.TYPES));
    /** A proxy host's file ({@code gatehouse proxy}): no store, no hooks, no API of its own. */
    static final List<String> PROXY_HOST_TOP = List.of("version", "policy", "public_url", "audit", "approvals", "proxy");
    static final List<String> APPROVALS = List.of("url", "token_env", "token_file");
    static final List<String> PROXY_HOST_AUDIT = List.of("allows", "sample_every");

    private final Path base;

    private ServeConfig(Path base) {
        this.base = base;
    }

    static ServeSettings load(Path file) throws PolicyException {
        byte[] bytes = BoundedFiles.read(file, MAX_FILE_BYTES, "config file");
        return new ServeConfig(file.toAbsolutePath().getParent()).read(YamlObject.root(YamlDocument.parse(file.toString(), bytes)));
    }

    /**
     * A proxy host's configuration ({@code gatehouse proxy}): the policy, the proxy, and where serve's requester API
     * is with the requester credential's variable or file. The keys only serve has (store, hooks, inbound, listen,
     * audit anchors and redaction) are refused: a proxy host keeps none of them.
     */
    static ProxyHostSettings loadProxyHost(Path file) throws PolicyException {
        byte[] bytes = BoundedFiles.read(file, MAX_FILE_BYTES, "config file");
        return new ServeConfig(file.toAbsolutePath().getParent()).readProxyHost(YamlObject.root(YamlDocument.parse(file.toString(), bytes)));
    }

    private ProxyHostSettings readProxyHost(YamlObject top) throws PolicyException {
        top.allowOnly(PROXY_HOST_TOP);
        version(top);
        top.required("approvals");
        top.required("proxy");
        top.required("policy");
        Optional<YamlObject> audit = top.object("audit");
        if (audit.isPresent()) {
            audit.get().allowOnly(PROXY_HOST_AUDIT); // redaction and anchors are serve's, which writes the audit
        }
        YamlObject a = top.object("approvals").orElseThrow();
        inlineSecret(a, "token", "token_env", "token_file");
        a.allowOnly(APPROVALS);
        String url = httpUrl(a, "url", a.requiredString("url"));
        ValueSource token = secret(a, "token_env", "token_file", true);
        Optional<String> publicUrl = top.string("public_url");
        return new ProxyHostSettings(base.resolve(top.requiredString("policy")), url, token,
                publicUrl.isPresent() ? httpUrl(top, "public_url", publicUrl.get()) : url, audit(top),
                ProxyConfigReader.read(top, base));
    }

    private static void version(YamlObject top) throws PolicyException {
        top.required("version");
        if (top.integer("version").orElseThrow() != 1) {
            throw YamlObject.error(top.node("version").orElseThrow().where(), "version", "only version 1 exists");
        }
    }

    private ServeSettings read(YamlObject top) throws PolicyException {
        top.allowOnly(TOP);
        version(top);
        ServeSettings s = ServeSettings.defaults();
        Optional<String> listen = top.string("listen");
        if (listen.isPresent()) {
            ServeSettings.HostPort hp = ServeSettings.HostPort.parse(listen.get());
            if (hp == null) {
                throw YamlObject.error(top.node("listen").orElseThrow().where(), "listen", "expected HOST:PORT, e.g. 127.0.0.1:8700");
            }
            s = s.withListen(hp);
        }
        Optional<String> url = top.string("public_url");
        if (url.isPresent()) {
            s = s.withPublicUrl(httpUrl(top, "public_url", url.get()));
        }
        Optional<String> policy = top.string("policy");
        if (policy.isPresent()) {
            s = s.withPolicy(base.resolve(policy.get()));
        }
        StoreSettings store = StoreSettings.DEFAULT;
        Optional<YamlObject> so = top.object("store");
        if (so.isPresent()) {
            YamlObject o = so.get();
            inlineSecret(o, "password", "password_env", "password_file");
            o.allowOnly(STORE);
            ValueSource pw = secret(o, "password_env", "password_file", false);
            Optional<String> storeUrl = o.string("url");
            if (storeUrl.isPresent() && storeUrl.get().toLowerCase(Locale.ROOT).contains("password=")) {
                // A JDBC URL can carry the password as a parameter: that is a secret written inline too.
                throw YamlObject.error(o.node("url").orElseThrow().where(), o.pathOf("url"), "holds a password: name it with "
                        + "password_env or password_file instead");
            }
            store = new StoreSettings(o.string("url").orElse(null), o.string("user").orElse(null), pw != null ? pw : store.password());
        }
        s = s.withStore(store);
        return new ServeSettings(s.listen(), s.publicUrl(), s.store(), s.policy(), audit(top), hooks(top), inbound(top),
                ProxyConfigReader.read(top, base), anchors(top));
    }

    /** {@code audit: anchors: {file, every}}; null when absent. The file is relative to the config file. */
    private ServeSettings.Anchors anchors(YamlObject top) throws PolicyException {
        Optional<YamlObject> audit = top.object("audit");
        Optional<YamlObject> found = audit.isPresent() ? audit.get().object("anchors") : Optional.empty();
        if (found.isEmpty()) {
            return null;
        }
        YamlObject a = found.get();
        a.allowOnly(ANCHORS);
        a.required("file");
        Duration every = a.duration("every").orElse(AnchorPublisher.DEFAULT_EVERY);
        if (!AnchorPublisher.allowedInterval(every)) {
            throw YamlObject.error(a.node("every").orElseThrow().where(), a.pathOf("every"),
                    "must be from 1s to 1h (how often the audit head is checked and, when it moved, anchored)");
        }
        return new ServeSettings.Anchors(base.resolve(a.requiredString("file")), every);
    }

    private static AuditSettings audit(YamlObject top) throws PolicyException {
        Optional<YamlObject> found = top.object("audit");
        if (found.isEmpty()) {
            return AuditSettings.DEFAULT;
        }
        YamlObject a = found.get();
        a.allowOnly(AUDIT);
        AuditSettings.AllowMode mode = a.enumValue("allows", YamlObject.lowerNames(AuditSettings.AllowMode.values()),
                n -> AuditSettings.AllowMode.valueOf(n.toUpperCase(Locale.ROOT))).orElse(AuditSettings.DEFAULT.allows());
        int every = a.integer("sample_every").orElse(AuditSettings.DEFAULT.sampleEvery());
        if (every < 1) {
            throw YamlObject.error(a.node("sample_every").orElseThrow().where(), a.pathOf("sample_every"),
                    "must be at least 1 (one allowed statement in this many is audited)");
        }
        if (a.has("sample_every") && mode != AuditSettings.AllowMode.SAMPLED) {
            throw YamlObject.error(a.keyAt("sample_every"), a.pathOf("sample_every"), "only means something with allows: sampled");
        }
        return new AuditSettings(mode, every, a.bool("redact_literals").orElse(false));
    }

    private List<ServeSettings.Hook> hooks(YamlObject top) throws PolicyException {
        Optional<List<YamlNode>> items = top.list("hooks");
        if (items.isEmpty()) {
            return List.of();
        }
        List<ServeSettings.Hook> out = new ArrayList<>();
        for (int i = 0; i < items.get().size(); i++) {
            YamlObject h = YamlObject.of(items.get().get(i), "hooks[" + i + "]");
            inlineSecret(h, "secret", "secret_env", "secret_file");
            h.allowOnly(HOOK);
            h.required("kind");
            HookTarget.Kind kind = h.enumValue("kind", YamlObject.lowerNames(HookTarget.Kind.values()),
                    n -> HookTarget.Kind.valueOf(n.toUpperCase(Locale.ROOT))).orElseThrow();
            ValueSource url;
            if (h.has("url")) {
                if (kind != HookTarget.Kind.GENERIC) {
                    // Slack and Teams incoming-web-hook URLs embed their token: they are secrets like any other.
                    throw YamlObject.error(h.keyAt("url"), h.pathOf("url"), "a " + kind.name().toLowerCase(Locale.ROOT)
                            + " web hook URL holds a token: give it as url_env (a variable's name) or url_file (a path), never inline");
                }
                if (h.has("url_env") || h.has("url_file")) {
                    throw YamlObject.error(h.keyAt("url"), h.pathOf("url"), "give one of url, url_env, url_file");
                }
                url = new ValueSource.Plain(httpUrl(h, "url", h.requiredString("url")), h.keyAt("url") + ": " + h.pathOf("url"));
            } else {
                url = secret(h, "url_env", "url_file", true);
            }
            ValueSource secret = secret(h, "secret_env", "secret_file", false);
            if (kind == HookTarget.Kind.GENERIC && secret == null) {
                throw YamlObject.error(h.where(), h.pathOf("secret_env"),
                        "a generic hook is signed: give secret_env or secret_file (an unsigned hook could be forged)");
            }
            out.add(new ServeSettings.Hook(kind, url, secret, Set.copyOf(h.enums("events", EVENT_TYPES, n -> n))));
        }
        return out;
    }

    private ServeSettings.Inbound inbound(YamlObject top) throws PolicyException {
        Optional<YamlObject> found = top.object("inbound");
        if (found.isEmpty()) {
            return ServeSettings.Inbound.NONE;
        }
        YamlObject in = found.get();
        in.allowOnly(INBOUND);
        ValueSource slackSecret = null;
        Map<String, String> users = new LinkedHashMap<>();
        Optional<YamlObject> slack = in.object("slack");
        if (slack.isPresent()) {
            YamlObject s = slack.get();
            inlineSecret(s, "signing_secret", "signing_secret_env", "signing_secret_file");
            s.allowOnly(SLACK);
            slackSecret = secret(s, "signing_secret_env", "signing_secret_file", true);
            Optional<YamlObject> map = s.object("users");
            if (map.isEmpty() || map.get().isEmpty()) {
                throw YamlObject.error(s.keyAt("users"), s.pathOf("users"),
                        "map Slack user ids to approvers, e.g. users: { U024BE7LH: alice } (nobody could vote otherwise)");
            }
            for (YamlNode.Field f : map.get().fields().values()) {
                users.put(f.name(), YamlObject.text(f.value(), map.get().pathOf(f.name())));
            }
        }
        ValueSource decision = null;
        Optional<YamlObject> d = in.object("decision");
        if (d.isPresent()) {
            inlineSecret(d.get(), "secret", "secret_env", "secret_file");
            d.get().allowOnly(DECISION);
            decision = secret(d.get(), "secret_env", "secret_file", true);
        }
        return new ServeSettings.Inbound(slackSecret, users, decision);
    }

    /** Refuses a secret written in the file; the message names the key and the alternatives, not the value. */
    static void inlineSecret(YamlObject o, String key, String env, String file) throws PolicyException {
        if (o.has(key)) {
            throw YamlObject.error(o.keyAt(key), o.pathOf(key), "secrets are never written in the config file: name an "
                    + "environment variable with " + env + " or a file with " + file);
        }
    }

    /** One of {@code envKey}/{@code fileKey}; null when neither is given and not required. */
    private ValueSource secret(YamlObject o, String envKey, String fileKey, boolean required) throws PolicyException {
        return secret(o, base, envKey, fileKey, required);
    }

    /** As above, a file relative to {@code base} (the config file's directory); for the other sections' readers. */
    static ValueSource secret(YamlObject o, Path base, String envKey, String fileKey, boolean required)
            throws PolicyException {
        if (o.has(envKey) && o.has(fileKey)) {
            throw YamlObject.error(o.keyAt(fileKey), o.pathOf(fileKey), "give " + envKey + " or " + fileKey + ", not both");
        }
        if (o.has(envKey)) {
            String name = o.requiredString(envKey);
            if (!variableName(name)) {
                throw YamlObject.error(o.node(envKey).orElseThrow().where(), o.pathOf(envKey),
                        "expected the NAME of an environment variable (letters, digits, _), not a value");
            }
            return new ValueSource.Env(name, o.keyAt(envKey) + ": " + o.pathOf(envKey));
        }
        if (o.has(fileKey)) {
            return new ValueSource.File(base.resolve(o.requiredString(fileKey)), o.keyAt(fileKey) + ": " + o.pathOf(fileKey));
        }
        if (required) {
            throw YamlObject.error(o.where(), o.pathOf(envKey), "missing: give " + envKey + " or " + fileKey);
        }
        return null;
    }

    /** Char-level check, so a pasted secret (which would then be echoed as a "name") is refused early. */
    private static boolean variableName(String s) {
        if (s.length() > 100) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String httpUrl(YamlObject o, String key, String text) throws PolicyException {
        try {
            URI u = new URI(text);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            }
        } catch (URISyntaxException e) {
            // falls through to the error below
        }
        throw YamlObject.error(o.node(key).orElseThrow().where(), o.pathOf(key), "expected an absolute http(s) URL");
    }
}
