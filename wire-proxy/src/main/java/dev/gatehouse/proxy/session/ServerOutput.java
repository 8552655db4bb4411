package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.ProtocolException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The server-bound stream of one session, with the client messages held back until the Execute after them
 * is decided. Used only by the session's client-reader thread.
 */
final class ServerOutput {
    private final OutputStream out;
    private final int maxHeldBytes;
    private final List<Frame> held = new ArrayList<>();
    private int heldBytes;
    /** Extended messages went out since the last Sync: the server is inside a batch. */
    private boolean midPipeline;

    ServerOutput(OutputStream socketOut, int maxHeldBytes) {
        this.out = new BufferedOutputStream(socketOut, ClientSession.BUFFER_SIZE);
        this.maxHeldBytes = maxHeldBytes;
    }

    /** Keeps a client message back. Bounded: a client that never executes cannot fill the proxy's memory. */
    void hold(Frame frame) throws ProtocolException {
        heldBytes += frame.wireLength();
        if (heldBytes > maxHeldBytes) {
            throw new ProtocolException("more than " + maxHeldBytes
                    + " bytes of messages sent without an Execute, Sync or Flush");
        }
        held.add(frame);
    }

    /** Sends what was held, in order. */
    void releaseHeld() throws IOException {
        if (held.isEmpty()) {
            return;
        }
        midPipeline = true;
        for (int i = 0; i < held.size(); i++) {
            write(held.get(i));
        }
        held.clear();
        heldBytes = 0;
    }

    /** True when nothing is held and no batch is open on the server: a point between groups. */
    boolean betweenGroups() {
        return held.isEmpty() && !midPipeline;
    }

    /** A Sync went out: the batch is closed. */
    void syncSent() {
        midPipeline = false;
    }

    /** Hot path: a frame to the buffered stream, unchanged. */
    void write(Frame frame) throws IOException {
        int length = frame.body().length + 4;
        out.write(frame.type());
        out.write(length >>> 24);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(frame.body());
    }

    /** A message the proxy made itself. */
    void write(byte[] message) throws IOException {
        out.write(message);
    }

    void flush() throws IOException {
        out.flush();
    }
}
