package dev.gatehouse.cli;

/** Entry point of bin/gatehouse. Commands are added by the issues that build them. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Approvals commands (serve, approvals, audit, approver); the policy helper's registry replaces this.
        if (args.length > 0 && dev.gatehouse.cli.approvals.ApprovalsCommands.COMMANDS.contains(args[0])) {
            System.exit(dev.gatehouse.cli.approvals.ApprovalsCommands.run(args, System.out, System.err));
        }
        System.err.println("gatehouse: no commands are built yet");
        System.exit(2);
    }
}
