package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/** 'C' Close of a statement ('S') or portal ('P'). */
public record Close(Frame frame, byte target, String name) implements FrontendMessage {

    /** Encodes a Close the proxy sends on its own: {@code target} 'S' (statement) or 'P' (portal). */
    public static byte[] encode(char target, String name) {
        return new dev.gatehouse.proxy.protocol.MessageWriter('C').int8(target).cstring(name).toBytes();
    }

    static Close decode(Frame frame, PayloadReader body) throws ProtocolException {
        byte target = body.int8();
        String name = body.cstring();
        body.expectEnd();
        if (target != 'S' && target != 'P') {
            throw new ProtocolException("invalid CLOSE message subtype " + target);
        }
        return new Close(frame, target, name);
    }
}
