package dev.gatehouse.proxy.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.proxy.protocol.frontend.Bind;
import dev.gatehouse.proxy.protocol.frontend.Close;
import dev.gatehouse.proxy.protocol.frontend.Describe;
import dev.gatehouse.proxy.protocol.frontend.FrontendMessage;
import dev.gatehouse.proxy.protocol.frontend.FunctionCall;
import dev.gatehouse.proxy.protocol.frontend.Parse;
import dev.gatehouse.proxy.protocol.frontend.ParameterValues;
import dev.gatehouse.proxy.protocol.frontend.Query;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of what a client sends after startup: the bytes are a stream of frames read by
 * {@link FrameReader} (bound 1 KiB) and decoded by {@link FrontendMessage#decode}, as the session's client
 * reader does. Seeds are real pgjdbc and psql traffic; they and found inputs live in
 * {@code FrontendFuzzTestInputs/frames} and run as regression tests in every build.
 *
 * <p>Properties: reading ends in a frame, a clean end, {@link ProtocolException} or {@link EOFException} (the
 * stream cut inside a message) and nothing else; a frame is never larger than the bound and reading one never
 * allocates beyond it; decoding gives a message or a ProtocolException and allocates in proportion to the
 * bytes actually there, whatever the counts say; Query and Parse survive encode then decode (byte for byte
 * when the text is valid UTF-8); Bind and FunctionCall name a format for every value; Close and Describe
 * target a statement or a portal.
 */
class FrontendFuzzTest {
    static final int MAX_MESSAGE = 1024;

    @FuzzTest(maxDuration = "10s")
    void frames(byte[] data) throws IOException {
        long reading = Allocation.of(() -> readAll(data));
        assertTrue(reading <= Allocation.bound(Math.min(data.length, MAX_MESSAGE)) + (long) data.length / 5 * 64,
                () -> "reading " + data.length + " bytes of frames allocated " + reading);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(data), MAX_MESSAGE);
        while (true) {
            Frame frame;
            try {
                frame = reader.read();
            } catch (ProtocolException | EOFException e) {
                return;
            }
            if (frame == null) {
                return;
            }
            assertTrue(frame.body().length <= MAX_MESSAGE);
            decodeOne(frame);
        }
    }

    /** Reads every frame, keeping none: at most one body is live at a time, as in a session. */
    private static void readAll(byte[] data) throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(data), MAX_MESSAGE);
        while (reader.read() != null) {
            // next
        }
    }

    private static void decodeOne(Frame frame) throws IOException {
        long allocated = Allocation.of(() -> FrontendMessage.decode(frame, StandardCharsets.UTF_8));
        assertTrue(allocated <= Allocation.bound(frame.body().length),
                () -> "decoding " + (char) frame.type() + " of " + frame.body().length + " bytes allocated " + allocated);
        FrontendMessage message;
        try {
            message = FrontendMessage.decode(frame, StandardCharsets.UTF_8);
        } catch (ProtocolException e) {
            return;
        }
        assertNotNull(message);
        switch (message) {
            case Query q -> roundTrip(frame, Query.encode(q.sql()), q.sql(), null);
            case Parse p -> {
                if (p.parameterTypes().length == 0) {
                    roundTrip(frame, Parse.encode(p.statement(), p.sql()), p.sql(), p.statement());
                }
            }
            case Bind b -> everyValueHasAFormat(b.parameters());
            case FunctionCall f -> everyValueHasAFormat(f.arguments());
            case Close c -> assertTrue(c.target() == 'S' || c.target() == 'P');
            case Describe d -> assertTrue(d.target() == 'S' || d.target() == 'P');
            default -> assertEquals(frame, message.frame());
        }
    }

    /** Encoding what was decoded and decoding again gives the same text; the same bytes when they were valid UTF-8. */
    private static void roundTrip(Frame frame, byte[] encoded, String sql, String statement) throws IOException {
        Frame again = new FrameReader(new ByteArrayInputStream(encoded), Integer.MAX_VALUE).read();
        FrontendMessage decoded = FrontendMessage.decode(again, StandardCharsets.UTF_8);
        switch (decoded) {
            case Query q -> assertEquals(sql, q.sql());
            case Parse p -> {
                assertEquals(sql, p.sql());
                assertEquals(statement, p.statement());
            }
            default -> throw new AssertionError("encoded " + (char) frame.type() + " decoded as " + decoded);
        }
        if (validUtf8(frame.body())) {
            assertEquals(frame.type(), encoded[0]);
            assertArrayEquals(frame.body(), Arrays.copyOfRange(encoded, 5, encoded.length));
        }
    }

    private static void everyValueHasAFormat(ParameterValues values) {
        for (int i = 0; i < values.values().length; i++) {
            values.formatOf(i); // an index error here would be a value without a format
        }
    }

    static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
