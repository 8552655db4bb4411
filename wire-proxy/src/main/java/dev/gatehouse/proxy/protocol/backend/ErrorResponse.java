package dev.gatehouse.proxy.protocol.backend;

import dev.gatehouse.proxy.protocol.MessageWriter;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * 'E' ErrorResponse the proxy sends itself (refusals, protocol errors), and the fields it reads from the
 * server's (to recognise the deliberate failure it provoked).
 *
 * @param severity e.g. ERROR, FATAL
 * @param code     the SQLSTATE
 * @param detail   optional, null when absent
 * @param hint     optional, null when absent
 */
public record ErrorResponse(String severity, String code, String message, String detail, String hint) {

    public byte[] encode() {
        return encode(StandardCharsets.UTF_8);
    }

    /** In the client's encoding (characters it lacks become '?'). */
    public byte[] encode(Charset charset) {
        return fields(new MessageWriter('E', charset)).toBytes();
    }

    MessageWriter fields(MessageWriter w) {
        w.int8('S').cstring(severity).int8('V').cstring(severity).int8('C').cstring(code).int8('M').cstring(message);
        if (detail != null) {
            w.int8('D').cstring(detail);
        }
        if (hint != null) {
            w.int8('H').cstring(hint);
        }
        return w.int8(0);
    }

    /** The message field ('M') of an ErrorResponse or NoticeResponse body, or "" when absent. */
    public static String messageField(byte[] body) throws ProtocolException {
        return field(body, 'M');
    }

    /** Field {@code code} ('C' the SQLSTATE, 'M' the message...) of an ErrorResponse or NoticeResponse body, or "". */
    public static String field(byte[] body, char code) throws ProtocolException {
        PayloadReader r = new PayloadReader(body, 0);
        while (r.remaining() > 0) {
            byte field = r.int8();
            if (field == 0) {
                break;
            }
            String value = r.cstring();
            if (field == code) {
                return value;
            }
        }
        return "";
    }
}
