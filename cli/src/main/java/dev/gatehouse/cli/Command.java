package dev.gatehouse.cli;

import java.util.List;

/**
 * One subcommand of {@code bin/gatehouse}. Implementations are small, parse their options with
 * {@link Options}, and leave the work to the library. They run on the main thread.
 */
public interface Command {

    /** The word users type, e.g. {@code check}. */
    String name();

    /** One line for {@code gatehouse --help}. */
    String summary();

    /** The full text for {@code gatehouse <name> --help}: usage line, description, every option. */
    String help();

    /**
     * @param args the arguments after the command name ({@code --help} is handled before this is called)
     * @return the process exit code
     * @throws UsageException for a bad command line; the caller prints it and exits with 2
     */
    int run(List<String> args, Terminal terminal) throws UsageException;

    /** What a command does, as a function. */
    @FunctionalInterface
    interface Runner {
        int run(List<String> args, Terminal terminal) throws UsageException;
    }

    /**
     * A command from its parts, so a family of commands implemented elsewhere (the approvals commands)
     * still registers with one line each in {@link Main#commands()}.
     */
    static Command of(String name, String summary, String help, Runner runner) {
        return new Command() {
            @Override public String name() { return name; }
            @Override public String summary() { return summary; }
            @Override public String help() { return help; }
            @Override public int run(List<String> args, Terminal terminal) throws UsageException {
                return runner.run(args, terminal);
            }
        };
    }
}
