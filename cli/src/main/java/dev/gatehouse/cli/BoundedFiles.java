package dev.gatehouse.cli;

import dev.gatehouse.policy.PolicyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a small input file (a policy test file, a serve config) whole, refusing one larger than its bound so a
 * wrong argument (a log, a dump) is an error instead of a memory spike. Errors name the file and say what it
 * was expected to be. Runs on the CLI main thread.
 */
public final class BoundedFiles {
    private BoundedFiles() {
    }

    /** @param what what the file should be, for messages: {@code test file}, {@code config file} */
    public static byte[] read(Path file, long maxBytes, String what) throws PolicyException {
        try {
            if (Files.size(file) > maxBytes) {
                throw new PolicyException(file + ": larger than " + maxBytes + " bytes; is it a " + what + "?");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PolicyException(file + ": no such " + what, e);
        } catch (IOException e) {
            throw new PolicyException(file + ": cannot read " + what + ": " + e.getMessage(), e);
        }
    }
}
