package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;

/** 'd' CopyData: COPY payload, passed through once the COPY statement was allowed (the server ignores it outside COPY). */
public record CopyData(Frame frame) implements FrontendMessage {
}
