package dev.gatehouse.approvals.hooks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generic hook body: {@code {"type", "request_id", "at", "payload"}}, {@code at} as ISO-8601 UTC.
 * Signing and headers are the dispatcher's job; this is only the bytes that get signed.
 *
 * <p>Stateless; runs on a delivery's virtual thread.
 */
final class GenericBody {

    private GenericBody() {
    }

    static byte[] render(HookEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.type());
        body.put("request_id", event.requestId());
        body.put("at", event.at().toString());
        body.put("payload", event.payload());
        return HookJson.write(body);
    }
}
