package dev.gatehouse.approvals.hooks;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature schemes recomputed from their written definition with the JCE directly, independent of
 * {@link HmacSha256}, so a test checks the scheme rather than echoing the code under test.
 */
public final class TestSigning {

    private TestSigning() {
    }

    public static String hmacHex(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Gatehouse v1: "v1=" + hex HMAC-SHA256(secret, timestamp + "." + body). */
    public static String gatehouse(String secret, String timestamp, String body) {
        return "v1=" + hmacHex(secret, timestamp + "." + body);
    }

    /** Slack v0: "v0=" + hex HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + body). */
    public static String slack(String secret, String timestamp, String body) {
        return "v0=" + hmacHex(secret, "v0:" + timestamp + ":" + body);
    }
}
