package dev.gatehouse.approvals.hooks;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Something that happened to an approval request, as told to web hooks.
 *
 * @param type one of {@link #TYPES}
 * @param requestId the approval request id
 * @param at when it happened
 * @param payload a JSON-able summary: values are String, Number, Boolean, null, List or Map of those.
 *     Keys the chat renderers understand: principal, acting_for, sql, kinds, rules, tables, source,
 *     approve_url, votes, reason, approver.
 *
 * <p>Immutable (the payload map is copied, shallowly); any thread.
 */
public record HookEvent(String type, String requestId, Instant at, Map<String, Object> payload) {

    public static final String REQUEST_CREATED = "request.created";
    public static final String REQUEST_APPROVED = "request.approved";
    public static final String REQUEST_DENIED = "request.denied";
    public static final String REQUEST_EXPIRED = "request.expired";
    public static final String REQUEST_WITHDRAWN = "request.withdrawn";
    public static final String REQUEST_CONSUMED = "request.consumed";
    public static final String VOTE_CAST = "vote.cast";

    /** The closed set of event types; anything else is a programming error, rejected at construction. */
    public static final Set<String> TYPES = Set.of(REQUEST_CREATED, REQUEST_APPROVED, REQUEST_DENIED,
            REQUEST_EXPIRED, REQUEST_WITHDRAWN, REQUEST_CONSUMED, VOTE_CAST);

    /** Request ids travel in Slack action values and URLs; a bound keeps them inside every channel's limits. */
    public static final int MAX_REQUEST_ID_LENGTH = 128;

    public HookEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(at, "at");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown hook event type: " + type);
        }
        if (requestId.isBlank() || requestId.length() > MAX_REQUEST_ID_LENGTH) {
            throw new IllegalArgumentException("request id must be 1.." + MAX_REQUEST_ID_LENGTH + " characters");
        }
        // LinkedHashMap (not Map.copyOf) because payload values may legitimately be null.
        payload = payload == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }
}
