package dev.gatehouse.cli.approvals;

import dev.gatehouse.cli.Command;
import dev.gatehouse.cli.Options;
import dev.gatehouse.cli.Terminal;
import dev.gatehouse.cli.UsageException;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.policy.ReviewSpec.HoldMode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * {@code gatehouse serve}: the approvals API, the DBA page and the web hooks, configured by {@code --config
 * FILE} with flags laid over it. Runs on the CLI main thread, which then waits for the shutdown hook.
 */
public final class ServeCommand implements Command {
    static final List<Options.Spec> OPTIONS = StoreSettings.withStoreOptions(
            new Options.Spec("--config", "FILE", "the serve configuration (YAML, see examples/serve.yaml); the flags below override it"),
            new Options.Spec("--policy", "FILE", "the policy file whose approvers: section says who may vote"),
            new Options.Spec("--listen", "HOST:PORT", "where to listen (default 127.0.0.1:8700)"),
            new Options.Spec("--public-url", "URL", "the page's address as approvers reach it, used in hook messages"),
            new Options.Spec("--proxy-listen", "HOST:PORT", "also run the PostgreSQL wire proxy, listening here (default 127.0.0.1:6432 when proxy: is configured)"),
            new Options.Spec("--proxy-upstream", "HOST:PORT", "the PostgreSQL server the proxy forwards to (default 127.0.0.1:5432)"),
            new Options.Spec("--proxy-hold-mode", "wait|fail", "how the proxy holds statements a rule reviews (default: each rule's on_hold)"),
            new Options.Spec("--proxy-schema", "FILE", "CREATE statements the proxy's policy resolves names and * against, for every database (default: each database's live catalog)"),
            new Options.Spec("--proxy-catalog-user", "NAME", "the user the proxy reads each database's live catalog as (default: the JDBC driver's, the OS user)"),
            new Options.Spec("--proxy-catalog-password-file", "FILE", "a file holding that user's password (default: $" + CatalogSettings.PASSWORD_ENV + "); never a flag value"));

    private final Function<String, String> env;

    public ServeCommand() {
        this(System::getenv);
    }

    ServeCommand(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "run the approvals API, the DBA page and the web hooks";
    }

    @Override
    public String help() {
        return """
                Usage: gatehouse serve [--config FILE] [--policy FILE] [--listen HOST:PORT] [--public-url URL]
                                       [--store JDBC-URL] [--store-user NAME] [--store-password-file FILE]
                                       [--proxy-listen HOST:PORT] [--proxy-upstream HOST:PORT] [--proxy-hold-mode wait|fail]
                                       [--proxy-schema FILE] [--proxy-catalog-user NAME]
                                       [--proxy-catalog-password-file FILE]

                Runs the approvals HTTP API, the DBA page, outbound web hooks (generic signed JSON, Slack, Teams)
                and the inbound decision routes (/hooks/slack/interactivity, /hooks/decision) until stopped.
                With proxy: in the config or any --proxy-* flag it also runs the PostgreSQL wire proxy: point psql
                at it and every statement is decided by the policy, held ones on this server's page. Without a
                schema file the proxy reads each database's catalog itself, as the catalog user, and reads it again
                after DDL that passes through it and every minute; statements of a database whose catalog it
                cannot read are refused (ZG003).
                Secrets (store and catalog passwords, hook secrets, Slack signing secret) come only from environment variables
                or files named in the config, never from flags or the file itself.
                Exit code: 2 for a bad command line, config or policy file, 3 when the store cannot be reached.

                """ + Options.describe(OPTIONS);
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws UsageException {
        ServeSettings settings = settings(Options.parse(args, OPTIONS, false));
        return Failures.reported(name(), terminal, () -> {
            Serve.Running running = Serve.start(settings, env);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.close();
                stopped.countDown();
            }, "gatehouse-serve-shutdown"));
            Serve.warnings(running, settings).forEach(terminal.err()::println);
            terminal.out().println(Serve.describe(running, settings));
            terminal.out().flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        });
    }

    /** The config file (if any) with the flags laid over it. */
    static ServeSettings settings(Options options) throws UsageException {
        ServeSettings s;
        try {
            s = options.value("--config").isPresent() ? ServeConfig.load(Path.of(options.value("--config").get()))
                    : ServeSettings.defaults();
        } catch (PolicyException e) {
            throw new UsageException(e.getMessage());
        }
        if (options.value("--listen").isPresent()) {
            ServeSettings.HostPort hp = ServeSettings.HostPort.parse(options.value("--listen").get());
            if (hp == null) {
                throw new UsageException("--listen wants HOST:PORT, e.g. 127.0.0.1:8700");
            }
            s = s.withListen(hp);
        }
        s = options.value("--public-url").map(s::withPublicUrl).orElse(s);
        s = options.value("--policy").map(Path::of).map(s::withPolicy).orElse(s);
        return s.withStore(s.store().override(options)).withProxy(proxy(s.proxy(), options));
    }

    /** The config file's proxy: section with the --proxy-* flags laid over it; any flag turns the proxy on. */
    private static ProxySettings proxy(ProxySettings configured, Options options) throws UsageException {
        ProxySettings p = configured;
        if (options.value("--proxy-listen").isPresent()) {
            p = (p == null ? ProxySettings.DEFAULT : p).withListen(hostPort(options.value("--proxy-listen").get(), "--proxy-listen"));
        }
        if (options.value("--proxy-upstream").isPresent()) {
            p = (p == null ? ProxySettings.DEFAULT : p).withUpstream(hostPort(options.value("--proxy-upstream").get(), "--proxy-upstream"));
        }
        if (options.value("--proxy-hold-mode").isPresent()) {
            String mode = options.value("--proxy-hold-mode").get();
            if (!mode.equals("wait") && !mode.equals("fail")) {
                throw new UsageException("--proxy-hold-mode wants wait or fail");
            }
            p = (p == null ? ProxySettings.DEFAULT : p).withHoldMode(HoldMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)));
        }
        if (options.value("--proxy-schema").isPresent()) {
            p = (p == null ? ProxySettings.DEFAULT : p).withSchema(Path.of(options.value("--proxy-schema").get()));
        }
        if (options.value("--proxy-catalog-user").isPresent()) {
            p = (p == null ? ProxySettings.DEFAULT : p);
            p = p.withCatalog(p.catalog().withUser(options.value("--proxy-catalog-user").get()));
        }
        if (options.value("--proxy-catalog-password-file").isPresent()) {
            p = (p == null ? ProxySettings.DEFAULT : p);
            p = p.withCatalog(p.catalog().withPassword(new ValueSource.File(
                    Path.of(options.value("--proxy-catalog-password-file").get()), "--proxy-catalog-password-file")));
        }
        return p;
    }

    private static ServeSettings.HostPort hostPort(String text, String flag) throws UsageException {
        ServeSettings.HostPort hp = ServeSettings.HostPort.parse(text);
        if (hp == null) {
            throw new UsageException(flag + " wants HOST:PORT, e.g. 127.0.0.1:6432");
        }
        return hp;
    }
}
