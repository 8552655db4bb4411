package dev.gatehouse.proxy;

import dev.gatehouse.enforce.refusal.SqlStates;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;
import dev.gatehouse.proxy.session.CancelRegistry;
import dev.gatehouse.proxy.session.ClientSession;
import dev.gatehouse.proxy.session.SessionContext;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The PostgreSQL protocol proxy: accepts clients, and gives each connection its own thread of the configured {@link SessionThreads} kind (plus one
 * for the server direction). The accept loop runs on one virtual thread; {@link #start} and {@link #stop}
 * may be called from any thread.
 */
public final class ProxyServer implements AutoCloseable {
    private final ProxyConfig config;
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final Semaphore connections;
    private ServerSocket listener;
    private Thread acceptor;
    private Thread sweeper;

    public ProxyServer(ProxyConfig config) {
        this.config = config;
        this.connections = new Semaphore(config.limits().maxConnections());
    }

    /** Binds and starts accepting. Fails (and serves nothing) when the TLS material cannot be loaded. */
    public ProxyServer start() throws IOException {
        lifecycle.lock();
        try {
            if (listener != null) {
                throw new IllegalStateException("already started");
            }
            SSLContext ssl = null;
            if (config.tls() != null) {
                try {
                    ssl = config.tls().sslContext();
                } catch (GeneralSecurityException e) {
                    throw new IOException("cannot load the TLS material " + config.tls(), e);
                }
            }
            SessionContext context = new SessionContext(config.upstream(), ssl, config.limits(), config.guard(),
                    config.principal(), new CancelRegistry(), config.threads(), config.schemaChanges());
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(config.listen(), 128);
            listener = socket;
            acceptor = Thread.ofVirtual().name("gatehouse-proxy-accept").start(() -> acceptLoop(socket, context));
            sweeper = Thread.ofVirtual().name("gatehouse-proxy-timeouts").start(() -> sweep(socket));
            return this;
        } finally {
            lifecycle.unlock();
        }
    }

    /** The bound port (the real one when the configuration asked for port 0). */
    public int port() {
        lifecycle.lock();
        try {
            return listener.getLocalPort();
        } finally {
            lifecycle.unlock();
        }
    }

    /** Stops accepting and closes every session. */
    public void stop() {
        lifecycle.lock();
        try {
            if (listener == null) {
                return;
            }
            try {
                listener.close();
            } catch (IOException e) {
                // Already closed.
            }
            for (ClientSession session : sessions) {
                session.shutdown();
            }
            listener = null;
        } finally {
            lifecycle.unlock();
        }
        try {
            acceptor.join(5_000);
            sweeper.interrupt();
            sweeper.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void acceptLoop(ServerSocket socket, SessionContext context) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // closed by stop()
            }
            if (!connections.tryAcquire()) {
                refuse(client);
                continue;
            }
            ClientSession session = new ClientSession(client, context);
            sessions.add(session);
            try {
                context.threads().builder("gatehouse-session-" + client.getRemoteSocketAddress()).start(() -> {
                    try {
                        session.run();
                    } finally {
                        sessions.remove(session);
                        connections.release();
                    }
                });
            } catch (OutOfMemoryError | RuntimeException e) {
                // No thread for the session (a process or memory limit below max_connections): this client gets
                // PostgreSQL's own answer and its slot back, and the proxy keeps accepting the others.
                sessions.remove(session);
                connections.release();
                refuse(client);
            }
        }
    }

    /**
     * Enforces the startup and idle timeouts of every session, a few times per timeout, on its own virtual
     * thread: cheaper than a timed read per message.
     */
    private void sweep(ServerSocket socket) {
        Limits limits = config.limits();
        long tickMillis = Math.clamp(Math.min(limits.startupTimeout().toMillis(), limits.idleTimeout().toMillis()) / 4,
                20, 1_000);
        while (!socket.isClosed()) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (ClientSession session : sessions) {
                session.checkTimeouts(now);
            }
        }
    }

    /** Over the connection limit: the answer PostgreSQL gives, then close. On the accept thread, bounded by a timeout. */
    private static void refuse(Socket client) {
        try (client) {
            client.setSoTimeout(1_000);
            client.getOutputStream().write(new ErrorResponse("FATAL", SqlStates.TOO_MANY_CONNECTIONS,
                    "sorry, too many clients already", null, null).encode());
            client.getOutputStream().flush();
        } catch (IOException e) {
            // The client left first.
        }
    }
}
