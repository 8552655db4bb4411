package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.enforce.checkpoint.Checkpoint;
import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.proxy.ProxyConfig;
import dev.gatehouse.proxy.ProxyServer;
import dev.gatehouse.enforce.guard.PolicyGuard;
import dev.gatehouse.proxy.tls.PemTls;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Starts the wire proxy inside {@code serve}: one {@link Checkpoint} over serve's own policy and approvals
 * service (so a held statement is a request on this very page, and the approval URL in the client's notice is
 * serve's public URL), one {@link PolicyGuard} shared by every session, resolving names against the
 * catalog of the proxy's schema file when one is configured (see that guard for what happens without).
 * Runs on the thread that starts {@code serve}; the proxy then runs on its own virtual threads.
 */
final class ServeProxy {
    private ServeProxy() {
    }

    static ProxyServer start(ProxySettings p, Catalog catalog, Policy policy, ApprovalService service,
                             AuditSettings audit) throws IOException {
        Checkpoint checkpoint = new Checkpoint(policy, () -> service, audit, Gate.DEFAULT_MAXIMUM_SIZE);
        PolicyGuard guard = new PolicyGuard(checkpoint.forClient(Dialect.POSTGRES, catalog), policy,
                p.holdMode());
        return new ProxyServer(new ProxyConfig(new InetSocketAddress(p.listen().host(), p.listen().port()),
                new InetSocketAddress(p.upstream().host(), p.upstream().port()),
                p.tlsCert() == null ? null : new PemTls(p.tlsCert(), p.tlsKey()), p.limits(), guard, p.principal(),
                p.threads()))
                .start();
    }
}
