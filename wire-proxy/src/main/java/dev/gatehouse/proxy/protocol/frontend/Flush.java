package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;

/** 'H' Flush: the client wants the responses so far without ending the batch. */
public record Flush(Frame frame) implements FrontendMessage {
}
