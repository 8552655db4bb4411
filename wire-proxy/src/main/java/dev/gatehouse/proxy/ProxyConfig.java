package dev.gatehouse.proxy;

import dev.gatehouse.enforce.catalog.SchemaChanges;
import dev.gatehouse.enforce.guard.StatementGuard;
import dev.gatehouse.proxy.tls.TlsConfig;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Everything a {@link ProxyServer} needs.
 *
 * @param listen    where clients connect (port 0: any free port, see {@link ProxyServer#port()})
 * @param upstream  the real PostgreSQL server
 * @param tls       the certificate for client TLS, or null to answer 'N' to SSLRequest
 * @param limits    the bounds
 * @param guard     decides every statement (shared by all sessions, so thread-safe)
 * @param principal the principal for every session, or null to use each session's startup user
 * @param threads   which threads run the sessions
 * @param schemaChanges told of DDL the server confirmed, by database (the guard's live catalogs), or
 *                  {@link SchemaChanges#NONE}
 */
public record ProxyConfig(InetSocketAddress listen, InetSocketAddress upstream, TlsConfig tls, Limits limits,
                          StatementGuard guard, String principal, SessionThreads threads, SchemaChanges schemaChanges) {
    public ProxyConfig {
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(schemaChanges, "schemaChanges");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(guard, "guard");
    }

    /** A guard whose catalog never changes under the proxy (a schema file, none). */
    public ProxyConfig(InetSocketAddress listen, InetSocketAddress upstream, TlsConfig tls, Limits limits,
                       StatementGuard guard, String principal, SessionThreads threads) {
        this(listen, upstream, tls, limits, guard, principal, threads, SchemaChanges.NONE);
    }

    /** Sessions on {@link SessionThreads#PLATFORM} threads, the default. */
    public ProxyConfig(InetSocketAddress listen, InetSocketAddress upstream, TlsConfig tls, Limits limits,
                       StatementGuard guard, String principal) {
        this(listen, upstream, tls, limits, guard, principal, SessionThreads.PLATFORM);
    }
}
