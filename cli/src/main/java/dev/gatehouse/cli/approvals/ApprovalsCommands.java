package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.audit.AuditVerifier;
import dev.gatehouse.approvals.http.ApiServer;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.approvals.store.StoreUnavailableException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The approvals commands of {@code bin/gatehouse}: {@code serve}, {@code approvals list|show|approve|deny},
 * {@code audit verify|export}, {@code approver token NAME}. {@code serve}, {@code audit} and {@code approver}
 * use the store directly; {@code approvals} talks to a running server's HTTP API, so a vote from the terminal
 * goes through the same token, eligibility and audit path as one from the page. Runs on the CLI main thread.
 */
public final class ApprovalsCommands {
    /** The commands this class answers; Main dispatches these names here. */
    public static final Set<String> COMMANDS = Set.of("serve", "approvals", "audit", "approver");

    private ApprovalsCommands() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return switch (args[0]) {
                case "serve" -> serve(args, out, err);
                case "approvals" -> ApprovalsClient.run(args, out, err);
                case "audit" -> audit(args, out, err);
                case "approver" -> approver(args, out, err);
                default -> {
                    err.println("gatehouse: unknown command " + args[0]);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("gatehouse " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (StoreUnavailableException e) {
            err.println("gatehouse " + args[0] + ": " + e.getMessage());
            return 3;
        } catch (IOException e) {
            err.println("gatehouse " + args[0] + ": " + e.getMessage());
            return 1;
        }
    }

    private static Set<String> flags(Set<String> own) {
        Set<String> all = new HashSet<>(own);
        all.addAll(StoreConfig.FLAGS);
        return all;
    }

    static final String SERVE_HELP = """
            gatehouse serve [--policy FILE] [--listen HOST:PORT] [--public-url URL]
                            [--store JDBC-URL] [--store-user NAME] [--store-password-file FILE]
              Runs the approvals HTTP API and the DBA page (default 127.0.0.1:8700).
              --policy              policy file whose approvers: section names who may vote
              --store               jdbc:h2:..., jdbc:postgresql:... or jdbc:mysql:...; default an H2 file
                                    under $GATEHOUSE_HOME (or ./.gatehouse). Password from
                                    $GATEHOUSE_STORE_PASSWORD or --store-password-file, never a flag.
            """;

    /** Everything {@code serve} started, so tests and the shutdown hook can stop it. */
    public record Running(Store store, ApprovalService service, ApiServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            service.close();
            store.close();
        }
    }

    public static Running start(Flags f) throws IOException {
        Map<String, List<String>> approvers = f.values().containsKey("policy")
                ? PolicyApprovers.read(Path.of(f.get("policy", ""))) : Map.of();
        String listen = f.get("listen", "127.0.0.1:8700");
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--listen wants HOST:PORT, got " + listen);
        }
        InetSocketAddress address = new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)));
        Store store = StoreConfig.open(f);
        ApprovalService service = new ApprovalService(store, approvers,
                ServiceOptions.defaults().withPublicUrl(f.get("public-url", "http://" + listen)), null);
        ApiServer server = new ApiServer(service, new TokenStore(store), null, null, address).start();
        return new Running(store, service, server);
    }

    private static int serve(String[] args, PrintStream out, PrintStream err) throws IOException {
        Flags f = Flags.parse(args, 1, flags(Set.of("policy", "listen", "public-url")));
        if (f.help()) {
            out.print(SERVE_HELP);
            return 0;
        }
        Running running = start(f);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }));
        out.println("gatehouse serve: listening on http://" + f.get("listen", "127.0.0.1:8700") + " (store "
                + running.store().vendor().name().toLowerCase(java.util.Locale.ROOT) + ")");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static final String AUDIT_HELP = """
            gatehouse audit verify [--store ...]   checks the hash chain; reports the first edited, deleted or
                                                   reordered record (exit 1), else the record count (exit 0)
            gatehouse audit export [--out FILE] [--store ...]
                                                   writes every record as a JSON line (stdout by default)
            """;

    private static int audit(String[] args, PrintStream out, PrintStream err) throws IOException {
        Flags f = Flags.parse(args, 1, flags(Set.of("out")));
        if (f.help() || f.positional().isEmpty()) {
            out.print(AUDIT_HELP);
            return f.help() ? 0 : 2;
        }
        try (Store store = StoreConfig.open(f)) {
            switch (f.positional().get(0)) {
                case "verify" -> {
                    AuditVerifier.Result r = AuditVerifier.verify(store);
                    if (r.ok()) {
                        out.println("audit: " + r.records() + " records, chain intact");
                        return 0;
                    }
                    out.println("audit: BROKEN at record " + r.problem().get().seq() + ": " + r.problem().get().what());
                    return 1;
                }
                case "export" -> {
                    String file = f.get("out", null);
                    Writer w = file == null ? new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))
                            : Files.newBufferedWriter(Path.of(file));
                    long n = AuditVerifier.export(store, w);
                    if (file != null) {
                        w.close();
                        err.println("audit: exported " + n + " records to " + file);
                    }
                    return 0;
                }
                default -> throw new IllegalArgumentException("audit verify|export, not " + f.positional().get(0));
            }
        }
    }

    private static int approver(String[] args, PrintStream out, PrintStream err) throws IOException {
        Flags f = Flags.parse(args, 1, flags(Set.of("policy")));
        if (f.help() || f.positional().size() != 2 || !"token".equals(f.positional().get(0))) {
            out.print("""
                    gatehouse approver token NAME [--policy FILE] [--store ...]
                      Prints a new personal token for NAME once (replacing any earlier one). Only its hash is stored.
                    """);
            return f.help() ? 0 : 2;
        }
        String name = f.positional().get(1);
        if (f.values().containsKey("policy")) {
            boolean known = false;
            for (List<String> members : PolicyApprovers.read(Path.of(f.get("policy", ""))).values()) {
                known |= members.contains(name);
            }
            if (!known) {
                err.println("gatehouse approver: warning: " + name + " is in no approvers: group of the policy");
            }
        }
        try (Store store = StoreConfig.open(f)) {
            out.println(new TokenStore(store).issue(name));
        }
        return 0;
    }
}
