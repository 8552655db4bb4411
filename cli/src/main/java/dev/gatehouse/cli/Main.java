package dev.gatehouse.cli;

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
                approvals("serve", "run the approvals API and the DBA page"),
                approvals("approvals", "list, show, approve or deny held statements (through a running server)"),
                approvals("audit", "verify the audit chain or export it as JSON lines"),
                approvals("approver", "print a new personal token for an approver"));
    }

    private Main() {
    }

    /** The approvals commands parse their own arguments and print their own help, which is asked of them here. */
    private static Command approvals(String name, String summary) {
        java.io.ByteArrayOutputStream help = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream capture = new java.io.PrintStream(help, true, java.nio.charset.StandardCharsets.UTF_8)) {
            dev.gatehouse.cli.approvals.ApprovalsCommands.run(new String[] {name, "--help"}, capture, capture);
        }
        return Command.of(name, summary, help.toString(java.nio.charset.StandardCharsets.UTF_8), (args, terminal) -> {
            String[] line = new String[args.size() + 1];
            line[0] = name;
            for (int i = 0; i < args.size(); i++) {
                line[i + 1] = args.get(i);
            }
            return dev.gatehouse.cli.approvals.ApprovalsCommands.run(line, terminal.out(), terminal.err());
        });
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
