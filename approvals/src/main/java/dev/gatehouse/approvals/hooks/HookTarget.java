package dev.gatehouse.approvals.hooks;

import java.net.URI;
import java.util.Objects;
import java.util.Set;

/**
 * Where hook events go and in which shape.
 *
 * @param kind the wire format
 * @param url the receiver; for Slack and Teams the URL itself is a credential (it embeds a token), so it is
 *     never logged or recorded in full, see {@link #redactedUrl()}
 * @param secret the HMAC key for {@link Kind#GENERIC} (required there); Slack and Teams incoming web hooks
 *     are not signed, so it may be null for them
 * @param eventTypes the event types this target wants; empty means all
 *
 * <p>Immutable; any thread.
 */
public record HookTarget(Kind kind, URI url, Secret secret, Set<String> eventTypes) {

    /** The wire formats a target can speak. */
    public enum Kind { GENERIC, SLACK, TEAMS }

    public HookTarget {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("hook url must be an absolute http(s) URL");
        }
        if (kind == Kind.GENERIC && secret == null) {
            // Fail closed: an unsigned generic hook would let anyone forge Gatehouse events to its receiver.
            throw new IllegalArgumentException("a GENERIC hook target needs a secret");
        }
        eventTypes = eventTypes == null ? Set.of() : Set.copyOf(eventTypes);
        for (String type : eventTypes) {
            if (!HookEvent.TYPES.contains(type)) {
                throw new IllegalArgumentException("unknown hook event type: " + type);
            }
        }
    }

    /** Whether events of {@code type} go to this target. */
    public boolean wants(String type) {
        return eventTypes.isEmpty() || eventTypes.contains(type);
    }

    /** Scheme, host and port only: safe for failure records and logs. */
    public String redactedUrl() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    @Override
    public String toString() {
        return "HookTarget[" + kind + " " + redactedUrl() + " events=" + (eventTypes.isEmpty() ? "all" : eventTypes) + "]";
    }
}
