package dev.gatehouse.proxy.session;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client-bound stream, written by two threads: the server relay (every relayed message) and the client
 * reader (notices while a statement is held, the first bytes of startup). The lock keeps each message whole;
 * it is a ReentrantLock because writes block on the socket.
 */
final class ClientOutput {
    private final ReentrantLock lock = new ReentrantLock();
    private final OutputStream out;

    ClientOutput(OutputStream socketOut) {
        this.out = new BufferedOutputStream(socketOut, ClientSession.RESULT_BUFFER_SIZE);
    }

    /** Writes whole messages and flushes: for the proxy's own, rare messages. */
    void send(byte[] messages) throws IOException {
        lock.lock();
        try {
            out.write(messages);
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Writes whole messages in order and flushes once: the answers of a counted write, kept until it stood. */
    void sendAll(java.util.List<byte[]> messages) throws IOException {
        lock.lock();
        try {
            for (int i = 0; i < messages.size(); i++) {
                out.write(messages.get(i));
            }
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** For the relay, which holds the lock around one message while it streams it through. */
    ReentrantLock lock() {
        return lock;
    }

    /** Only while holding {@link #lock()}. */
    OutputStream stream() {
        return out;
    }
}
