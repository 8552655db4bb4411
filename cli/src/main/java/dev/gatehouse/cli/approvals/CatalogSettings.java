package dev.gatehouse.cli.approvals;

import dev.gatehouse.cli.UsageException;
import dev.gatehouse.enforce.catalog.UpstreamCatalogs;

import java.util.Objects;
import java.util.function.Function;

/**
 * How the wire proxy signs in to read the live catalog of each database it serves (when no schema file is
 * given): the catalog user and its password, configured like the store's. The password comes from an
 * environment variable or a file only ({@code $GATEHOUSE_CATALOG_PASSWORD} by default), so it never appears on a
 * command line, in a process list or in a log. Immutable.
 *
 * @param user     the user the proxy reads the catalog as (never the client's); null: the JDBC driver's default
 *                 (the operating-system user)
 * @param password where its password is; null: {@code $GATEHOUSE_CATALOG_PASSWORD} if set, else none
 * @param bounds   how many databases, how many relations each, how often read again, how long to wait
 */
record CatalogSettings(String user, ValueSource password, UpstreamCatalogs.Settings bounds) {
    static final String PASSWORD_ENV = "GATEHOUSE_CATALOG_PASSWORD";
    static final CatalogSettings DEFAULT = new CatalogSettings(null, null, UpstreamCatalogs.Settings.DEFAULTS);

    CatalogSettings {
        Objects.requireNonNull(bounds, "bounds");
    }

    CatalogSettings withUser(String u) {
        return new CatalogSettings(u, password, bounds);
    }

    CatalogSettings withPassword(ValueSource p) {
        return new CatalogSettings(user, p, bounds);
    }

    /** The password; a configured source must resolve, the default variable may be unset (no password). */
    String password(Function<String, String> env) throws UsageException {
        return password != null ? ValueSource.resolve(password, env) : env.apply(PASSWORD_ENV);
    }
}
