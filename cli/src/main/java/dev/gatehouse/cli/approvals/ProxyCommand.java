package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.requester.RemoteRequester;
import dev.gatehouse.cli.Command;
import dev.gatehouse.cli.Options;
import dev.gatehouse.cli.Terminal;
import dev.gatehouse.cli.UsageException;
import dev.gatehouse.enforce.catalog.UpstreamCatalogs;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.proxy.ProxyServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * {@code gatehouse proxy}: the PostgreSQL wire proxy on a host of its own. Its held statements become requests at
 * {@code gatehouse serve} through serve's requester API, with a requester credential ({@code gatehouse requester
 * token}); the host holds no store credentials and no approver token, so whoever controls it can hold, wait on,
 * claim and withdraw requests for the principals the credential names, and nothing more. Runs on the CLI main
 * thread, which then waits for the shutdown hook.
 */
public final class ProxyCommand implements Command {
    static final List<Options.Spec> OPTIONS = List.of(
            new Options.Spec("--config", "FILE", "the proxy host's configuration (YAML: version, policy, approvals, proxy, audit, public_url)"),
            new Options.Spec("--listen", "HOST:PORT", "where the proxy listens (overrides proxy.listen)"));

    private final Function<String, String> env;

    public ProxyCommand() {
        this(System::getenv);
    }

    ProxyCommand(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public String summary() {
        return "run the PostgreSQL wire proxy alone, its held statements approved at a gatehouse serve";
    }

    @Override
    public String help() {
        return """
                Usage: gatehouse proxy --config FILE [--listen HOST:PORT]

                Runs the PostgreSQL wire proxy on this host. Every statement is decided by the policy; held ones
                become requests at the gatehouse serve named by approvals.url, reached with the requester
                credential in approvals.token_env (a variable's name) or approvals.token_file. The host keeps no
                approvals store: it cannot vote, issue tokens or change what serve holds. Names resolve against
                each database's live catalog, read as proxy.catalog.user (see serve's proxy section), or against
                proxy.schema, a file of CREATE statements.

                    version: 1
                    policy: policy.yaml
                    approvals: { url: "https://gatehouse.internal:8700", token_file: /etc/gatehouse/requester.token }
                    proxy: { listen: "0.0.0.0:6432", upstream: "db.internal:5432" }

                Exit code: 2 for a bad command line, config, policy or credential.

                """ + Options.describe(OPTIONS);
    }

    /**
     * What {@code gatehouse proxy} started, stopped in reverse order.
     *
     * @param catalogs the proxy's live catalogs, or null with a schema file
     */
    record Running(ProxyServer proxy, UpstreamCatalogs catalogs, RemoteRequester approvals) implements AutoCloseable {
        @Override
        public void close() {
            proxy.close();
            if (catalogs != null) {
                catalogs.close();
            }
            approvals.close();
        }
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws UsageException {
        Options o = Options.parse(args, OPTIONS, false);
        ProxyHostSettings settings;
        try {
            settings = ServeConfig.loadProxyHost(Path.of(o.required("--config")));
        } catch (PolicyException e) {
            throw new UsageException(e.getMessage());
        }
        if (o.value("--listen").isPresent()) {
            ServeSettings.HostPort hp = ServeSettings.HostPort.parse(o.value("--listen").get());
            if (hp == null) {
                throw new UsageException("--listen wants HOST:PORT, e.g. 127.0.0.1:6432");
            }
            settings = settings.withListen(hp);
        }
        ProxyHostSettings s = settings;
        return Failures.reported(name(), terminal, () -> {
            Running running = start(s, env);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.close();
                stopped.countDown();
            }, "gatehouse-proxy-shutdown"));
            terminal.out().println("gatehouse proxy: PostgreSQL proxy on " + s.proxy().listen().host() + ":"
                    + running.proxy().port() + " to " + s.proxy().upstream() + "; held statements go to "
                    + s.approvalsUrl());
            terminal.out().flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        });
    }

    /**
     * @param env the environment the credential is read from ({@code System::getenv} outside tests)
     * @throws UsageException for a bad policy or schema file, or a credential that is unset or not one
     */
    static Running start(ProxyHostSettings s, Function<String, String> env) throws UsageException, IOException {
        Policy policy;
        try {
            policy = Policy.load(s.policy());
        } catch (PolicyException e) {
            throw new UsageException(e.getMessage());
        }
        ServeProxy.Names names = ServeProxy.names(s.proxy(), env);
        RemoteRequester approvals;
        try {
            approvals = new RemoteRequester(s.approvalsUrl(), ValueSource.resolve(s.token(), env), s.publicUrl(), s.audit());
        } catch (IllegalArgumentException e) {
            throw new UsageException(s.token().where() + ": " + e.getMessage());
        }
        try {
            ServeProxy.Started proxy = ServeProxy.start(s.proxy(), names, policy, approvals, s.audit());
            return new Running(proxy.server(), proxy.catalogs(), approvals);
        } catch (IOException | RuntimeException e) {
            approvals.close();
            throw e;
        }
    }
}
