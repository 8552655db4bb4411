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
    private final ResponseTracker tracker;
    private final List<Frame> held = new ArrayList<>();
    /**
     * At the same positions as {@link #held}: the change to the prepared statements each makes, or null. Told to
     * the tracker when the frame goes (or is dropped), not when it is held: the proxy's own statements may go to
     * the server before it, and the tracker matches answers in the order the server receives.
     */
    private final List<NamespaceChange> heldChanges = new ArrayList<>();
    private final byte[] header = new byte[5];
    private int heldBytes;
    /** Extended messages went out since the last Sync: the server is inside a batch. */
    private boolean midPipeline;

    ServerOutput(OutputStream socketOut, int maxHeldBytes, ResponseTracker tracker) {
        this.out = new BufferedOutputStream(socketOut, ClientSession.BUFFER_SIZE);
        this.maxHeldBytes = maxHeldBytes;
        this.tracker = tracker;
    }

    /** Keeps a client message back. Bounded: a client that never executes cannot fill the proxy's memory. */
    void hold(Frame frame) throws ProtocolException {
        hold(frame, null);
    }

    /** As above, for a message that changes the prepared statements ({@code change}). */
    void hold(Frame frame, NamespaceChange change) throws ProtocolException {
        heldBytes += frame.wireLength();
        if (heldBytes > maxHeldBytes) {
            throw new ProtocolException("more than " + maxHeldBytes
                    + " bytes of messages sent without an Execute, Sync or Flush");
        }
        held.add(frame);
        heldChanges.add(change);
    }

    /** Whether client messages are held back (their answers are not yet owed). */
    boolean holding() {
        return !held.isEmpty();
    }

    /** Sends what was held, in order. */
    void releaseHeld() throws IOException {
        if (held.isEmpty()) {
            return;
        }
        midPipeline = true;
        for (int i = 0; i < held.size(); i++) {
            sent(i);
            write(held.get(i));
        }
        held.clear();
        heldChanges.clear();
        heldBytes = 0;
    }

    private void sent(int i) {
        NamespaceChange change = heldChanges.get(i);
        if (change != null) {
            tracker.sent(change);
        }
    }

    /**
     * A refusal: sends what was held before {@code cut} (the refused portal's Bind), in order, and drops
     * {@code cut} and everything after it, as the server would skip them after an error there. Null: all.
     */
    void releaseHeldBefore(Frame cut) throws IOException {
        if (cut == null) {
            releaseHeld();
            return;
        }
        boolean dropping = false;
        for (int i = 0; i < held.size(); i++) {
            Frame frame = held.get(i);
            dropping |= frame == cut;
            sent(i); // a dropped change is never answered: the group's ReadyForQuery undoes it
            if (!dropping) {
                midPipeline = true;
                write(frame);
            }
        }
        held.clear();
        heldChanges.clear();
        heldBytes = 0;
    }

    /** True when nothing is held and no batch is open on the server: a point between groups. */
    boolean betweenGroups() {
        return held.isEmpty() && !midPipeline;
    }

    /**
     * True when nothing of the client's current group went to the server yet (what is held has not): the proxy
     * may still send a group of its own before it.
     */
    boolean groupUnsent() {
        return !midPipeline;
    }

    /** A Sync went out: the batch is closed. */
    void syncSent() {
        midPipeline = false;
    }

    /** Hot path: a frame to the buffered stream, unchanged; two writes (each takes the stream's lock), no allocation. */
    void write(Frame frame) throws IOException {
        int length = frame.body().length + 4;
        header[0] = frame.type();
        header[1] = (byte) (length >>> 24);
        header[2] = (byte) (length >>> 16);
        header[3] = (byte) (length >>> 8);
        header[4] = (byte) length;
        out.write(header, 0, 5);
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
