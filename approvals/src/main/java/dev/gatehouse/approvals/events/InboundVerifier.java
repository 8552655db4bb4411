package dev.gatehouse.approvals.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a decision that arrives by web hook (Slack interactivity, an HMAC-signed POST) and names the vote it
 * carries. Implemented by the hooks module's {@code InboundDecisions}; an empty result is answered with 401.
 * Called on an HTTP server virtual thread.
 */
@FunctionalInterface
public interface InboundVerifier {
    InboundVerifier REJECT_ALL = (headers, body) -> Optional.empty();

    Optional<Inbound> verify(Map<String, List<String>> headers, byte[] body);

    /** A verified vote; {@code approver} is already the resolved approver name. */
    record Inbound(String requestId, String approver, boolean approve, String reason, String channel) {
    }
}
