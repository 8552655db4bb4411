package dev.gatehouse.cli;

/** A command line that cannot run as written: unknown option, missing value, unreadable file. Exit code 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
