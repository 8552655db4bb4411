package dev.gatehouse.proxy.protocol.backend;

import dev.gatehouse.proxy.protocol.MessageWriter;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

import java.util.ArrayList;
import java.util.List;

/**
 * 'R' AuthenticationSASL (code 10) with the server's mechanism list. The proxy rewrites it without the
 * channel-binding variants: the client's TLS ends at the proxy, so a binding to that TLS could never match
 * the server's view and a client that insists on it must fail here, not half-way through.
 */
public record AuthenticationSasl(List<String> mechanisms) {
    public static final int CODE = 10;

    public AuthenticationSasl {
        mechanisms = List.copyOf(mechanisms);
    }

    /** Decodes an 'R' body whose first int32 is {@link #CODE}. */
    public static AuthenticationSasl decode(byte[] body) throws ProtocolException {
        PayloadReader r = new PayloadReader(body, 0);
        if (r.int32() != CODE) {
            throw new ProtocolException("not an AuthenticationSASL message");
        }
        List<String> names = new ArrayList<>();
        while (true) {
            String name = r.cstring();
            if (name.isEmpty()) {
                break;
            }
            names.add(name);
        }
        return new AuthenticationSasl(names);
    }

    /** The list without mechanisms ending in "-PLUS" (channel binding). */
    public AuthenticationSasl withoutChannelBinding() {
        List<String> kept = new ArrayList<>(mechanisms.size());
        for (String m : mechanisms) {
            if (!m.endsWith("-PLUS")) {
                kept.add(m);
            }
        }
        return new AuthenticationSasl(kept);
    }

    public byte[] encode() {
        MessageWriter w = new MessageWriter('R').int32(CODE);
        for (String m : mechanisms) {
            w.cstring(m);
        }
        return w.int8(0).toBytes();
    }
}
