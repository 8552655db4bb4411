package dev.gatehouse.approvals.hooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on 127.0.0.1 (JDK HttpServer, ephemeral port) that records every request and
 * answers through a script, so tests see exactly what went over the wire. Handlers run on virtual
 * threads so one sleeping answer does not hold up the next request.
 */
final class LoopbackReceiver implements AutoCloseable {

    /** What the receiver answers to the n-th request (1-based). May sleep or block to simulate a slow receiver. */
    @FunctionalInterface
    interface Script {
        int status(int requestNumber) throws InterruptedException;
    }

    record Received(Map<String, List<String>> headers, byte[] body, String path) {
        String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger count = new AtomicInteger();

    LoopbackReceiver(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, script));
        server.start();
    }

    private void answer(HttpExchange exchange, Script script) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            received.add(new Received(new LinkedHashMap<>(exchange.getRequestHeaders()), body,
                    exchange.getRequestURI().getPath()));
            int status;
            try {
                status = script.status(count.incrementAndGet());
            } catch (InterruptedException e) {
                return;
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The next recorded request, waiting at most 10 seconds; fails the test if none came. */
    Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("receiver got no request within 10 s");
        }
        return r;
    }

    int requestCount() {
        return count.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
