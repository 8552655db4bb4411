package dev.gatehouse.approvals.hooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;

/**
 * The two signature schemes hooks speak, in one place so sender and verifier cannot drift apart.
 * <ul>
 *   <li>Gatehouse v1 (our hooks out, and signed decisions in): {@code v1=} + hex HMAC-SHA256(secret,
 *       timestamp + "." + body), timestamp in Unix seconds as sent in {@code X-Gatehouse-Timestamp}.</li>
 *   <li>Slack v0 (Slack interactivity in): {@code v0=} + hex HMAC-SHA256(signing secret,
 *       "v0:" + X-Slack-Request-Timestamp + ":" + raw body).</li>
 * </ul>
 * Stateless; any thread (a {@link Mac} is made per call because Mac instances are not thread-safe).
 */
public final class HmacSha256 {

    static final String ALGORITHM = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private HmacSha256() {
    }

    /** The {@code X-Gatehouse-Signature} value for {@code body} sent at {@code unixSeconds}. */
    public static String gatehouseV1(Secret secret, long unixSeconds, byte[] body) {
        return gatehouseV1(secret, Long.toString(unixSeconds), body);
    }

    /** The same, over the timestamp exactly as it appeared in the header (what a verifier must sign). */
    public static String gatehouseV1(Secret secret, String timestamp, byte[] body) {
        return "v1=" + HEX.formatHex(mac(secret, (timestamp + ".").getBytes(StandardCharsets.US_ASCII), body));
    }

    /** The {@code X-Slack-Signature} value Slack sends for {@code body} with header timestamp {@code timestamp}. */
    public static String slackV0(Secret secret, String timestamp, byte[] body) {
        return "v0=" + HEX.formatHex(mac(secret, ("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII), body));
    }

    /** Constant-time comparison, so an attacker learns nothing from how long a wrong guess took to reject. */
    static boolean sameSignature(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] mac(Secret secret, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(secret.hmacSha256Key());
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime must provide HmacSHA256; if it is missing nothing can be signed or trusted.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
