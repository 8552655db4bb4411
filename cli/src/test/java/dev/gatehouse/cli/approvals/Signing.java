package dev.gatehouse.cli.approvals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The signature schemes computed from their written definition with the JCE, independent of the code under test. */
final class Signing {
    private Signing() {
    }

    static String hmacHex(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Gatehouse v1: "v1=" + hex HMAC-SHA256(secret, timestamp + "." + body). */
    static String gatehouse(String secret, String timestamp, String body) {
        return "v1=" + hmacHex(secret, timestamp + "." + body);
    }

    /** Slack v0: "v0=" + hex HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + body). */
    static String slack(String secret, String timestamp, String body) {
        return "v0=" + hmacHex(secret, "v0:" + timestamp + ":" + body);
    }

    static String now() {
        return Long.toString(System.currentTimeMillis() / 1000);
    }
}
