package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/** 'B' Bind: a portal from a statement with parameter values. */
public record Bind(Frame frame, String portal, String statement, ParameterValues parameters)
        implements FrontendMessage {

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
