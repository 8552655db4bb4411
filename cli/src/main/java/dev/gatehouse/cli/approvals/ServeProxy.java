package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.enforce.catalog.DatabaseCheckpoints;
import dev.gatehouse.enforce.catalog.PostgresRelations;
import dev.gatehouse.enforce.catalog.SchemaChanges;
import dev.gatehouse.enforce.catalog.UpstreamCatalogs;
import dev.gatehouse.enforce.checkpoint.Checkpoint;
import dev.gatehouse.enforce.guard.PolicyGuard;
import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.proxy.ProxyConfig;
import dev.gatehouse.proxy.ProxyServer;
import dev.gatehouse.proxy.catalog.UpstreamConnector;
import dev.gatehouse.proxy.tls.PemTls;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Starts the wire proxy inside {@code serve}: one {@link Checkpoint} over serve's own policy and approvals
 * service (so a held statement is a request on this very page, and the approval URL in the client's notice is
 * serve's public URL), one {@link PolicyGuard} shared by every session. Names resolve against the schema file
 * when one is configured, else against each session's database's live catalog, which the proxy reads as the
 * catalog user ({@link UpstreamCatalogs}) and reads again after DDL the server confirmed.
 * Runs on the thread that starts {@code serve}; the proxy then runs on its own virtual threads.
 */
final class ServeProxy {
    private ServeProxy() {
    }

    /**
     * The running proxy and, without a schema file, the live catalogs it reads; closed in that order.
     *
     * @param catalogs null with a schema file
     */
    record Started(ProxyServer server, UpstreamCatalogs catalogs) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            if (catalogs != null) {
                catalogs.close();
            }
        }
    }

    /**
     * @param schema          the schema file's catalog, or null to read each database's live catalog
     * @param catalogPassword the catalog user's password (resolved from its variable or file), or null for none
     */
    static Started start(ProxySettings p, Catalog schema, Policy policy, ApprovalService service, AuditSettings audit,
                         String catalogPassword) throws IOException {
        Checkpoint checkpoint = new Checkpoint(policy, () -> service, audit, Gate.DEFAULT_MAXIMUM_SIZE);
        InetSocketAddress upstream = new InetSocketAddress(p.upstream().host(), p.upstream().port());
        UpstreamCatalogs catalogs = schema != null ? null : new UpstreamCatalogs(checkpoint, Dialect.POSTGRES,
                new UpstreamConnector(upstream, p.catalog().user(), catalogPassword, p.catalog().bounds().timeout()),
                PostgresRelations::new, p.catalog().bounds());
        DatabaseCheckpoints checkpoints = catalogs != null ? catalogs
                : DatabaseCheckpoints.same(checkpoint.forClient(Dialect.POSTGRES, schema));
        try {
            ProxyServer server = new ProxyServer(new ProxyConfig(
                    new InetSocketAddress(p.listen().host(), p.listen().port()), upstream,
                    p.tlsCert() == null ? null : new PemTls(p.tlsCert(), p.tlsKey()), p.limits(),
                    new PolicyGuard(checkpoints, policy, p.holdMode()), p.principal(), p.threads(),
                    catalogs != null ? catalogs : SchemaChanges.NONE))
                    .start();
            return new Started(server, catalogs);
        } catch (IOException | RuntimeException e) {
            if (catalogs != null) {
                catalogs.close();
            }
            throw e;
        }
    }
}
