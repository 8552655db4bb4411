package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.Limits;
import dev.gatehouse.proxy.SessionThreads;
import dev.gatehouse.enforce.guard.StatementGuard;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;

/**
 * What every session of one proxy shares: read-only settings plus the cancel registry.
 *
 * @param ssl       the TLS context for clients, or null when TLS is not configured
 * @param principal the fixed principal, or null for the startup user
 */
public record SessionContext(InetSocketAddress upstream, SSLContext ssl, Limits limits, StatementGuard guard,
                             String principal, CancelRegistry cancels, SessionThreads threads) {
}
