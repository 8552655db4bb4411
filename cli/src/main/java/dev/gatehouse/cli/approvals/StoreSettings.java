package dev.gatehouse.cli.approvals;

import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.cli.Options;
import dev.gatehouse.cli.UsageException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Where the approvals store is and how to sign in to it. The password comes from an environment variable or a
 * file only ({@code $GATEHOUSE_STORE_PASSWORD} by default), so it never appears on a command line or in a
 * process list. Immutable.
 *
 * @param url      a JDBC URL; null: an H2 file under {@code $GATEHOUSE_HOME}, else {@code ./.gatehouse}
 * @param user     null: {@code sa} for H2, else the driver's default
 * @param password where the password is; null: {@code $GATEHOUSE_STORE_PASSWORD} if set, else none (H2: empty)
 */
record StoreSettings(String url, String user, ValueSource password) {
    static final String PASSWORD_ENV = "GATEHOUSE_STORE_PASSWORD";
    static final StoreSettings DEFAULT = new StoreSettings(null, null, null);
    /** Connections per command; the API and the sweeper share them. */
    static final int POOL_SIZE = 8;

    /** The store options every command that opens the store takes. */
    static final List<Options.Spec> OPTIONS = List.of(
            new Options.Spec("--store", "JDBC-URL", "jdbc:h2:..., jdbc:postgresql:... or jdbc:mysql:...; default an H2 file under $GATEHOUSE_HOME (else ./.gatehouse)"),
            new Options.Spec("--store-user", "NAME", "the store's user (default sa for H2)"),
            new Options.Spec("--store-password-file", "FILE", "a file holding the store password (default: $" + PASSWORD_ENV + "); never a flag value"));

    /** A command's own options followed by the store options, for the commands that open the store. */
    static List<Options.Spec> withStoreOptions(Options.Spec... own) {
        List<Options.Spec> all = new java.util.ArrayList<>(List.of(own));
        all.addAll(OPTIONS);
        return List.copyOf(all);
    }

    /** These settings with the store flags given on the command line laid over them. */
    StoreSettings override(Options options) {
        String u = options.value("--store").orElse(url);
        String n = options.value("--store-user").orElse(user);
        ValueSource p = options.value("--store-password-file")
                .<ValueSource>map(f -> new ValueSource.File(Path.of(f), "--store-password-file")).orElse(password);
        return new StoreSettings(u, n, p);
    }

    /** The one default every Gatehouse process shares (the JDBC driver too): see {@link Store#defaultUrl()}. */
    static String defaultUrl(Function<String, String> env) {
        return Store.defaultUrl(env);
    }

    /**
     * Opens (and migrates) the store. A configured password source must resolve; the default variable, when
     * nothing was configured, may be unset (a store without a password, or H2).
     */
    Store open(Function<String, String> env) throws UsageException {
        String u = url != null ? url : defaultUrl(env);
        if (!u.startsWith("jdbc:")) {
            // serve's API URL is no store: requester credentials, which is all a front end's host has, cannot open one
            throw new UsageException("--store wants the store's JDBC URL (jdbc:h2:, jdbc:postgresql: or jdbc:mysql:)");
        }
        boolean h2 = u.startsWith("jdbc:h2:");
        String secret = password != null ? ValueSource.resolve(password, env) : env.apply(PASSWORD_ENV);
        return Store.open(u, user != null ? user : h2 ? "sa" : null, secret == null && h2 ? "" : secret, POOL_SIZE);
    }
}
