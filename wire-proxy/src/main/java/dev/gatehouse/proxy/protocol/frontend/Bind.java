package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/**
 * 'B' Bind: a portal from a statement with parameter values. {@code formats} is as sent: empty (all text),
 * one (applies to all) or one per value.
 */
public record Bind(Frame frame, String portal, String statement, short[] formats, byte[][] values)
        implements FrontendMessage {

    /** The format code of value {@code index}, applying the protocol's shorthand rules. */
    public short formatOf(int index) {
        return switch (formats.length) {
            case 0 -> 0;
            case 1 -> formats[0];
            default -> formats[index];
        };
    }

    static Bind decode(Frame frame, PayloadReader body) throws ProtocolException {
        String portal = body.cstring();
        String statement = body.cstring();
        int formatCount = body.int16() & 0xffff;
        short[] formats = new short[formatCount];
        for (int i = 0; i < formatCount; i++) {
            formats[i] = body.int16();
        }
        int valueCount = body.int16() & 0xffff;
        if (formatCount > 1 && formatCount != valueCount) {
            throw new ProtocolException("bind message has " + formatCount + " parameter formats but "
                    + valueCount + " parameters");
        }
        byte[][] values = new byte[valueCount][];
        for (int i = 0; i < valueCount; i++) {
            values[i] = body.bytesOrNull(body.int32());
        }
        // The result-column format codes follow; the proxy relays them untouched.
        int resultCount = body.int16() & 0xffff;
        for (int i = 0; i < resultCount; i++) {
            body.int16();
        }
        body.expectEnd();
        return new Bind(frame, portal, statement, formats, values);
    }
}
