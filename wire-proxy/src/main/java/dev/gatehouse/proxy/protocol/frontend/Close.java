package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/** 'C' Close of a statement ('S') or portal ('P'). */
public record Close(Frame frame, byte target, String name) implements FrontendMessage {

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
