package dev.gatehouse.proxy.protocol.startup;

/** The client asks for TLS; answered 'S' (then the handshake) or 'N'. */
public record SslRequest() implements StartupRequest {
}
