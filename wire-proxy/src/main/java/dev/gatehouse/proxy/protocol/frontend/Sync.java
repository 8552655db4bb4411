package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;

/** 'S' Sync: ends an extended-query batch; the server answers ReadyForQuery. */
public record Sync(Frame frame) implements FrontendMessage {
    /** Encodes a Sync the proxy sends on its own: ending a group of its own messages. */
    public static byte[] encode() {
        return new byte[] {'S', 0, 0, 0, 4};
    }
}
