package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.cli.SchemaFiles;
import dev.gatehouse.cli.UsageException;
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
 * Starts the wire proxy: one {@link Checkpoint} over the policy and a {@link RequesterPort}, one
 * {@link PolicyGuard} shared by every session, resolving names against the catalog of the proxy's schema file
 * when one is configured (see that guard for what happens without). Inside {@code serve} the port is serve's own
 * approvals service (a held statement is a request on this very page); on a proxy host of its own
 * ({@code gatehouse proxy}) it is serve's requester API, so that host holds no store credentials.
 * Runs on the thread that starts the command; the proxy then runs on its own virtual threads.
 */
final class ServeProxy {
    private ServeProxy() {
    }

    /** The catalog of the proxy's schema file, or none; read before anything opens (a bad file is a usage error). */
    static Catalog catalog(ProxySettings p) throws UsageException {
        return p == null || p.schema() == null ? Catalog.EMPTY
                : SchemaFiles.load(p.schema(), Dialect.POSTGRES, "public").catalog();
    }

    static ProxyServer start(ProxySettings p, Catalog catalog, Policy policy, RequesterPort approvals,
                             AuditSettings audit) throws IOException {
        Checkpoint checkpoint = new Checkpoint(policy, () -> approvals, audit, Gate.DEFAULT_MAXIMUM_SIZE);
        PolicyGuard guard = new PolicyGuard(checkpoint.forClient(Dialect.POSTGRES, catalog), policy,
                p.holdMode());
        return new ProxyServer(new ProxyConfig(new InetSocketAddress(p.listen().host(), p.listen().port()),
                new InetSocketAddress(p.upstream().host(), p.upstream().port()),
                p.tlsCert() == null ? null : new PemTls(p.tlsCert(), p.tlsKey()), p.limits(), guard, p.principal(),
                p.threads()))
                .start();
    }
}
