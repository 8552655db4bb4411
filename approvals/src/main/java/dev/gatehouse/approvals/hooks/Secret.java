package dev.gatehouse.approvals.hooks;

import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;

/**
 * A shared secret (an HMAC key). Its {@code toString} never shows the value, so a secret that ends up in
 * a log line, an exception message or a debugger view stays secret. Equality is identity on purpose: value
 * equality would invite non-constant-time comparisons of key material.
 *
 * <p>Immutable; any thread.
 */
public final class Secret {

    private final byte[] value;

    private Secret(byte[] value) {
        if (value.length == 0) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        this.value = value;
    }

    /** The UTF-8 bytes of {@code value}; Slack signing secrets and our own hook secrets are text. */
    public static Secret of(String value) {
        return new Secret(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The key as the JCE wants it; package-private so the value cannot leak out of the hooks package. */
    SecretKeySpec hmacSha256Key() {
        return new SecretKeySpec(value, HmacSha256.ALGORITHM);
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
