package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;

/** 'f' CopyFail: the client aborts COPY FROM STDIN. */
public record CopyFail(Frame frame) implements FrontendMessage {
}
