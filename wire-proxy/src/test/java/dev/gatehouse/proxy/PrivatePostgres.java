package dev.gatehouse.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL 15 cluster of the machine's own binaries, for tests that need password
 * authentication (the shared server trusts every loopback connection and must not be reconfigured) and for
 * fault tests that stop, kill or restart a database (never the shared one). Its pg_hba.conf asks each test user
 * for a password by a different method. Started and stopped by the test thread; the server process is ours and
 * is stopped through its own handle or {@code pg_ctl} on its own data directory. Shared with the cli's fault
 * tests, and its load test (which needs more connections than the shared server takes), through this module's
 * test jar.
 */
public final class PrivatePostgres implements AutoCloseable {
    static final String BIN = "/usr/lib/postgresql/15/bin/";

    /** How {@link #stop} shuts the server down: {@code pg_ctl -m} modes. */
    public enum Shutdown {
        /** Rolls back open transactions, tells every client 57P01, then stops. */
        FAST,
        /** Quits every process at once, as after a crash: recovery runs at the next start. */
        IMMEDIATE
    }

    final Path dir;
    public final int port;
    private final Path data;
    private final int maxConnections;
    private Process server;

    public PrivatePostgres() throws Exception {
        this(30);
    }

    /** @param maxConnections the server's max_connections (each needs a backend process and a little shared memory) */
    public PrivatePostgres(int maxConnections) throws Exception {
        this.maxConnections = maxConnections;
        dir = Files.createTempDirectory("gatehouse-pg");
        port = freePort();
        Cli.Result own = Cli.run("", "chown", "postgres", dir.toString());
        check(own);
        data = dir.resolve("data");
        check(Cli.run("", "runuser", "-u", "postgres", "--", BIN + "initdb", "-D", data.toString(), "-A", "trust",
                "-U", "postgres", "--no-sync", "-E", "UTF8"));
        Files.writeString(data.resolve("pg_hba.conf"), """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                host all scram_user 127.0.0.1/32 scram-sha-256
                host all md5_user 127.0.0.1/32 md5
                host all clear_user 127.0.0.1/32 password
                """);
        start();
        try (Connection c = DriverManager.getConnection(url(), "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE scram_user LOGIN PASSWORD 'scram-secret'");
            s.execute("CREATE ROLE clear_user LOGIN PASSWORD 'clear-secret'");
            s.execute("SET password_encryption = 'md5'");
            s.execute("CREATE ROLE md5_user LOGIN PASSWORD 'md5-secret'");
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable";
    }

    /** (Re)starts the server on the same data directory and port; returns once it accepts connections. */
    public void start() throws Exception {
        server = new ProcessBuilder("runuser", "-u", "postgres", "--", BIN + "postgres", "-D", data.toString(),
                "-p", String.valueOf(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off", "-c", "max_connections=" + maxConnections, "-c", "shared_buffers=16MB")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                .start();
        awaitReady();
    }

    /** Stops the server with {@code pg_ctl stop -m fast|immediate} and waits until its process is gone. */
    public void stop(Shutdown mode) throws Exception {
        check(Cli.run("", "runuser", "-u", "postgres", "--", BIN + "pg_ctl", "-D", data.toString(), "-m",
                mode.name().toLowerCase(java.util.Locale.ROOT), "-w", "-t", "30", "stop"));
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("private PostgreSQL did not stop");
        }
    }

    /** {@link #stop} then {@link #start}: the same cluster, port and data come back. */
    public void restart(Shutdown mode) throws Exception {
        stop(mode);
        start();
    }

    private void awaitReady() throws Exception {
        for (int i = 0; i < 300; i++) {
            try (Connection c = DriverManager.getConnection(url(), "postgres", "")) {
                return;
            } catch (SQLException e) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("private PostgreSQL died: " + Files.readString(dir.resolve("server.log")));
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("private PostgreSQL did not start");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void check(Cli.Result r) {
        if (r.exit() != 0) {
            throw new IllegalStateException(r.output());
        }
    }

    @Override
    public void close() throws Exception {
        // A fast shutdown of our own server only: clients still connected are told 57P01, not waited for.
        if (server.isAlive()) {
            try {
                stop(Shutdown.FAST);
            } catch (RuntimeException e) {
                server.destroyForcibly();
            }
        }
        deleteFiles();
    }

    private void deleteFiles() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
