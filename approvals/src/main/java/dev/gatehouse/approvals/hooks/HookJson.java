package dev.gatehouse.approvals.hooks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one JSON mapper of the hooks package. Parsing rejects duplicate keys: a body saying
 * {@code "decision":"deny","decision":"approve"} must not be read one way here and another way by whoever
 * audits it.
 *
 * <p>Stateless after construction; any thread (ObjectMapper is thread-safe once configured).
 */
final class HookJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private HookJson() {
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            // A payload value Jackson cannot write (e.g. an Instant): the dispatcher records it as a failure.
            throw new IllegalArgumentException("hook payload is not JSON-able: " + e.getOriginalMessage(), e);
        }
    }

    /** The parsed tree, or null when {@code body} is not one well-formed JSON value. */
    static JsonNode readOrNull(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
