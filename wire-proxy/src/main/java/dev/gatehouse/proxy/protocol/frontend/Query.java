package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.MessageWriter;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/** 'Q' simple query: one string that may hold several statements. */
public record Query(Frame frame, String sql) implements FrontendMessage {

    static Query decode(Frame frame, PayloadReader body) throws ProtocolException {
        String sql = body.cstring();
        body.expectEnd();
        return new Query(frame, sql);
    }

    /** Encodes a query the proxy sends on its own (the deliberate failure after a refusal). */
    public static byte[] encode(String sql) {
        return new MessageWriter('Q').cstring(sql).toBytes();
    }
}
