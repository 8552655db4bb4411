package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;

/** 'S' Sync: ends an extended-query batch; the server answers ReadyForQuery. */
public record Sync(Frame frame) implements FrontendMessage {
}
