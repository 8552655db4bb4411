package dev.gatehouse.proxy.protocol.backend;

import dev.gatehouse.proxy.protocol.ProtocolException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The mechanism list a client sees: channel-binding variants never pass through the proxy. */
class AuthenticationSaslTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("server over TLS offers both", List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"),
                        List.of("SCRAM-SHA-256")),
                arguments("plain server offers SCRAM only", List.of("SCRAM-SHA-256"), List.of("SCRAM-SHA-256")),
                arguments("only a binding variant leaves nothing to pick", List.of("SCRAM-SHA-256-PLUS"), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filtersChannelBinding(String name, List<String> offered, List<String> expected) throws ProtocolException {
        byte[] wire = new AuthenticationSasl(offered).encode();
        // The relay decodes the body (after type and length), rewrites it, and sends the result on.
        byte[] body = Arrays.copyOfRange(wire, 5, wire.length);
        byte[] rewritten = AuthenticationSasl.decode(body).withoutChannelBinding().encode();
        assertEquals(expected, AuthenticationSasl.decode(Arrays.copyOfRange(rewritten, 5, rewritten.length)).mechanisms());
        int length = ((rewritten[1] & 0xff) << 24) | ((rewritten[2] & 0xff) << 16) | ((rewritten[3] & 0xff) << 8)
                | (rewritten[4] & 0xff);
        assertEquals(rewritten.length - 1, length, "length word matches the rewritten message");
    }
}
