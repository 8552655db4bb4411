package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;

/** 'p' password, SASLInitialResponse or SASLResponse: relayed during authentication only. */
public record PasswordMessage(Frame frame) implements FrontendMessage {
}
