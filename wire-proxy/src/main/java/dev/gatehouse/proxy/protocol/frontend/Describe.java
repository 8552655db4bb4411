package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/** 'D' Describe of a statement ('S') or portal ('P'). Harmless: it runs nothing. */
public record Describe(Frame frame, byte target, String name) implements FrontendMessage {

    static Describe decode(Frame frame, PayloadReader body) throws ProtocolException {
        byte target = body.int8();
        String name = body.cstring();
        body.expectEnd();
        if (target != 'S' && target != 'P') {
            throw new ProtocolException("invalid DESCRIBE message subtype " + target);
        }
        return new Describe(frame, target, name);
    }
}
