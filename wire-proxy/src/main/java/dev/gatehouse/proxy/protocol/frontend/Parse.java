package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.MessageWriter;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/** 'P' Parse: a named ("" = unnamed) statement, its SQL and the parameter types the client declared. */
public record Parse(Frame frame, String statement, String sql, int[] parameterTypes) implements FrontendMessage {

    static Parse decode(Frame frame, PayloadReader body) throws ProtocolException {
        String name = body.cstring();
        String sql = body.cstring();
        int count = body.count16(4);
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = body.int32();
        }
        body.expectEnd();
        return new Parse(frame, name, sql, types);
    }

    /** Encodes a Parse the proxy sends on its own (the deliberate failure after a refusal). */
    public static byte[] encode(String statement, String sql) {
        return new MessageWriter('P').cstring(statement).cstring(sql).int16(0).toBytes();
    }

    /** As above, declaring parameter types (0: the server infers it), in {@code charset} (the client_encoding). */
    public static byte[] encode(String statement, String sql, int[] types, java.nio.charset.Charset charset) {
        MessageWriter w = new MessageWriter('P', charset).cstring(statement).cstring(sql).int16(types.length);
        for (int type : types) {
            w.int32(type);
        }
        return w.toBytes();
    }
}
