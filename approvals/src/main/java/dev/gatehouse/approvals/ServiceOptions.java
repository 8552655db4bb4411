package dev.gatehouse.approvals;

import dev.gatehouse.approvals.audit.AuditSettings;
import java.time.Clock;
import java.time.Duration;

/**
 * Tunables of an {@link ApprovalService}.
 *
 * @param pollInterval    how often a waiter re-reads its request even without a signal: the fallback that
 *                        releases waiters when a decision is made on another instance and no notification
 *                        reaches this one (H2 shared by tools, MySQL, a lost PostgreSQL notification)
 * @param sweepInterval   how often expired requests are moved to EXPIRED
 * @param maxWait         the longest any single await may block, whatever the caller asks
 * @param publicUrl       the page's base URL, put in hook payloads as {@code approve_url}
 */
public record ServiceOptions(Clock clock, Duration pollInterval, Duration sweepInterval, Duration maxWait,
                             AuditSettings audit, String publicUrl) {
    public static ServiceOptions defaults() {
        return new ServiceOptions(Clock.systemUTC(), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofHours(1), AuditSettings.DEFAULT, "http://127.0.0.1:8700");
    }

    public ServiceOptions withAudit(AuditSettings a) {
        return new ServiceOptions(clock, pollInterval, sweepInterval, maxWait, a, publicUrl);
    }

    public ServiceOptions withPollInterval(Duration d) {
        return new ServiceOptions(clock, d, sweepInterval, maxWait, audit, publicUrl);
    }

    public ServiceOptions withClock(Clock c) {
        return new ServiceOptions(c, pollInterval, sweepInterval, maxWait, audit, publicUrl);
    }

    public ServiceOptions withPublicUrl(String url) {
        return new ServiceOptions(clock, pollInterval, sweepInterval, maxWait, audit, url);
    }
}
