package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;

/** 'X' Terminate: the client leaves. */
public record Terminate(Frame frame) implements FrontendMessage {
}
