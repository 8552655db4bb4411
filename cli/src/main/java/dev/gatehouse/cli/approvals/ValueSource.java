package dev.gatehouse.cli.approvals;

import dev.gatehouse.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where a setting's value comes from. Secrets are only ever {@link Env} or {@link File}, so they are never
 * written into a config file or onto a command line (where {@code ps} shows them). Only {@link #where()} is
 * ever put into a message; the value never is. Immutable; resolved on the thread that starts {@code serve}.
 */
sealed interface ValueSource permits ValueSource.Plain, ValueSource.Env, ValueSource.File {
    /** Secret files are small; a bound keeps a wrong path (a log, a device) from being read whole. */
    int MAX_FILE_BYTES = 64 * 1024;

    /** Where the setting was given, for messages: {@code serve.yaml:7:5: store.password_env} or a flag name. */
    String where();

    /** A value written out in the open (only for settings that are not secrets). */
    record Plain(String value, String where) implements ValueSource {
        @Override
        public String toString() {
            return "Plain[" + where + "]";
        }
    }

    /** The value of an environment variable, read when {@code serve} starts. */
    record Env(String variable, String where) implements ValueSource {
    }

    /** The content of a file, stripped of surrounding white space, read when {@code serve} starts. */
    record File(Path path, String where) implements ValueSource {
    }

    /** The value; an unset variable, a missing or empty file is a usage error naming where, never the value. */
    static String resolve(ValueSource source, Function<String, String> env) throws UsageException {
        return switch (source) {
            case Plain p -> p.value();
            case Env e -> {
                String v = env.apply(e.variable());
                if (v == null || v.isBlank()) {
                    throw new UsageException(e.where() + ": environment variable " + e.variable() + " is not set");
                }
                yield v.strip();
            }
            case File f -> {
                try {
                    if (Files.size(f.path()) > MAX_FILE_BYTES) {
                        throw new UsageException(f.where() + ": " + f.path() + " is larger than " + MAX_FILE_BYTES + " bytes");
                    }
                    String v = Files.readString(f.path()).strip();
                    if (v.isEmpty()) {
                        throw new UsageException(f.where() + ": " + f.path() + " is empty");
                    }
                    yield v;
                } catch (NoSuchFileException e) {
                    throw new UsageException(f.where() + ": no such file " + f.path());
                } catch (IOException e) {
                    throw new UsageException(f.where() + ": cannot read " + f.path() + " (" + e.getClass().getSimpleName() + ")");
                }
            }
        };
    }
}
