package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

/** 'F' FunctionCall: calls any function by OID with arguments; decided like a statement. */
public record FunctionCall(Frame frame, int functionOid, ParameterValues arguments) implements FrontendMessage {

    static FunctionCall decode(Frame frame, PayloadReader body) throws ProtocolException {
        int oid = body.int32();
        ParameterValues arguments = ParameterValues.decode(body);
        body.int16(); // result format: relayed untouched
        body.expectEnd();
        return new FunctionCall(frame, oid, arguments);
    }
}
