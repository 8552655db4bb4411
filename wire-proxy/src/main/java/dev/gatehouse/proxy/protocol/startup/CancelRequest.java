package dev.gatehouse.proxy.protocol.startup;

import dev.gatehouse.proxy.protocol.MessageWriter;

/** A cancel, keyed by the BackendKeyData the client was given (the proxy's own key, never the server's). */
public record CancelRequest(int processId, int secretKey) implements StartupRequest {

    public byte[] encode() {
        return new MessageWriter((char) 0).int32(CANCEL_REQUEST_CODE).int32(processId).int32(secretKey).toBytes();
    }
}
