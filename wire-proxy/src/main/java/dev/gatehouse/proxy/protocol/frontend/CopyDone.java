package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;

/** 'c' CopyDone: end of COPY FROM STDIN data. */
public record CopyDone(Frame frame) implements FrontendMessage {
}
