package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;

/** 'H' Flush: the client wants the responses so far without ending the batch. */
public record Flush(Frame frame) implements FrontendMessage {
    /** Encodes a Flush the proxy sends on its own: the answers so far, without ending the group. */
    public static byte[] encode() {
        return new byte[] {'H', 0, 0, 0, 4};
    }
}
