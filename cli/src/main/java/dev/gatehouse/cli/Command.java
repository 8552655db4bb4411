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
}
