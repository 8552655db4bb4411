package dev.gatehouse.approvals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Relays loopback connections to the real PostgreSQL (127.0.0.1:5432) until closed; closing cuts every live
 * connection, as a server that goes away. For tests of what fails closed when the database does (the store, the
 * proxy's live catalog). Threads: a virtual thread accepts, two per connection pump.
 */
public final class PostgresRelay implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ExecutorService pumps = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * On a free port below the ephemeral range (32768 up, here): the store's own reconnection attempts to a
     * port nobody listens on take ephemeral source ports, and one that took the relay's own number would
     * connect to itself and hold the port the relay comes back on.
     */
    public PostgresRelay() throws IOException {
        this(freeLowPort());
    }

    private static int freeLowPort() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + random.nextInt(12_000);
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // another listener has it: try the next
            }
        }
        throw new IOException("no free port between 20000 and 32000 after 200 tries");
    }

    /** On a given port: the store coming back where it was. */
    public PostgresRelay(int port) throws IOException {
        server = bound(port);
        pumps.submit(() -> {
            while (!server.isClosed()) {
                Socket client = server.accept();
                sockets.add(client); // at once: close() must find every socket on the relay's port
                if (server.isClosed()) {
                    client.close();
                    break;
                }
                Socket pg = new Socket("127.0.0.1", 5432);
                sockets.add(pg);
                pumps.submit(() -> pump(client.getInputStream(), pg.getOutputStream()));
                pumps.submit(() -> pump(pg.getInputStream(), client.getOutputStream()));
            }
            return null;
        });
    }

    /**
     * The listening socket on {@code port}; a port just given up can stay held for a moment by the connections
     * the cut left behind, so binding it again is retried, within two seconds.
     */
    private static ServerSocket bound(int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
            ServerSocket socket = new ServerSocket();
            try {
                socket.setReuseAddress(true);
                socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                return socket;
            } catch (java.net.BindException e) {
                socket.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    private static Void pump(InputStream in, OutputStream out) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // The relay was cut: that is the point of the tests that use it.
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        pumps.shutdownNow();
    }
}
