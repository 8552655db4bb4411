package dev.gatehouse.approvals.hooks;

import java.time.Instant;

/**
 * One delivery that did not make it, kept in the dispatcher's bounded history so failures are visible.
 *
 * @param at when it was given up
 * @param deliveryId the id sent in {@code X-Gatehouse-Delivery} (empty when never attempted)
 * @param eventType the hook event type
 * @param requestId the approval request id
 * @param kind the target's wire format
 * @param target the target URL reduced to scheme, host and port (the path can hold a token)
 * @param attempts how many HTTP attempts were made (0 when dropped before any)
 * @param reason why, e.g. "queue full", "HTTP 500", "timeout"; never a secret, URL path or response body
 *
 * <p>Immutable; any thread.
 */
public record DeliveryFailure(Instant at, String deliveryId, String eventType, String requestId,
        HookTarget.Kind kind, String target, int attempts, String reason) {
}
