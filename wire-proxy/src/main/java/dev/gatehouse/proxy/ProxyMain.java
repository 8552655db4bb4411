package dev.gatehouse.proxy;

import dev.gatehouse.enforce.guard.StatementGuard;
import dev.gatehouse.proxy.tls.PemTls;
import dev.gatehouse.proxy.tls.Pkcs12Tls;
import dev.gatehouse.proxy.tls.TlsConfig;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the proxy on its own until terminated, with a guard of one's own, for trials; production runs it
 * inside {@code gatehouse serve} with the policy guard. There is no default guard: without {@code --guard}
 * naming a {@link StatementGuard} class (public, no-argument constructor) it refuses to start, so it can
 * never run open by accident. Runs on the main thread, which then waits for the shutdown hook.
 *
 * <pre>
 * java -cp ... dev.gatehouse.proxy.ProxyMain --listen 127.0.0.1:6432 --upstream 127.0.0.1:5432 \
 *      --guard com.example.MyGuard [--principal NAME] [--max-connections N]
 *      [--tls-keystore FILE.p12 --tls-password-env VARIABLE | --tls-cert CHAIN.pem --tls-key KEY.pem]
 * </pre>
 */
public final class ProxyMain {
    private ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String guardClass = required(options, "guard");
        StatementGuard guard = (StatementGuard) Class.forName(guardClass).getConstructor().newInstance();
        Limits limits = Limits.DEFAULTS;
        if (options.containsKey("max-connections")) {
            limits = limits.withMaxConnections(Integer.parseInt(options.get("max-connections")));
        }
        TlsConfig tls = null;
        if (options.containsKey("tls-keystore")) {
            String password = System.getenv(required(options, "tls-password-env"));
            if (password == null) {
                throw new IllegalArgumentException("the TLS password variable is not set");
            }
            tls = new Pkcs12Tls(Path.of(options.get("tls-keystore")), password.toCharArray());
        } else if (options.containsKey("tls-cert")) {
            tls = new PemTls(Path.of(options.get("tls-cert")), Path.of(required(options, "tls-key")));
        }
        ProxyServer server = new ProxyServer(new ProxyConfig(address(required(options, "listen")),
                address(required(options, "upstream")), tls, limits, guard, options.get("principal"))).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            stopped.countDown();
        }));
        System.out.println("gatehouse proxy listening on port " + server.port() + ", guard " + guardClass);
        stopped.await();
        Thread.sleep(Duration.ofMillis(10));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }

    private static String required(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected host:port, got " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
