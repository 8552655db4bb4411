package dev.gatehouse.proxy.protocol.startup;

import dev.gatehouse.proxy.protocol.FrameReader;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

import java.io.IOException;
import java.io.InputStream;

/**
 * The first, untyped packet of a connection. A closed set: the session switches over it exhaustively.
 * Runs on the session's client-reader thread.
 */
public sealed interface StartupRequest permits SslRequest, GssEncRequest, CancelRequest, StartupMessage {

    /** PostgreSQL's own limit for a startup packet (MAX_STARTUP_PACKET_LENGTH). */
    int MAX_LENGTH = 10_000;

    int PROTOCOL_3_0 = 196608;
    int SSL_REQUEST_CODE = 80877103;
    int GSSENC_REQUEST_CODE = 80877104;
    int CANCEL_REQUEST_CODE = 80877102;

    /** Reads and decodes one startup packet; null at end of stream before any byte. */
    static StartupRequest read(InputStream in) throws IOException {
        byte[] lengthWord = new byte[4];
        int first = in.read();
        if (first < 0) {
            return null;
        }
        lengthWord[0] = (byte) first;
        FrameReader.readFully(in, lengthWord, 1, 3);
        int length = new PayloadReader(lengthWord, 0).int32();
        if (length < 8 || length > MAX_LENGTH) {
            throw new ProtocolException("invalid startup packet length " + length);
        }
        byte[] packet = new byte[length];
        System.arraycopy(lengthWord, 0, packet, 0, 4);
        FrameReader.readFully(in, packet, 4, length - 4);
        PayloadReader body = new PayloadReader(packet, 4);
        int code = body.int32();
        return switch (code) {
            case SSL_REQUEST_CODE -> {
                body.expectEnd();
                yield new SslRequest();
            }
            case GSSENC_REQUEST_CODE -> {
                body.expectEnd();
                yield new GssEncRequest();
            }
            case CANCEL_REQUEST_CODE -> {
                int pid = body.int32();
                int secret = body.int32();
                body.expectEnd();
                yield new CancelRequest(pid, secret);
            }
            default -> StartupMessage.decode(code, body, packet);
        };
    }
}
