package dev.gatehouse.cli.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.store.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code gatehouse approvals list|show|approve|deny}: a client of a running server's HTTP API. The token comes
 * from {@code $GATEHOUSE_TOKEN} or {@code --token-file}, never from a flag value.
 */
final class ApprovalsClient {
    private static final String HELP = """
            gatehouse approvals list [--state pending|approved|...] [--principal NAME] [--limit N]
            gatehouse approvals show ID
            gatehouse approvals approve ID [--reason TEXT]
            gatehouse approvals deny ID [--reason TEXT]
              Talks to a running `gatehouse serve` (--server, default http://127.0.0.1:8700) with your approver
              token from $GATEHOUSE_TOKEN or --token-file FILE. Exit 0 on success, 1 when the server refuses
              (the status and reason are printed), 2 on bad usage.
            """;

    private ApprovalsClient() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Flags f = Flags.parse(args, 1, Set.of("server", "token-file", "state", "principal", "limit", "reason"));
        if (f.help() || f.positional().isEmpty()) {
            out.print(HELP);
            return f.help() ? 0 : 2;
        }
        String token = System.getenv("GATEHOUSE_TOKEN");
        if (f.values().containsKey("token-file")) {
            token = Files.readString(Path.of(f.get("token-file", ""))).strip();
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("no token: set GATEHOUSE_TOKEN or pass --token-file FILE");
        }
        String server = f.get("server", "http://127.0.0.1:8700");
        String verb = f.positional().get(0);
        HttpRequest.Builder req;
        switch (verb) {
            case "list" -> {
                StringBuilder q = new StringBuilder("/api/requests?limit=" + enc(f.get("limit", "100")));
                if (f.values().containsKey("state")) {
                    q.append("&state=").append(enc(f.get("state", "")));
                }
                if (f.values().containsKey("principal")) {
                    q.append("&principal=").append(enc(f.get("principal", "")));
                }
                req = HttpRequest.newBuilder(URI.create(server + q)).GET();
            }
            case "show" -> req = HttpRequest.newBuilder(URI.create(server + "/api/requests/" + enc(id(f)))).GET();
            case "approve", "deny" -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("reason", f.get("reason", ""));
                req = HttpRequest.newBuilder(URI.create(server + "/api/requests/" + enc(id(f)) + "/" + verb))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
            }
            default -> throw new IllegalArgumentException("approvals list|show|approve|deny, not " + verb);
        }
        HttpResponse<String> res;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            res = http.send(req.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IOException e) {
            throw new IOException("cannot reach " + server + ": " + e.getMessage(), e);
        }
        JsonNode body = Json.MAPPER.readTree(res.body());
        if (res.statusCode() != 200) {
            err.println("gatehouse approvals: " + res.statusCode() + " " + body.path("error").asText()
                    + (body.hasNonNull("reason") ? ": " + body.get("reason").asText() : ""));
            return 1;
        }
        if ("list".equals(verb)) {
            for (JsonNode r : body.get("requests")) {
                out.println(r.get("id").asText() + "  " + r.get("state").asText() + "  " + r.get("principal").asText()
                        + "  " + oneLine(r.get("sql").asText()));
            }
        } else {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        }
        return 0;
    }

    private static String id(Flags f) {
        if (f.positional().size() != 2) {
            throw new IllegalArgumentException("give one request id");
        }
        return f.positional().get(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String oneLine(String sql) {
        StringBuilder b = new StringBuilder(Math.min(sql.length(), 100));
        for (int i = 0; i < sql.length() && b.length() < 100; i++) {
            char c = sql.charAt(i);
            b.append(Character.isWhitespace(c) ? ' ' : c);
        }
        return b.toString();
    }
}
