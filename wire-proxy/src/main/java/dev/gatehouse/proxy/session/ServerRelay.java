package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.protocol.FrameReader;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;
import dev.gatehouse.proxy.protocol.SocketInput;
import dev.gatehouse.proxy.protocol.backend.AuthenticationSasl;
import dev.gatehouse.proxy.protocol.backend.BackendKeyData;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The server-to-client direction of one session. Runs on its own thread ({@link dev.gatehouse.proxy.SessionThreads}) for the life of the
 * session. Streams every message straight through except the few it must see: ReadyForQuery (transaction
 * status), ErrorResponse (to put refusals in place of the deliberate failures), BackendKeyData (the client
 * gets the proxy's key), AuthenticationSASL (no channel binding through a proxy) and ParameterStatus
 * (application_name, and client_encoding: the charset the proxy reads the client's text in). It also tells the
 * {@link ResponseTracker} of ParseComplete, CloseComplete and each CommandComplete's tag, which answer the
 * proxy's changes to the prepared statements (the tag goes to the listener too: DDL for the live catalog). Answers
 * the tracker says the client must not see as they come ({@link Intercept}: the proxy's own statements, a counted
 * write's answers) are read whole and handed over instead. The protocol's bookkeeping is the tracker's and the listener's:
 * this class only moves bytes between a stream and the client's output.
 */
final class ServerRelay implements Runnable {
    /** Bound for the messages the relay decodes; the ones it streams through are never held in memory. */
    private static final int MAX_DECODED = 1 << 20;

    /** What the relay tells the session about; called on the relay thread. */
    interface Listener {
        /** Returns the key to give the client in place of the server's. */
        BackendKeyData serverKey(BackendKeyData server);

        void readyForQuery(byte status);

        /** A CommandComplete's tag: {@code length} bytes of the relay's buffer, with the NUL; read it now. */
        default void commandComplete(byte[] tag, int length) {
        }

        void parameterStatus(String name, String value);

        /** The client's current client_encoding: the server writes text (the probe's answer) in it. */
        java.nio.charset.Charset clientCharset();

        void relayEnded(IOException failure);
    }

    private final SocketInput server;
    private final ClientOutput client;
    private final Listener listener;
    private final ResponseTracker tracker;
    private final byte[] header = new byte[5];
    /** A CommandComplete's tag: short ("SELECT 1", "PREPARE"); a longer one is streamed through unread. */
    private final byte[] tag = new byte[64];
    private final byte[] chunk = new byte[ClientSession.BUFFER_SIZE];

    ServerRelay(SocketInput server, ClientOutput client, Listener listener, ResponseTracker tracker) {
        this.server = server;
        this.tracker = tracker;
        this.client = client;
        this.listener = listener;
    }

    @Override
    public void run() {
        IOException failure = null;
        try {
            relay();
        } catch (IOException e) {
            failure = e;
        } finally {
            tracker.relayEnded();
            listener.relayEnded(failure);
        }
    }

    /** Hot path: one header read per message, bodies of relayed messages copied in chunks, no decoding. */
    private void relay() throws IOException {
        while (true) {
            int type = server.read();
            if (type < 0) {
                return;
            }
            header[0] = (byte) type;
            FrameReader.readFully(server, header, 1, 4);
            int length = ((header[1] & 0xff) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8)
                    | (header[4] & 0xff);
            if (length < 4) {
                throw new ProtocolException("server sent invalid message length " + length);
            }
            Intercept owner = tracker.interceptFor((byte) type);
            if (owner != null) {
                intercepted(owner, (byte) type, length - 4);
                continue;
            }
            switch (type) {
                case 'Z', 'E', 'K', 'R', 'S' -> decoded((byte) type, readBody(length - 4));
                case '1', '3' -> {
                    tracker.onComplete((byte) type);
                    streamThrough(length - 4);
                }
                case 'C' -> commandComplete(length - 4);
                default -> streamThrough(length - 4);
            }
        }
    }

    private byte[] readBody(int length) throws IOException {
        if (length > MAX_DECODED) {
            throw new ProtocolException("server message of " + length + " bytes exceeds " + MAX_DECODED);
        }
        byte[] body = new byte[length];
        FrameReader.readFully(server, body, 0, length);
        return body;
    }

    /** Hot path: DataRow, RowDescription, CommandComplete, CopyData... pass as bytes. */
    private void streamThrough(int bodyLength) throws IOException {
        client.lock().lock();
        try {
            OutputStream out = client.stream();
            out.write(header, 0, 5);
            int left = bodyLength;
            while (left > 0) {
                int n = server.read(chunk, 0, Math.min(left, chunk.length));
                if (n < 0) {
                    throw new ProtocolException("server closed inside a message");
                }
                out.write(chunk, 0, n);
                left -= n;
            }
            flushWhenDrained(out);
        } finally {
            client.lock().unlock();
        }
    }

    /**
     * Hot path: a CommandComplete, its tag read into the relay's buffer so that the tracker can see whether a
     * statement that creates or drops prepared statements ran; then written on unchanged. No allocation.
     */
    private void commandComplete(int bodyLength) throws IOException {
        if (bodyLength == 0 || bodyLength > tag.length) {
            streamThrough(bodyLength);
            return;
        }
        FrameReader.readFully(server, tag, 0, bodyLength);
        tracker.onCommandComplete(tag, bodyLength);
        listener.commandComplete(tag, bodyLength);
        client.lock().lock();
        try {
            OutputStream out = client.stream();
            out.write(header, 0, 5);
            out.write(tag, 0, bodyLength);
            flushWhenDrained(out);
        } finally {
            client.lock().unlock();
        }
    }

    private void decoded(byte type, byte[] body) throws IOException {
        byte[] replacement = switch (type) {
            case 'Z' -> {
                if (body.length != 1) {
                    throw new ProtocolException("server sent a malformed ReadyForQuery");
                }
                listener.readyForQuery(body[0]);
                body[0] = tracker.onReady(body[0]);
                yield null;
            }
            case 'E' -> {
                tracker.onError(null);
                yield tracker.refusalsPending() ? tracker.refusalFor(ErrorResponse.messageField(body)) : null;
            }
            case 'K' -> listener.serverKey(BackendKeyData.decode(body)).encode();
            case 'R' -> new PayloadReader(body, 0).int32() == AuthenticationSasl.CODE
                    ? AuthenticationSasl.decode(body).withoutChannelBinding().encode() : null;
            case 'S' -> {
                PayloadReader r = new PayloadReader(body, 0, listener.clientCharset());
                listener.parameterStatus(r.cstring(), r.cstring());
                yield null;
            }
            default -> throw new IllegalStateException("not a decoded type: " + (char) type);
        };
        client.lock().lock();
        try {
            OutputStream out = client.stream();
            if (replacement != null) {
                out.write(replacement);
            } else {
                out.write(header, 0, 5);
                out.write(body);
            }
            flushWhenDrained(out);
        } finally {
            client.lock().unlock();
        }
    }

    /**
     * An answer the relay keeps off the client's stream ({@link Intercept}): read whole (bounded), told to the
     * session as any answer is (ReadyForQuery's status, a kept CommandComplete's tag), never relayed.
     */
    private void intercepted(Intercept owner, byte type, int bodyLength) throws IOException {
        byte[] body;
        byte[] message = null;
        if (bodyLength > MAX_DECODED) {
            skip(bodyLength); // only a kept DataRow can be this large: the kept answer is then incomplete
            owner.tooLarge();
            body = null;
        } else if (owner.keeps()) {
            message = new byte[5 + bodyLength];
            System.arraycopy(header, 0, message, 0, 5);
            FrameReader.readFully(server, message, 5, bodyLength);
            body = java.util.Arrays.copyOfRange(message, 5, message.length);
        } else {
            body = readBody(bodyLength);
        }
        if (body == null) {
            return; // a DataRow's: never a kept answer's last
        }
        if (type == 'Z' && body.length != 1) {
            throw new ProtocolException("server sent a malformed ReadyForQuery");
        }
        if (type == 'C' && owner.keeps()) {
            tracker.onCommandComplete(body, body.length);
            listener.commandComplete(body, body.length);
        }
        boolean last = owner.accept(type, body, message, listener.clientCharset());
        switch (type) {
            case 'E' -> {
                tracker.onError(owner);
                if (owner.showsErrors()) {
                    client.lock().lock();
                    try {
                        client.stream().write(header, 0, 5);
                        client.stream().write(body);
                        flushWhenDrained(client.stream());
                    } finally {
                        client.lock().unlock();
                    }
                }
            }
            case 'Z' -> {
                listener.readyForQuery(body[0]);
                tracker.onReady(body[0]);
            }
            default -> {
            }
        }
        if (last) {
            tracker.ended(owner);
        }
        if (server.buffered() == 0) {
            // What was relayed before it waited for a burst's end to be flushed: this answer may have been that end.
            client.lock().lock();
            try {
                client.stream().flush();
            } finally {
                client.lock().unlock();
            }
        }
    }

    private void skip(int length) throws IOException {
        int left = length;
        while (left > 0) {
            int n = server.read(chunk, 0, Math.min(left, chunk.length));
            if (n < 0) {
                throw new ProtocolException("server closed inside a message");
            }
            left -= n;
        }
    }

    /** Flush only when nothing more is waiting from the server: one write per burst, not per message. */
    private void flushWhenDrained(OutputStream out) throws IOException {
        if (server.buffered() == 0) {
            out.flush();
        }
    }
}
