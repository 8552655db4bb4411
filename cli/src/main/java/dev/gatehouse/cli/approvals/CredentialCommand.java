package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.cli.Command;
import dev.gatehouse.cli.Options;
import dev.gatehouse.cli.Terminal;
import dev.gatehouse.cli.UsageException;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code gatehouse approver token|list|revoke} and {@code gatehouse requester token|list|revoke}: the operator's
 * path to credentials, through the store itself (its URL and password), which no requester holds. A token is
 * printed once and stored as its hash; an existing one is replaced only with {@code --replace}, and the command
 * says so; every issue and revocation is audited. Runs on the CLI main thread.
 */
public final class CredentialCommand implements Command {
    static final List<Options.Spec> APPROVER_OPTIONS = StoreSettings.withStoreOptions(
            new Options.Spec("--admin", null, "token: an admin, who also sees every request (votes only where the policy says)"),
            new Options.Spec("--replace", null, "token: replace NAME's existing token (it stops working at once)"),
            new Options.Spec("--policy", "FILE", "token: warn when NAME is in no approvers: group of this policy"));
    static final List<Options.Spec> REQUESTER_OPTIONS = StoreSettings.withStoreOptions(
            new Options.Spec("--principals", "LIST", "token: the principals it may submit for, comma-separated; * and ? match any run and one character"),
            new Options.Spec("--replace", null, "token: replace NAME's existing credential (it stops working at once)"));

    private final TokenStore.Kind kind;

    private CredentialCommand(TokenStore.Kind kind) {
        this.kind = kind;
    }

    public static CredentialCommand approver() {
        return new CredentialCommand(TokenStore.Kind.PERSON);
    }

    public static CredentialCommand requester() {
        return new CredentialCommand(TokenStore.Kind.REQUESTER);
    }

    List<Options.Spec> options() {
        return kind == TokenStore.Kind.PERSON ? APPROVER_OPTIONS : REQUESTER_OPTIONS;
    }

    @Override
    public String name() {
        return kind == TokenStore.Kind.PERSON ? "approver" : "requester";
    }

    @Override
    public String summary() {
        return kind == TokenStore.Kind.PERSON ? "issue, list or revoke approvers' personal tokens"
                : "issue, list or revoke the credentials front ends (driver, proxy) submit with";
    }

    @Override
    public String help() {
        String usage = kind == TokenStore.Kind.PERSON ? """
                Usage: gatehouse approver token NAME [--admin] [--replace] [--policy FILE]
                       gatehouse approver list
                       gatehouse approver revoke NAME
                       (each also takes --store JDBC-URL, --store-user NAME, --store-password-file FILE)

                token prints a new personal token for NAME once (only its hash is stored). NAME votes where the
                policy's approvers: groups say; an --admin also sees every request. A token NAME already has is
                replaced only with --replace. list shows names, never tokens; revoke stops a token at once.
                """ : """
                Usage: gatehouse requester token NAME --principals LIST [--replace]
                       gatehouse requester list
                       gatehouse requester revoke NAME
                       (each also takes --store JDBC-URL, --store-user NAME, --store-password-file FILE)

                token prints a new requester credential for NAME once (only its hash is stored): what a JDBC driver
                (gatehouse.requester-token-file, $GATEHOUSE_REQUESTER_TOKEN) or `gatehouse proxy` holds to open, wait
                on, claim and withdraw requests at `gatehouse serve` for the principals in LIST, and nothing more:
                it cannot vote, read other principals' requests, or reach the store.
                """;
        return usage + """
                Every token issued, replaced or revoked is recorded in the audit.
                Exit code: 1 when NAME already has one (without --replace) or has none to revoke, 2 for a bad
                command line or policy, 3 when the store cannot be reached.

                """ + Options.describe(options());
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws UsageException {
        Options options = Options.parse(args, options(), true);
        List<String> words = options.positional();
        String verb = words.isEmpty() ? "" : words.get(0);
        boolean named = verb.equals("token") || verb.equals("revoke");
        if (!(named || verb.equals("list")) || words.size() != (named ? 2 : 1) || (named && words.get(1).isBlank())) {
            throw new UsageException("say " + name() + " token NAME, " + name() + " list or " + name() + " revoke NAME");
        }
        for (String only : List.of("--admin", "--replace", "--policy", "--principals")) {
            if (!verb.equals("token") && (options.flag(only) || options.value(only).isPresent())) {
                throw new UsageException(only + " is for " + name() + " token");
            }
        }
        List<String> principals = kind == TokenStore.Kind.REQUESTER && verb.equals("token") ? principals(options) : List.of();
        if (kind == TokenStore.Kind.PERSON && verb.equals("token")) {
            warnUnknown(options, words.get(1), terminal);
        }
        StoreSettings store = StoreSettings.DEFAULT.override(options);
        return Failures.reported(name(), terminal, () -> {
            try (Store s = store.open(System::getenv)) {
                TokenStore tokens = new TokenStore(s);
                return switch (verb) {
                    case "token" -> issue(tokens, words.get(1), options, principals, terminal);
                    case "revoke" -> revoke(tokens, words.get(1), terminal);
                    default -> list(tokens, terminal);
                };
            }
        });
    }

    private int issue(TokenStore tokens, String who, Options options, List<String> principals, Terminal terminal) {
        TokenStore.Issued issued;
        try {
            issued = kind == TokenStore.Kind.PERSON ? tokens.issuePerson(who, options.flag("--admin"), options.flag("--replace"))
                    : tokens.issueRequester(who, principals, options.flag("--replace"));
        } catch (TokenStore.AlreadyIssued e) {
            terminal.err().println("gatehouse " + name() + ": " + e.getMessage());
            return Failures.FAILED;
        }
        if (issued.replaced()) {
            terminal.err().println("gatehouse " + name() + ": replaced " + who + "'s earlier "
                    + (kind == TokenStore.Kind.PERSON ? "token" : "credential") + ": it no longer works");
        }
        terminal.out().println(issued.token());
        return 0;
    }

    private int revoke(TokenStore tokens, String who, Terminal terminal) {
        if (!tokens.revoke(kind, who)) {
            terminal.err().println("gatehouse " + name() + ": " + who + " has no " + (kind == TokenStore.Kind.PERSON
                    ? "token" : "requester credential") + " to revoke");
            return Failures.FAILED;
        }
        terminal.out().println("revoked " + who);
        return 0;
    }

    private int list(TokenStore tokens, Terminal terminal) {
        for (TokenStore.Entry e : tokens.list(kind)) {
            terminal.out().println(e.name() + "  " + (kind == TokenStore.Kind.PERSON ? (e.admin() ? "admin" : "approver")
                    : "principals " + String.join(",", e.principals())) + "  issued " + e.createdAt());
        }
        return 0;
    }

    private static List<String> principals(Options options) throws UsageException {
        String list = options.value("--principals").orElseThrow(() -> new UsageException(
                "requester token needs --principals LIST: the principals it may submit for"));
        List<String> out = new ArrayList<>();
        for (String p : list.split(",")) {
            if (!p.isBlank()) {
                out.add(p.strip());
            }
        }
        if (out.isEmpty() || out.size() > TokenStore.MAX_PRINCIPALS) {
            throw new UsageException("--principals names 1 to " + TokenStore.MAX_PRINCIPALS + " principals");
        }
        return out;
    }

    private void warnUnknown(Options options, String who, Terminal terminal) throws UsageException {
        if (options.value("--policy").isEmpty()) {
            return;
        }
        boolean known = false;
        try {
            for (List<String> members : Policy.load(Path.of(options.value("--policy").get())).approvers().values()) {
                known |= members.contains(who);
            }
        } catch (PolicyException e) {
            throw new UsageException(e.getMessage());
        }
        if (!known) {
            terminal.err().println("gatehouse approver: warning: " + who + " is in no approvers: group of the policy");
        }
    }
}
