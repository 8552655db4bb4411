package dev.gatehouse.proxy.protocol.backend;

import dev.gatehouse.proxy.protocol.MessageWriter;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/** 'K' BackendKeyData: the server's is kept by the proxy, the client receives the proxy's own. */
public record BackendKeyData(int processId, int secretKey) {

    public static BackendKeyData decode(byte[] body) throws ProtocolException {
        PayloadReader r = new PayloadReader(body, 0);
        int pid = r.int32();
        int secret = r.int32();
        // Protocol 3.2 allows longer keys; the proxy only speaks 3.0 keys and refuses others rather than guess.
        r.expectEnd();
        return new BackendKeyData(pid, secret);
    }

    public byte[] encode() {
        return new MessageWriter('K').int32(processId).int32(secretKey).toBytes();
    }
}
