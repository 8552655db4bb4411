package dev.gatehouse.approvals.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies votes that arrive by web hook: Slack button clicks (interactivity requests) and signed decisions
 * from other chat or ticket systems. Every check fails closed: any missing or repeated header, bad or stale
 * signature, replay, oversize or malformed body, unknown action or unmapped user gives {@code empty}, and
 * the caller answers 401. A returned vote still has to pass the caller's eligibility check.
 *
 * <p>Order of checks: body size, headers, timestamp window, signature (constant time), body shape, then
 * replay (recorded only for authentic requests, so junk cannot fill the replay cache).
 *
 * <p>Slack: {@code X-Slack-Signature} must equal {@code v0=} + hex HMAC-SHA256(signing secret,
 * {@code "v0:" + X-Slack-Request-Timestamp + ":" + raw body}); the body is form-encoded with one
 * {@code payload} field holding JSON of type {@code block_actions} with exactly one action, whose
 * {@code action_id} is {@code gatehouse.approve} or {@code gatehouse.deny} and whose {@code value} is the
 * request id; {@code user.id} must be mapped to an approver.
 *
 * <p>Signed decisions: headers {@code X-Gatehouse-Timestamp} (Unix seconds), {@code X-Gatehouse-Signature}
 * ({@code v1=} + hex HMAC-SHA256(decision secret, timestamp + "." + raw body)) and optionally
 * {@code X-Gatehouse-Delivery}; body {@code {"request_id", "approver", "decision": "approve"|"deny",
 * "reason"}}. A signature, or a delivery id, already accepted within the window is rejected.
 *
 * <p>Threads: called on the HTTP server's handler threads, concurrently; the replay caches lock internally.
 */
public final class InboundDecisions {

    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** How far a request's timestamp may be from our clock, either way (Slack's own recommendation). */
    public static final Duration TIMESTAMP_TOLERANCE = Duration.ofMinutes(5);
    /** Accepted requests remembered per channel; comfortably above any real vote rate over five minutes. */
    public static final int REPLAY_CACHE_CAPACITY = 10_000;
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_REASON_LENGTH = 2000;

    private static final String SLACK_TIMESTAMP = "X-Slack-Request-Timestamp";
    private static final String SLACK_SIGNATURE = "X-Slack-Signature";
    private static final String TIMESTAMP = "X-Gatehouse-Timestamp";
    private static final String SIGNATURE = "X-Gatehouse-Signature";
    private static final String DELIVERY = "X-Gatehouse-Delivery";

    private final InboundConfig config;
    private final Clock clock;
    private final ReplayGuard slackReplays;
    private final ReplayGuard signedReplays;

    public InboundDecisions(InboundConfig config) {
        this(config, Clock.systemUTC());
    }

    public InboundDecisions(InboundConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        long window = TIMESTAMP_TOLERANCE.toSeconds();
        this.slackReplays = new ReplayGuard(REPLAY_CACHE_CAPACITY, window);
        this.signedReplays = new ReplayGuard(REPLAY_CACHE_CAPACITY, window);
    }

    /** A Slack interactivity request (button click) turned into a vote, or empty to reject it. */
    public Optional<InboundVote> verifySlack(Map<String, List<String>> headers, byte[] body) {
        Secret secret = config.slackSigningSecret();
        if (secret == null || headers == null || body == null || body.length > MAX_BODY_BYTES) {
            return Optional.empty();
        }
        String timestamp = singleHeader(headers, SLACK_TIMESTAMP);
        String signature = singleHeader(headers, SLACK_SIGNATURE);
        long now = clock.instant().getEpochSecond();
        long sentAt = unixSeconds(timestamp);
        if (signature == null || sentAt < 0 || !withinWindow(sentAt, now)
                || !HmacSha256.sameSignature(HmacSha256.slackV0(secret, timestamp, body), signature)) {
            return Optional.empty();
        }
        Optional<InboundVote> vote = slackVote(body);
        if (vote.isEmpty() || !slackReplays.firstTime(List.of(signature), sentAt, now)) {
            return Optional.empty();
        }
        return vote;
    }

    /** A signed decision from another system turned into a vote, or empty to reject it. */
    public Optional<InboundVote> verifySigned(Map<String, List<String>> headers, byte[] body) {
        Secret secret = config.decisionSecret();
        if (secret == null || headers == null || body == null || body.length > MAX_BODY_BYTES) {
            return Optional.empty();
        }
        String timestamp = singleHeader(headers, TIMESTAMP);
        String signature = singleHeader(headers, SIGNATURE);
        List<String> deliveryIds = headerValues(headers, DELIVERY);
        long now = clock.instant().getEpochSecond();
        long sentAt = unixSeconds(timestamp);
        if (signature == null || sentAt < 0 || !withinWindow(sentAt, now) || deliveryIds.size() > 1
                || !HmacSha256.sameSignature(HmacSha256.gatehouseV1(secret, timestamp, body), signature)) {
            return Optional.empty();
        }
        Optional<InboundVote> vote = signedVote(body);
        if (vote.isEmpty()) {
            return vote;
        }
        List<String> replayKeys = new ArrayList<>(2);
        replayKeys.add("signature:" + signature);
        if (deliveryIds.size() == 1) {
            String deliveryId = deliveryIds.get(0);
            if (deliveryId.isEmpty() || deliveryId.length() > MAX_NAME_LENGTH) {
                return Optional.empty();
            }
            // A sender's retry is re-signed with a new timestamp but keeps its delivery id: count it once.
            replayKeys.add("delivery:" + deliveryId);
        }
        return signedReplays.firstTime(replayKeys, sentAt, now) ? vote : Optional.empty();
    }

    private Optional<InboundVote> slackVote(byte[] body) {
        String payload = formField(new String(body, StandardCharsets.UTF_8), "payload");
        JsonNode root = payload == null ? null : HookJson.readOrNull(payload.getBytes(StandardCharsets.UTF_8));
        if (root == null || !"block_actions".equals(textOrNull(root.get("type")))) {
            return Optional.empty();
        }
        JsonNode user = root.get("user");
        JsonNode actions = root.get("actions");
        if (user == null || actions == null || !actions.isArray() || actions.size() != 1) {
            // More than one action in one click is not something our message can produce: reject, don't guess.
            return Optional.empty();
        }
        String userId = textOrNull(user.get("id"));
        String actionId = textOrNull(actions.get(0).get("action_id"));
        String requestId = textOrNull(actions.get(0).get("value"));
        String approver = userId == null ? null : config.slackApprovers().get(userId);
        if (approver == null || !validRequestId(requestId) || actionId == null) {
            return Optional.empty();
        }
        return switch (actionId) {
            case SlackMessage.APPROVE_ACTION -> Optional.of(new InboundVote(requestId, approver, true, "approved in Slack", "slack"));
            case SlackMessage.DENY_ACTION -> Optional.of(new InboundVote(requestId, approver, false, "denied in Slack", "slack"));
            default -> Optional.empty();
        };
    }

    private static Optional<InboundVote> signedVote(byte[] body) {
        JsonNode root = HookJson.readOrNull(body);
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        String requestId = textOrNull(root.get("request_id"));
        String approver = textOrNull(root.get("approver"));
        String decision = textOrNull(root.get("decision"));
        JsonNode reasonNode = root.get("reason");
        String reason = reasonNode == null || reasonNode.isNull() ? "" : textOrNull(reasonNode);
        if (!validRequestId(requestId) || approver == null || approver.isBlank() || approver.length() > MAX_NAME_LENGTH
                || reason == null || reason.length() > MAX_REASON_LENGTH || decision == null) {
            return Optional.empty();
        }
        return switch (decision) {
            case "approve" -> Optional.of(new InboundVote(requestId, approver, true, reason, "webhook"));
            case "deny" -> Optional.of(new InboundVote(requestId, approver, false, reason, "webhook"));
            default -> Optional.empty();
        };
    }

    private static boolean validRequestId(String requestId) {
        return requestId != null && !requestId.isBlank() && requestId.length() <= HookEvent.MAX_REQUEST_ID_LENGTH;
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private boolean withinWindow(long sentAt, long now) {
        return Math.abs(now - sentAt) <= TIMESTAMP_TOLERANCE.toSeconds();
    }

    /** Unix seconds from decimal digits only (no sign, no spaces, at most 12 digits), or -1. */
    static long unixSeconds(String value) {
        if (value == null || value.isEmpty() || value.length() > 12) {
            return -1;
        }
        long seconds = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            seconds = seconds * 10 + (c - '0');
        }
        return seconds;
    }

    /** The one value of header {@code name} (case-insensitive), or null when absent or given more than once. */
    static String singleHeader(Map<String, List<String>> headers, String name) {
        List<String> values = headerValues(headers, name);
        return values.size() == 1 ? values.get(0) : null;
    }

    private static List<String> headerValues(Map<String, List<String>> headers, String name) {
        List<String> values = new ArrayList<>(1);
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase(name) && header.getValue() != null) {
                values.addAll(header.getValue());
            }
        }
        return values;
    }

    /**
     * The decoded value of the one form field {@code name} in an {@code application/x-www-form-urlencoded}
     * body; null when absent, repeated or badly encoded. Split by hand: the body is attacker-controlled.
     */
    static String formField(String form, String name) {
        String found = null;
        int start = 0;
        while (start <= form.length()) {
            int end = form.indexOf('&', start);
            if (end < 0) {
                end = form.length();
            }
            int equals = form.indexOf('=', start);
            if (equals > start && equals < end) {
                try {
                    if (name.equals(URLDecoder.decode(form.substring(start, equals), StandardCharsets.UTF_8))) {
                        if (found != null) {
                            return null;
                        }
                        found = URLDecoder.decode(form.substring(equals + 1, end), StandardCharsets.UTF_8);
                    }
                } catch (IllegalArgumentException badEscape) {
                    return null;
                }
            }
            start = end + 1;
        }
        return found;
    }
}
