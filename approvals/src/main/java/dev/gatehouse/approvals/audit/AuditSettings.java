package dev.gatehouse.approvals.audit;

/**
 * What the audit keeps: allowed statements (off, every n-th, or all) and whether SQL literals and parameter
 * values are redacted (set by policy). Denials, reviews, votes, expiries and consumptions are always kept.
 *
 * @param sampleEvery with {@link AllowMode#SAMPLED}, one allowed statement in this many is recorded
 */
public record AuditSettings(AllowMode allows, int sampleEvery, boolean redactValues) {
    public static final AuditSettings DEFAULT = new AuditSettings(AllowMode.OFF, 100, false);

    public AuditSettings {
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sampleEvery must be at least 1");
        }
    }

    /**
     * Whether a decision with {@code action} is kept: denials always, reviews never (their request is audited
     * when opened), allows as {@link #allows} says, {@code allowsSeen} counting the allows seen so far.
     */
    public boolean keeps(dev.gatehouse.policy.Action action, java.util.concurrent.atomic.AtomicLong allowsSeen) {
        return switch (action) {
            case DENY -> true;
            case REVIEW -> false;
            case ALLOW -> switch (allows) {
                case OFF -> false;
                case ALL -> true;
                case SAMPLED -> allowsSeen.getAndIncrement() % sampleEvery == 0;
            };
        };
    }

    /** How allowed statements are audited. */
    public enum AllowMode { OFF, SAMPLED, ALL }
}
