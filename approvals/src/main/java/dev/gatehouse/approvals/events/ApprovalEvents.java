package dev.gatehouse.approvals.events;

import java.time.Instant;
import java.util.Map;

/**
 * Where the service announces new requests and decisions. The hooks module's {@code HookDispatcher} is wired in
 * behind this in one line ({@code (type, id, at, payload) -> dispatcher.publish(new HookEvent(type, id, at, payload))});
 * implementations must never block, because they are called on the thread that changed the request.
 */
@FunctionalInterface
public interface ApprovalEvents {
    ApprovalEvents NONE = (type, requestId, at, payload) -> { };

    /**
     * @param type    {@code request.created}, {@code request.approved}, {@code request.denied}, {@code request.expired},
     *                {@code request.withdrawn}, {@code request.consumed}, {@code vote.cast}
     * @param payload a JSON-able summary of the request
     */
    void publish(String type, String requestId, Instant at, Map<String, Object> payload);
}
