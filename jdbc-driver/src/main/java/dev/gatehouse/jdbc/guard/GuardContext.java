package dev.gatehouse.jdbc.guard;

import dev.gatehouse.enforce.checkpoint.RowSight;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.catalog.Catalog;

import java.time.Duration;
import java.util.Map;

/**
 * What a guard factory gets to build the guard for one connection.
 *
 * <p>Threads: Immutable; built on the thread that connects.
 *
 * @param dialect      the database's dialect
 * @param catalog      the live catalog read from this connection's metadata (refreshed after DDL)
 * @param policyFile   {@code gatehouse.policy}, or null
 * @param approvals    {@code gatehouse.approvals}: the approvals store or service URL, or null
 * @param holdMode     {@code gatehouse.review}: the connection's default hold mode, or null to follow the rules
 * @param maxWait      {@code gatehouse.max-wait}
 * @param settings     every {@code gatehouse.*} setting given, for guard-specific ones
 * @param realUrl      the URL handed to the real driver (no gatehouse settings, no password)
 * @param rows         the connection's row counting and planner estimates, for a guard that limits writes by
 *                     their rows ({@code max_rows})
 */
public record GuardContext(Dialect dialect, Catalog catalog, String policyFile, String approvals,
                           dev.gatehouse.policy.ReviewSpec.HoldMode holdMode, Duration maxWait,
                           Map<String, String> settings, String realUrl, RowSight rows) {
    public GuardContext {
        settings = Map.copyOf(settings);
        java.util.Objects.requireNonNull(rows, "rows");
    }
}
