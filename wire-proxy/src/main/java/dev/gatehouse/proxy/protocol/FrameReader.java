package dev.gatehouse.proxy.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads typed messages (type byte, int32 length including itself, body) with a size bound. Runs on the
 * thread that owns the stream (a session's client reader or server relay).
 */
public final class FrameReader {
    private final InputStream in;
    private final int maxMessageSize;
    private final byte[] header = new byte[5];
    /** True between a message's first byte and its last: a peer stalled here is broken, not idle. */
    private volatile boolean insideMessage;

    public FrameReader(InputStream in, int maxMessageSize) {
        this.in = in;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Hot path: one allocation, the body. Returns null at a clean end of stream between messages.
     *
     * @throws ProtocolException for a length below 4 or above the bound, or a stream cut inside a message
     */
    public Frame read() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        header[0] = (byte) first;
        insideMessage = true;
        readFully(header, 1, 4);
        int length = ((header[1] & 0xff) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8)
                | (header[4] & 0xff);
        if (length < 4) {
            throw new ProtocolException("invalid message length " + length);
        }
        if (length - 4 > maxMessageSize) {
            throw new ProtocolException("message of " + length + " bytes exceeds the limit of " + maxMessageSize);
        }
        byte[] body = new byte[length - 4];
        readFully(body, 0, body.length);
        insideMessage = false;
        return new Frame(header[0], body);
    }

    /** For a thread watching this reader's owner: is it in the middle of a message? */
    public boolean insideMessage() {
        return insideMessage;
    }

    /** Reads exactly {@code n} bytes or fails: a peer that stops inside a message is a protocol error. */
    public static void readFully(InputStream in, byte[] b, int off, int n) throws IOException {
        int done = 0;
        while (done < n) {
            int r = in.read(b, off + done, n - done);
            if (r < 0) {
                throw new EOFException("connection closed inside a message");
            }
            done += r;
        }
    }

    private void readFully(byte[] b, int off, int n) throws IOException {
        readFully(in, b, off, n);
    }
}
