package dev.gatehouse.cli.approvals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real web hook receiver on 127.0.0.1 (ephemeral port) that records what arrives and answers every request
 * with one fixed status. Handlers run on virtual threads.
 */
final class Receiver implements AutoCloseable {
    /** One request as it came over the wire. */
    record Got(String event, String timestamp, String signature, String delivery, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final LinkedBlockingQueue<Got> got = new LinkedBlockingQueue<>();

    Receiver(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            try (ex; InputStream in = ex.getRequestBody()) {
                var h = ex.getRequestHeaders();
                got.add(new Got(h.getFirst("X-Gatehouse-Event"), h.getFirst("X-Gatehouse-Timestamp"),
                        h.getFirst("X-Gatehouse-Signature"), h.getFirst("X-Gatehouse-Delivery"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                ex.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next request of {@code event}, skipping others; fails the test after 20 s. */
    Got next(String event) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Got g = got.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (g == null) {
                throw new AssertionError("no " + event + " hook arrived");
            }
            if (event.equals(g.event())) {
                return g;
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
