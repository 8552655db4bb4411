package dev.gatehouse.proxy.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.proxy.protocol.backend.AuthenticationSasl;
import dev.gatehouse.proxy.protocol.backend.BackendKeyData;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Coverage-guided fuzzing of the few server messages the proxy reads rather than relays (the server is
 * trusted less than it seems: it may be an impostor on the network path). The bytes are one message body,
 * given to each decoder. Seeds and found inputs live in {@code BackendFuzzTestInputs/bodies}.
 *
 * <p>Properties: each decoder gives a value or a {@link ProtocolException}, nothing else; BackendKeyData
 * encodes back to its bytes; the SASL mechanism list survives encode then decode and loses exactly its
 * channel-binding mechanisms; an ErrorResponse the proxy builds from a decoded message field reads back the
 * same.
 */
class BackendFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void bodies(byte[] body) throws ProtocolException {
        try {
            BackendKeyData key = BackendKeyData.decode(body);
            byte[] encoded = key.encode();
            assertArrayEquals(body, Arrays.copyOfRange(encoded, 5, encoded.length));
        } catch (ProtocolException expected) {
            // refused: the session reports it and closes
        }
        try {
            AuthenticationSasl sasl = AuthenticationSasl.decode(body);
            byte[] encoded = sasl.encode();
            assertEquals(sasl, AuthenticationSasl.decode(Arrays.copyOfRange(encoded, 5, encoded.length)));
            List<String> kept = new ArrayList<>();
            for (String m : sasl.mechanisms()) {
                if (!m.endsWith("-PLUS")) {
                    kept.add(m);
                }
            }
            assertEquals(kept, sasl.withoutChannelBinding().mechanisms());
        } catch (ProtocolException expected) {
            // refused
        }
        String message;
        try {
            message = ErrorResponse.messageField(body);
        } catch (ProtocolException expected) {
            return;
        }
        assertFalse(message.indexOf('\0') >= 0);
        byte[] built = new ErrorResponse("ERROR", "08P01", message, null, null).encode();
        assertEquals(message, ErrorResponse.messageField(Arrays.copyOfRange(built, 5, built.length)));
    }
}
