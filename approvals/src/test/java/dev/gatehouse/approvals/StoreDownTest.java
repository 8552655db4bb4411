package dev.gatehouse.approvals;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.approvals.store.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The store goes away while the service runs (a loopback TCP relay to PostgreSQL is cut): opening, voting and
 * waiting all fail closed with {@link StoreUnavailableException}, and nothing is reported as approved.
 */
class StoreDownTest {

    /** Relays loopback connections to PostgreSQL until closed; closing cuts every live connection. */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final ExecutorService pumps = Executors.newVirtualThreadPerTaskExecutor();

        /**
         * On a free port below the ephemeral range (32768 up, here): the store's own reconnection attempts to a
         * port nobody listens on take ephemeral source ports, and one that took the relay's own number would
         * connect to itself and hold the port the relay comes back on.
         */
        Relay() throws IOException {
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
        Relay(int port) throws IOException {
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

        int port() {
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
                // The relay was cut: that is the point of the test.
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

    @Test
    void aStoreThatGoesAwayFailsEveryReviewClosed() throws Exception {
        TestStores ts = TestStores.postgres();
        Relay relay = new Relay();
        String url = "jdbc:postgresql://127.0.0.1:" + relay.port() + "/test?currentSchema=" + ts.schema() + "&socketTimeout=5";
        try (Store store = Store.open(url, "postgres", null, 2);
             ApprovalService s = new ApprovalService(store, Submissions.APPROVERS, ServiceOptions.defaults(), null);
             ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Submission sub = Submissions.simple("delete from users", Submissions.dba(1));
            String id = s.open(sub).requestId();
            assertTrue(s.storeAnswers(), "ready while the store answers");
            Future<Outcome> waiter = ex.submit(() -> s.await(id, Duration.ofSeconds(60)));
            Thread.sleep(200);
            relay.close();

            ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(20, TimeUnit.SECONDS));
            assertInstanceOf(StoreUnavailableException.class, e.getCause());
            StoreUnavailableException open = assertThrows(StoreUnavailableException.class,
                    () -> s.open(Submissions.simple("drop table users", Submissions.dba(1))));
            assertTrue(open.getMessage().contains("approvals store"), open.getMessage());
            assertThrows(StoreUnavailableException.class, () -> s.vote(id, "alice", Vote.Choice.APPROVE, "", "api"));
            assertThrows(StoreUnavailableException.class, () -> s.claim(id, sub));
            assertFalse(s.storeAnswers(), "not ready while the store is gone");
            assertFalse(store.breaker().isClosed());
        } finally {
            ts.drop();
        }
    }

    @Test
    void theStoresProberClosesTheBreakerOnceTheStoreIsBackWithoutACaller() throws Exception {
        TestStores ts = TestStores.postgres();
        Relay relay = new Relay();
        int port = relay.port();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/test?currentSchema=" + ts.schema() + "&socketTimeout=5";
        // A bare store: no approvals service, so no expiry sweep calls it; only its prober can.
        try (Store store = Store.open(url, "postgres", null, 2)) {
            assertTrue(store.answers());
            relay.close();
            assertFalse(store.answers(), "the cut store fails and opens the breaker");
            assertFalse(store.breaker().isClosed());
            try (Relay back = new Relay(port)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!store.breaker().isClosed() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(store.breaker().isClosed(), "nobody called: the prober found the store back");
                assertTrue(store.answers());
            }
        } finally {
            ts.drop();
        }
    }
}
