package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.cli.SchemaFiles;
import dev.gatehouse.cli.UsageException;
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
import java.util.function.Function;

/**
 * Starts the wire proxy: one {@link Checkpoint} over the policy and a {@link RequesterPort}, one
 * {@link PolicyGuard} shared by every session. Names resolve against the schema file when one is configured, else
 * against each session's database's live catalog, which the proxy reads as the catalog user
 * ({@link UpstreamCatalogs}) and reads again after DDL the server confirmed. Inside {@code serve} the port is
 * serve's own approvals service (a held statement is a request on this very page); on a proxy host of its own
 * ({@code gatehouse proxy}) it is serve's requester API, so that host holds no store credentials.
 * Runs on the thread that starts the command; the proxy then runs on its own virtual threads.
 */
final class ServeProxy {
    private ServeProxy() {
    }

    /**
     * What the proxy resolves names against, read before anything opens (a bad schema file or an unset password
     * is a usage error with nothing to close).
     *
     * @param schema          the schema file's catalog for every database, or null for each database's live catalog
     * @param catalogPassword the catalog user's password (resolved from its variable or file), or null for none
     */
    record Names(Catalog schema, String catalogPassword) {
    }

    /** The running proxy and, without a schema file, the live catalogs it reads (null with one); closed in that order. */
    record Started(ProxyServer server, UpstreamCatalogs catalogs) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            if (catalogs != null) {
                catalogs.close();
            }
        }
    }

    /** @return null without a proxy */
    static Names names(ProxySettings p, Function<String, String> env) throws UsageException {
        if (p == null) {
            return null;
        }
        return p.schema() != null ? new Names(SchemaFiles.load(p.schema(), Dialect.POSTGRES, "public").catalog(), null)
                : new Names(null, p.catalog().password(env));
    }

    static Started start(ProxySettings p, Names names, Policy policy, RequesterPort approvals, AuditSettings audit)
            throws IOException {
        Checkpoint checkpoint = new Checkpoint(policy, () -> approvals, audit, Gate.DEFAULT_MAXIMUM_SIZE);
        InetSocketAddress upstream = new InetSocketAddress(p.upstream().host(), p.upstream().port());
        UpstreamCatalogs catalogs = names.schema() != null ? null : new UpstreamCatalogs(checkpoint, Dialect.POSTGRES,
                new UpstreamConnector(upstream, p.catalog().user(), names.catalogPassword(), p.catalog().bounds().timeout()),
                PostgresRelations::new, p.catalog().bounds());
        DatabaseCheckpoints checkpoints = catalogs != null ? catalogs
                : DatabaseCheckpoints.same(checkpoint.forClient(Dialect.POSTGRES, names.schema()));
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
