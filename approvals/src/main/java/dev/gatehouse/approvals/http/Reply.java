package dev.gatehouse.approvals.http;

import dev.gatehouse.approvals.store.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of the API: status, content type and body. Immutable; made on an HTTP server thread.
 */
record Reply(int status, String contentType, byte[] body) {
    static final String JSON = "application/json; charset=utf-8";

    static Reply json(int status, Object value) {
        return new Reply(status, JSON, Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    static Reply error(int status, String error, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        if (reason != null) {
            m.put("reason", reason);
        }
        return json(status, m);
    }
}
