package dev.gatehouse.cli;

import dev.gatehouse.cli.approvals.ApprovalsCommand;
import dev.gatehouse.cli.approvals.AuditCommand;
import dev.gatehouse.cli.approvals.CredentialCommand;
import dev.gatehouse.cli.approvals.ProxyCommand;
import dev.gatehouse.cli.approvals.ServeCommand;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code bin/gatehouse}: finds the command and runs it. Runs on the main thread.
 * Exit codes: 0 done, 1 failed (for example a policy test failed), 2 bad command line or input files.
 */
public final class Main {
    /** Every command, one line each, in the order {@code --help} lists them. */
    static List<Command> commands() {
        return List.of(
                new CheckCommand(),
                new PolicyTestCommand(),
                new ServeCommand(),
                new ProxyCommand(),
                new ApprovalsCommand(),
                new AuditCommand(),
                CredentialCommand.approver(),
                CredentialCommand.requester());
    }

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Terminal.system()));
    }

    /** Runs one command line; returns its exit code instead of exiting, so tests can call it in-process. */
    public static int run(String[] args, Terminal terminal) {
        if (args.length == 0) {
            terminal.err().print(overview());
            return 2;
        }
        String name = args[0];
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            if (args.length > 1 && find(args[1]) != null) {
                terminal.out().print(find(args[1]).help());
            } else {
                terminal.out().print(overview());
            }
            return 0;
        }
        Command command = find(name);
        if (command == null) {
            terminal.err().println("gatehouse: unknown command '" + name + "'. Run 'gatehouse --help' for the list.");
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            terminal.out().print(command.help());
            return 0;
        }
        try {
            return command.run(rest, terminal);
        } catch (UsageException e) {
            terminal.err().println("gatehouse " + name + ": " + e.getMessage());
            terminal.err().println("Run 'gatehouse " + name + " --help' for usage.");
            return 2;
        } finally {
            terminal.out().flush();
        }
    }

    private static Command find(String name) {
        for (Command c : commands()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    static String overview() {
        StringBuilder out = new StringBuilder("""
                Usage: gatehouse <command> [options]

                Gatehouse decides whether SQL may run: allow, hold for review, or deny, by policy written as code.

                Commands:
                """);
        for (Command c : commands()) {
            out.append("  ").append(c.name()).append(" ".repeat(Math.max(1, 12 - c.name().length()))).append(c.summary()).append('\n');
        }
        out.append("\nRun 'gatehouse <command> --help' for a command's options.\n");
        return out.toString();
    }
}
