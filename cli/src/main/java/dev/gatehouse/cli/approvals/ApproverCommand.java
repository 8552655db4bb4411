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
import java.util.List;

/** {@code gatehouse approver token NAME}: issues a personal token, printed once. Runs on the CLI main thread. */
public final class ApproverCommand implements Command {
    static final List<Options.Spec> OPTIONS = StoreSettings.withStoreOptions(
            new Options.Spec("--policy", "FILE", "warn when NAME is in no approvers: group of this policy"));

    @Override
    public String name() {
        return "approver";
    }

    @Override
    public String summary() {
        return "print a new personal token for an approver";
    }

    @Override
    public String help() {
        return """
                Usage: gatehouse approver token NAME [--policy FILE] [--store JDBC-URL] [--store-user NAME]
                                                     [--store-password-file FILE]

                Prints a new personal token for NAME once, replacing any earlier one. Only its hash is stored.
                Exit code: 2 for a bad command line or policy, 3 when the store cannot be reached.

                """ + Options.describe(OPTIONS);
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws UsageException {
        Options options = Options.parse(args, OPTIONS, true);
        List<String> words = options.positional();
        if (words.size() != 2 || !words.get(0).equals("token") || words.get(1).isBlank()) {
            throw new UsageException("say approver token NAME");
        }
        String name = words.get(1);
        if (options.value("--policy").isPresent()) {
            boolean known = false;
            try {
                for (List<String> members : Policy.load(Path.of(options.value("--policy").get())).approvers().values()) {
                    known |= members.contains(name);
                }
            } catch (PolicyException e) {
                throw new UsageException(e.getMessage());
            }
            if (!known) {
                terminal.err().println("gatehouse approver: warning: " + name + " is in no approvers: group of the policy");
            }
        }
        StoreSettings store = StoreSettings.DEFAULT.override(options);
        return Failures.reported(name(), terminal, () -> {
            try (Store s = store.open(System::getenv)) {
                terminal.out().println(new TokenStore(s).issue(name));
                return 0;
            }
        });
    }
}
