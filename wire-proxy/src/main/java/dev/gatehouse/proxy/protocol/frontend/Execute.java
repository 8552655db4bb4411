package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/** 'E' Execute of a portal (maxRows 0 = all rows): the point where the extended protocol is decided. */
public record Execute(Frame frame, String portal, int maxRows) implements FrontendMessage {

    /** Encodes an Execute of every row of {@code portal}, which the proxy sends on its own. */
    public static byte[] encode(String portal) {
        return new dev.gatehouse.proxy.protocol.MessageWriter('E').cstring(portal).int32(0).toBytes();
    }

    static Execute decode(Frame frame, PayloadReader body) throws ProtocolException {
        String portal = body.cstring();
        int maxRows = body.int32();
        body.expectEnd();
        return new Execute(frame, portal, maxRows);
    }
}
