package dev.gatehouse.cli.approvals;

import dev.gatehouse.policy.ReviewSpec.HoldMode;
import dev.gatehouse.proxy.Limits;
import dev.gatehouse.proxy.SessionThreads;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The wire proxy {@code serve} runs alongside the approvals API ({@code proxy:} in the config file, or the
 * {@code --proxy-*} flags). Immutable.
 *
 * @param listen    where PostgreSQL clients connect
 * @param upstream  the real PostgreSQL server
 * @param tlsCert   PEM certificate chain for client TLS, or null to refuse SSLRequest ('N')
 * @param tlsKey    PEM PKCS#8 private key, given exactly when {@code tlsCert} is
 * @param limits    the proxy's bounds (message size, connections, timeouts, maximum hold wait)
 * @param holdMode  wait or fail for every held statement, or null to follow each rule's {@code on_hold}
 * @param principal the principal for every session, or null for each session's startup user
 * @param threads   platform (default) or virtual threads for the sessions
 * @param schema    a schema file (CREATE statements) the policy resolves names and {@code *} against for every
 *                  database, or null to read each database's live catalog
 * @param catalog   how the live catalog is read (unused with a schema file)
 */
record ProxySettings(ServeSettings.HostPort listen, ServeSettings.HostPort upstream, Path tlsCert, Path tlsKey,
                     Limits limits, HoldMode holdMode, String principal, SessionThreads threads, Path schema,
                     CatalogSettings catalog) {
    static final ServeSettings.HostPort DEFAULT_LISTEN = new ServeSettings.HostPort("127.0.0.1", 6432);
    static final ServeSettings.HostPort DEFAULT_UPSTREAM = new ServeSettings.HostPort("127.0.0.1", 5432);
    static final ProxySettings DEFAULT = new ProxySettings(DEFAULT_LISTEN, DEFAULT_UPSTREAM, null, null,
            Limits.DEFAULTS, null, null, SessionThreads.PLATFORM, null, CatalogSettings.DEFAULT);

    ProxySettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(catalog, "catalog");
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and a key");
        }
    }

    /** The live catalog with its default settings. */
    ProxySettings(ServeSettings.HostPort listen, ServeSettings.HostPort upstream, Path tlsCert, Path tlsKey,
                  Limits limits, HoldMode holdMode, String principal, SessionThreads threads, Path schema) {
        this(listen, upstream, tlsCert, tlsKey, limits, holdMode, principal, threads, schema, CatalogSettings.DEFAULT);
    }

    ProxySettings withListen(ServeSettings.HostPort l) {
        return new ProxySettings(l, upstream, tlsCert, tlsKey, limits, holdMode, principal, threads, schema, catalog);
    }

    ProxySettings withUpstream(ServeSettings.HostPort u) {
        return new ProxySettings(listen, u, tlsCert, tlsKey, limits, holdMode, principal, threads, schema, catalog);
    }

    ProxySettings withSchema(Path file) {
        return new ProxySettings(listen, upstream, tlsCert, tlsKey, limits, holdMode, principal, threads, file, catalog);
    }

    ProxySettings withHoldMode(HoldMode m) {
        return new ProxySettings(listen, upstream, tlsCert, tlsKey, limits, m, principal, threads, schema, catalog);
    }

    ProxySettings withCatalog(CatalogSettings c) {
        return new ProxySettings(listen, upstream, tlsCert, tlsKey, limits, holdMode, principal, threads, schema, c);
    }
}
