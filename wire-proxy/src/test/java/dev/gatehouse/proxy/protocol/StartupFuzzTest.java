package dev.gatehouse.proxy.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.proxy.protocol.startup.CancelRequest;
import dev.gatehouse.proxy.protocol.startup.GssEncRequest;
import dev.gatehouse.proxy.protocol.startup.SslRequest;
import dev.gatehouse.proxy.protocol.startup.StartupMessage;
import dev.gatehouse.proxy.protocol.startup.StartupRequest;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of a connection's first packet ({@link StartupRequest#read}): SSLRequest,
 * GSSENCRequest, CancelRequest or StartupMessage. Seeds are real psql and pgjdbc packets; they and found inputs
 * live in {@code StartupFuzzTestInputs/startup} and run as regression tests in every build.
 *
 * <p>Properties: the result is a request, null for an empty stream, {@link ProtocolException} or
 * {@link EOFException} (cut inside the packet) and nothing else; reading never allocates beyond PostgreSQL's
 * startup packet limit whatever the length word says; a StartupMessage keeps its packet byte for byte, is
 * protocol 3 and names a user, and its parameters survive encode then decode; a CancelRequest encodes back to
 * the bytes it came from.
 */
class StartupFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void startup(byte[] data) throws IOException {
        long allocated = Allocation.of(() -> StartupRequest.read(new ByteArrayInputStream(data)));
        assertTrue(allocated <= Allocation.bound(Math.min(data.length, StartupRequest.MAX_LENGTH)),
                () -> "a packet of " + data.length + " bytes allocated " + allocated);
        StartupRequest request;
        try {
            request = StartupRequest.read(new ByteArrayInputStream(data));
        } catch (ProtocolException | EOFException e) {
            return;
        }
        if (request == null) {
            assertEquals(0, data.length);
            return;
        }
        int length = ((data[0] & 0xff) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8) | (data[3] & 0xff);
        byte[] packet = Arrays.copyOf(data, length);
        switch (request) {
            case SslRequest s -> assertEquals(8, length);
            case GssEncRequest g -> assertEquals(8, length);
            case CancelRequest c -> assertArrayEquals(packet, c.encode());
            case StartupMessage m -> {
                assertArrayEquals(packet, m.packet());
                assertEquals(3, m.protocolVersion() >>> 16);
                assertFalse(m.user().isEmpty());
                MessageWriter w = new MessageWriter((char) 0).int32(m.protocolVersion());
                for (Map.Entry<String, String> p : m.parameters().entrySet()) {
                    w.cstring(p.getKey()).cstring(p.getValue());
                }
                byte[] encoded = w.int8(0).toBytes();
                StartupRequest again = StartupRequest.read(new ByteArrayInputStream(encoded));
                assertEquals(m.parameters(), assertInstanceOf(StartupMessage.class, again).parameters());
            }
        }
    }
}
