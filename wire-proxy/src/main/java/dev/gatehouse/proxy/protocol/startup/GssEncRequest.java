package dev.gatehouse.proxy.protocol.startup;

/** The client asks for GSSAPI encryption; the proxy always answers 'N' (it cannot terminate it). */
public record GssEncRequest() implements StartupRequest {
}
