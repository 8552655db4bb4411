package dev.gatehouse.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * The proxy's explicit bounds.
 *
 * @param maxMessageSize       largest client message body accepted (bytes); larger closes that connection
 * @param maxConnections       client connections served at once; more are answered 53300 and closed
 * @param startupTimeout       from accept to the end of authentication (also the upstream connect timeout)
 * @param idleTimeout          a session with nothing in flight and no client message for this long is closed
 * @param maxStatements        extended-protocol statements, and separately portals, one session may hold
 * @param maxPendingBytes      client messages held back before their Execute is decided
 * @param maxHoldWait          longest a statement waits for approval before it is withdrawn
 * @param holdNoticeInterval   how often a waiting client is told it is still waiting
 */
public record Limits(int maxMessageSize, int maxConnections, Duration startupTimeout, Duration idleTimeout,
                     int maxStatements, int maxPendingBytes, Duration maxHoldWait, Duration holdNoticeInterval) {

    public static final Limits DEFAULTS = new Limits(64 << 20, 1000, Duration.ofSeconds(30),
            Duration.ofHours(1), 10_000, 64 << 20, Duration.ofMinutes(15), Duration.ofSeconds(30));

    public Limits {
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(maxHoldWait, "maxHoldWait");
        Objects.requireNonNull(holdNoticeInterval, "holdNoticeInterval");
        if (maxMessageSize < 1024 || maxConnections < 1 || maxStatements < 1 || maxPendingBytes < 1024
                || startupTimeout.isNegative() || startupTimeout.isZero() || idleTimeout.isNegative()
                || idleTimeout.isZero() || holdNoticeInterval.isZero() || holdNoticeInterval.isNegative()) {
            throw new IllegalArgumentException("limits out of range: " + this);
        }
    }

    public Limits withMaxMessageSize(int bytes) {
        return new Limits(bytes, maxConnections, startupTimeout, idleTimeout, maxStatements, maxPendingBytes,
                maxHoldWait, holdNoticeInterval);
    }

    public Limits withMaxConnections(int n) {
        return new Limits(maxMessageSize, n, startupTimeout, idleTimeout, maxStatements, maxPendingBytes,
                maxHoldWait, holdNoticeInterval);
    }

    public Limits withTimeouts(Duration startup, Duration idle) {
        return new Limits(maxMessageSize, maxConnections, startup, idle, maxStatements, maxPendingBytes,
                maxHoldWait, holdNoticeInterval);
    }

    public Limits withHold(Duration maxWait, Duration noticeInterval) {
        return new Limits(maxMessageSize, maxConnections, startupTimeout, idleTimeout, maxStatements,
                maxPendingBytes, maxWait, noticeInterval);
    }
}
