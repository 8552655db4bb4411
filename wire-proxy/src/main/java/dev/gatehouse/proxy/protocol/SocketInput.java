package dev.gatehouse.proxy.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A buffered socket input that can say how much it holds without asking the kernel: the relays flush their
 * output when the input buffer is drained, once per burst, and {@code BufferedInputStream#available()} would
 * cost a system call per message for that. Used by the one thread that reads the socket.
 */
public final class SocketInput extends InputStream {
    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;

    public SocketInput(InputStream in, int size) {
        this.in = in;
        this.buffer = new byte[size];
    }

    /** Bytes already read from the socket and not yet consumed. */
    public int buffered() {
        return limit - position;
    }

    /** Only what is buffered: never a system call. */
    @Override
    public int available() {
        return buffered();
    }

    /** Hot path. */
    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /** Hot path: large reads bypass the buffer once it is empty. */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position == limit) {
            if (len >= buffer.length) {
                return in.read(b, off, len);
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    /**
     * Whether the peer has closed its side, asked while nothing else reads the socket (a statement waits for
     * approval). Waits up to {@code timeoutMillis} for the socket; what arrives meanwhile is kept for the next
     * read. Data still buffered means the peer is there. A timed read: on a platform thread the JDK then
     * leaves the socket non-blocking, which costs later reads a poll; only sessions that held a statement pay.
     */
    public boolean peerClosed(Socket socket, int timeoutMillis) throws IOException {
        if (position < limit) {
            return false;
        }
        socket.setSoTimeout(timeoutMillis);
        try {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                return true;
            }
            position = 0;
            limit = n;
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(0);
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
