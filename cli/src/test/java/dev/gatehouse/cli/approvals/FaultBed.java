package dev.gatehouse.cli.approvals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * What the fault tests share: a running Gatehouse seen from outside (its HTTP API with an approver token, its
 * proxy port), plain SQL on a database, and counts taken from the operating system (threads, TCP connections)
 * rather than from the code under test. Used on the test thread only.
 */
record FaultBed(int apiPort, int proxyPort, String token) {
    /** pgjdbc through the proxy to database {@code db} as user postgres; held statements block in it. */
    Connection proxied(String db, String mode) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + db
                + "?sslmode=disable&preferQueryMode=" + mode + "&connectTimeout=5&ApplicationName=faults", "postgres", "");
    }

    HttpResponse<String> vote(String id, String verdict) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(api("/api/requests/" + id + "/" + verdict))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"fault test\"}")));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(api(path)).GET());
    }

    private URI api(String path) {
        return URI.create("http://127.0.0.1:" + apiPort + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    // ------------------------------------------------------------------ plain SQL, behind Gatehouse's back

    static void exec(String url, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The store's record counts: requests, votes, audit records. */
    record StoreCounts(long requests, long votes, long audit) {
        static StoreCounts of(String storeUrl) throws SQLException {
            return new StoreCounts(count(storeUrl, "SELECT count(*) FROM gh_request"),
                    count(storeUrl, "SELECT count(*) FROM gh_vote"), count(storeUrl, "SELECT count(*) FROM gh_audit"));
        }
    }

    /** The state of request {@code id} in the store, read directly (lower case, as the API says it). */
    static String state(String storeUrl, String id) throws SQLException {
        try (Connection c = DriverManager.getConnection(storeUrl, "postgres", "");
             var ps = c.prepareStatement("SELECT state FROM gh_request WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1).toLowerCase(Locale.ROOT) : "missing";
            }
        }
    }

    /** The id of the one request whose SQL contains {@code sql}, read from the store (bounded wait). */
    static String requestFor(String storeUrl, String sql) throws Exception {
        return await(Duration.ofSeconds(20), "a request for " + sql, () -> {
            try (Connection c = DriverManager.getConnection(storeUrl, "postgres", "");
                 var ps = c.prepareStatement("SELECT id FROM gh_request WHERE sql_text LIKE ? ORDER BY created_at DESC")) {
                ps.setString(1, "%" + sql + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    // ------------------------------------------------------------------ counted from the outside

    /** Live threads whose name starts with {@code prefix} (the proxy names its session and relay threads). */
    static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    /** Established TCP connections (IPv4 and IPv6) whose remote end is loopback port {@code port}, from /proc/net. */
    static long connectionsTo(int port) throws IOException {
        String hex = String.format(":%04X", port);
        long n = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[2].endsWith(hex) && f[3].equals("01")) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Polls {@code probe} until it returns non-null; fails the test after {@code max}. */
    static <T> T await(Duration max, String what, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                T t = probe.call();
                if (t != null) {
                    return t;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never saw " + what, last);
    }
}
