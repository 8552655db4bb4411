package dev.gatehouse.jdbc;

import dev.gatehouse.policy.ReviewSpec.HoldMode;

import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The {@code gatehouse.*} settings of one connection, from URL parameters and Properties (Properties win).
 * Keys under {@code gatehouse.guard.} belong to the guard (see {@link #GUARD_SPECIFIC}); other unknown
 * {@code gatehouse.*} keys are an error: a misspelt setting must never silently weaken the guard.
 *
 * <p>Threads: Immutable; parsed on the thread that connects.
 *
 * @param guard       {@code gatehouse.guard}: which {@code StatementGuardFactory} to use, null for the only one present
 * @param policyFile  {@code gatehouse.policy}: the policy file
 * @param principal   {@code gatehouse.principal}: who the statements run as; null for the database user
 * @param actingFor   {@code gatehouse.acting-for}: the human an agent acts for
 * @param approvals   {@code gatehouse.approvals}: serve's URL (http/https) or the approvals store's JDBC URL
 * @param holdMode    {@code gatehouse.review}: {@code wait} or {@code fail}; null to follow each rule
 * @param maxWait     {@code gatehouse.max-wait}: the longest a statement is held (default 15 minutes, at most 24 hours)
 * @param allowUnwrap {@code gatehouse.allow-unwrap}: let {@code unwrap} reach the vendor objects (bypasses the guard)
 * @param all         every {@code gatehouse.*} setting as given
 */
public record DriverSettings(String guard, String policyFile, String principal, String actingFor, String approvals,
                             HoldMode holdMode, Duration maxWait, boolean allowUnwrap, Map<String, String> all) {

    public static final String PREFIX = "gatehouse.";
    /** Settings for the chosen guard itself ({@code gatehouse.guard.<name>}), passed to it untouched. */
    public static final String GUARD_SPECIFIC = "gatehouse.guard.";
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(15);
    static final Duration LONGEST_MAX_WAIT = Duration.ofHours(24);

    public DriverSettings {
        all = Map.copyOf(all);
    }

    /** Reads and validates the settings; {@code given} holds keys with the {@code gatehouse.} prefix. */
    public static DriverSettings parse(Map<String, String> given) throws SQLException {
        for (String key : given.keySet()) {
            if (key.startsWith(GUARD_SPECIFIC)) {
                continue;
            }
            switch (key) {
                case "gatehouse.guard", "gatehouse.policy", "gatehouse.principal", "gatehouse.acting-for",
                     "gatehouse.approvals", "gatehouse.review", "gatehouse.max-wait", "gatehouse.allow-unwrap" -> { }
                // Read by the policy guard (dev.gatehouse.jdbc.policy), named here so a typo is still an error.
                case "gatehouse.approvals-user", "gatehouse.requester-token-file", "gatehouse.public-url",
                     "gatehouse.audit-allows" -> { }
                default -> throw bad(key, "unknown setting (known: guard, policy, principal, acting-for, approvals, "
                        + "approvals-user, requester-token-file, public-url, audit-allows, review, max-wait, allow-unwrap)");
            }
        }
        return new DriverSettings(given.get("gatehouse.guard"), given.get("gatehouse.policy"),
                blankToNull(given.get("gatehouse.principal")), blankToNull(given.get("gatehouse.acting-for")),
                given.get("gatehouse.approvals"), holdMode(given.get("gatehouse.review")),
                maxWait(given.get("gatehouse.max-wait")), bool("gatehouse.allow-unwrap", given.get("gatehouse.allow-unwrap")),
                given);
    }

    private static HoldMode holdMode(String value) throws SQLException {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "wait" -> HoldMode.WAIT;
            case "fail" -> HoldMode.FAIL;
            default -> throw bad("gatehouse.review", "expected wait or fail, got '" + value + "'");
        };
    }

    /** ISO-8601 ({@code PT30S}) or a number of seconds ({@code 30}). */
    private static Duration maxWait(String value) throws SQLException {
        if (value == null) {
            return DEFAULT_MAX_WAIT;
        }
        Duration d;
        try {
            d = isDigits(value) ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw bad("gatehouse.max-wait", "expected seconds or an ISO-8601 duration such as PT5M, got '" + value + "'");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(LONGEST_MAX_WAIT) > 0) {
            throw bad("gatehouse.max-wait", "must be above zero and at most " + LONGEST_MAX_WAIT + ", got " + d);
        }
        return d;
    }

    private static boolean bool(String key, String value) throws SQLException {
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, "expected true or false, got '" + value + "'");
        };
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 12) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static SQLException bad(String key, String why) {
        return new SQLException("gatehouse: bad setting " + key + ": " + why, GatehouseSqlState.BAD_SETTING);
    }
}
