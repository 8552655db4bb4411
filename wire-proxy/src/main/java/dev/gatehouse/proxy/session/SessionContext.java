package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.catalog.SchemaChanges;
import dev.gatehouse.proxy.Limits;
import dev.gatehouse.proxy.SessionThreads;
import dev.gatehouse.enforce.guard.StatementGuard;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;

/**
 * What every session of one proxy shares: read-only settings plus the cancel registry.
 * Threads: read by every session's threads; the guard and the registry are thread-safe.
 *
 * @param ssl       the TLS context for clients, or null when TLS is not configured
 * @param principal the fixed principal, or null for the startup user
 * @param schemaChanges told of the DDL each session's server confirmed (the live catalogs)
 */
public record SessionContext(InetSocketAddress upstream, SSLContext ssl, Limits limits, StatementGuard guard,
                             String principal, CancelRegistry cancels, SessionThreads threads,
                             SchemaChanges schemaChanges) {

    /** Sessions whose catalog never changes under the proxy (a schema file, none). */
    public SessionContext(InetSocketAddress upstream, SSLContext ssl, Limits limits, StatementGuard guard,
                          String principal, CancelRegistry cancels, SessionThreads threads) {
        this(upstream, ssl, limits, guard, principal, cancels, threads, SchemaChanges.NONE);
    }
}
