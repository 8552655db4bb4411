package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/** 'F' FunctionCall: calls any function by OID with arguments; decided like a statement. */
public record FunctionCall(Frame frame, int functionOid, short[] formats, byte[][] arguments)
        implements FrontendMessage {

    public short formatOf(int index) {
        return switch (formats.length) {
            case 0 -> 0;
            case 1 -> formats[0];
            default -> formats[index];
        };
    }

    static FunctionCall decode(Frame frame, PayloadReader body) throws ProtocolException {
        int oid = body.int32();
        int formatCount = body.int16() & 0xffff;
        short[] formats = new short[formatCount];
        for (int i = 0; i < formatCount; i++) {
            formats[i] = body.int16();
        }
        int argCount = body.int16() & 0xffff;
        if (formatCount > 1 && formatCount != argCount) {
            throw new ProtocolException("function call has " + formatCount + " formats but " + argCount
                    + " arguments");
        }
        byte[][] args = new byte[argCount][];
        for (int i = 0; i < argCount; i++) {
            args[i] = body.bytesOrNull(body.int32());
        }
        body.int16(); // result format: relayed untouched
        body.expectEnd();
        return new FunctionCall(frame, oid, formats, args);
    }
}
