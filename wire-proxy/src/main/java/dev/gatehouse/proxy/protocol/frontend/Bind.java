package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/** 'B' Bind: a portal from a statement with parameter values. */
public record Bind(Frame frame, String portal, String statement, ParameterValues parameters)
        implements FrontendMessage {

    /**
     * Encodes a Bind the proxy sends on its own: {@code values} as the client bound them (null: none), every
     * result column in text.
     */
    public static byte[] encode(String portal, String statement, ParameterValues values) {
        dev.gatehouse.proxy.protocol.MessageWriter w = new dev.gatehouse.proxy.protocol.MessageWriter('B')
                .cstring(portal).cstring(statement);
        if (values == null) {
            w.int16(0).int16(0);
        } else {
            w.int16(values.formats().length);
            for (short f : values.formats()) {
                w.int16(f);
            }
            w.int16(values.values().length);
            for (byte[] v : values.values()) {
                if (v == null) {
                    w.int32(-1);
                } else {
                    w.int32(v.length).bytes(v);
                }
            }
        }
        return w.int16(0).toBytes();
    }

    static Bind decode(Frame frame, PayloadReader body) throws ProtocolException {
        String portal = body.cstring();
        String statement = body.cstring();
        ParameterValues parameters = ParameterValues.decode(body);
        // The result-column format codes follow; the proxy relays them untouched.
        int resultCount = body.int16() & 0xffff;
        for (int i = 0; i < resultCount; i++) {
            body.int16();
        }
        body.expectEnd();
        return new Bind(frame, portal, statement, parameters);
    }
}
