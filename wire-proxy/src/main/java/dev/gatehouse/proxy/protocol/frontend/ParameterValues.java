package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

import java.nio.charset.Charset;

/**
 * Format codes and values as Bind and FunctionCall both carry them: the format codes (none = all text, one =
 * for all, else one per value), then the values, each a length (-1 = NULL) and bytes. {@code charset} is the
 * client_encoding they were sent in, for reading the text-format ones.
 */
public record ParameterValues(short[] formats, byte[][] values, Charset charset) {

    /** The format code of value {@code index}, applying the protocol's shorthand rules. */
    public short formatOf(int index) {
        return switch (formats.length) {
            case 0 -> 0;
            case 1 -> formats[0];
            default -> formats[index];
        };
    }

    static ParameterValues decode(PayloadReader body) throws ProtocolException {
        int formatCount = body.count16(2);
        short[] formats = new short[formatCount];
        for (int i = 0; i < formatCount; i++) {
            formats[i] = body.int16();
        }
        // Each value has at least its 4-byte length.
        int valueCount = body.count16(4);
        if (formatCount > 1 && formatCount != valueCount) {
            throw new ProtocolException("message has " + formatCount + " parameter formats but " + valueCount
                    + " parameters");
        }
        byte[][] values = new byte[valueCount][];
        for (int i = 0; i < valueCount; i++) {
            values[i] = body.bytesOrNull(body.int32());
        }
        return new ParameterValues(formats, values, body.charset());
    }
}
