package dev.gatehouse.proxy.protocol;

import java.io.IOException;

/**
 * A frame the proxy cannot accept: bad length, oversized, truncated, unknown type. The session that read it
 * answers ErrorResponse 08P01 when it still can and closes; other sessions are untouched.
 */
public final class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }
}
