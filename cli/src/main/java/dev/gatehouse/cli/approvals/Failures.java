package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.store.StoreRefusedException;
import dev.gatehouse.approvals.store.StoreUnavailableException;
import dev.gatehouse.cli.Terminal;
import dev.gatehouse.cli.UsageException;
import java.io.IOException;

/**
 * The exit codes the store-backed commands share, beyond {@link UsageException} (2): 3 when the store cannot
 * be reached, 1 when it refused the command's transaction or for other I/O failures. One place, so every command reports them alike. Runs on the CLI main
 * thread.
 */
final class Failures {
    static final int STORE_DOWN = 3;
    static final int FAILED = 1;

    private Failures() {
    }

    /** A command's work, which may fail with I/O or a store that is down. */
    @FunctionalInterface
    interface Body {
        int run() throws UsageException, IOException;
    }

    static int reported(String command, Terminal terminal, Body body) throws UsageException {
        try {
            return body.run();
        } catch (StoreUnavailableException e) {
            terminal.err().println("gatehouse " + command + ": " + e.getMessage());
            return STORE_DOWN;
        } catch (StoreRefusedException e) {
            // The store answered: not "cannot be reached" (3), a failure of this command (1).
            terminal.err().println("gatehouse " + command + ": " + e.getMessage());
            return FAILED;
        } catch (java.io.UncheckedIOException e) {
            terminal.err().println("gatehouse " + command + ": " + e.getCause().getMessage());
            return FAILED;
        } catch (IOException e) {
            terminal.err().println("gatehouse " + command + ": " + e.getMessage());
            return FAILED;
        }
    }
}
