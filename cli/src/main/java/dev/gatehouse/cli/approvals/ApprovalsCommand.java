package dev.gatehouse.cli.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.store.Json;
import dev.gatehouse.cli.Command;
import dev.gatehouse.cli.Options;
import dev.gatehouse.cli.Terminal;
import dev.gatehouse.cli.UsageException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code gatehouse approvals list|show|approve|deny}: a client of a running server's HTTP API, so a vote from
 * the terminal passes the same token, eligibility and audit checks as one from the page. The token comes from
 * {@code $GATEHOUSE_TOKEN} or {@code --token-file}, never from a flag value. Runs on the CLI main thread.
 */
public final class ApprovalsCommand implements Command {
    static final String TOKEN_ENV = "GATEHOUSE_TOKEN";
    static final List<String> VERBS = List.of("list", "show", "approve", "deny");
    static final List<Options.Spec> OPTIONS = List.of(
            new Options.Spec("--server", "URL", "the running gatehouse serve (default http://127.0.0.1:8700)"),
            new Options.Spec("--token-file", "FILE", "a file holding your approver token (default: $" + TOKEN_ENV + ")"),
            new Options.Spec("--state", "STATE", "list: only pending, approved, denied, expired, withdrawn or consumed"),
            new Options.Spec("--principal", "NAME", "list: only requests of this requester"),
            new Options.Spec("--limit", "N", "list: at most N requests (default 100, at most 500)"),
            new Options.Spec("--reason", "TEXT", "approve/deny: why, kept with the vote in the audit"));

    private final Function<String, String> env;

    public ApprovalsCommand() {
        this(System::getenv);
    }

    ApprovalsCommand(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public String name() {
        return "approvals";
    }

    @Override
    public String summary() {
        return "list, show, approve or deny held statements (through a running server)";
    }

    @Override
    public String help() {
        return """
                Usage: gatehouse approvals list [--state STATE] [--principal NAME] [--limit N]
                       gatehouse approvals show ID
                       gatehouse approvals approve ID [--reason TEXT]
                       gatehouse approvals deny ID [--reason TEXT]
                       (each also takes --server URL and --token-file FILE)

                Talks to a running `gatehouse serve` with your approver token.
                Exit code: 0 done, 1 the server refused (its status and reason are printed) or cannot be reached,
                2 for a bad command line.

                """ + Options.describe(OPTIONS);
    }

    @Override
    public int run(List<String> args, Terminal terminal) throws UsageException {
        Options o = Options.parse(args, OPTIONS, true);
        List<String> words = o.positional();
        if (words.isEmpty() || !VERBS.contains(words.get(0))) {
            throw new UsageException("say approvals list|show|approve|deny" + (words.isEmpty() ? "" : ", not " + words.get(0)));
        }
        String verb = words.get(0);
        boolean list = verb.equals("list");
        if (list ? words.size() != 1 : words.size() != 2) {
            throw new UsageException(list ? "approvals list takes no arguments, only options" : "approvals " + verb + " takes one request id");
        }
        for (String only : List.of("--state", "--principal", "--limit")) {
            if (!list && o.value(only).isPresent()) {
                throw new UsageException(only + " is for approvals list");
            }
        }
        if (!(verb.equals("approve") || verb.equals("deny")) && o.value("--reason").isPresent()) {
            throw new UsageException("--reason is for approvals approve and deny");
        }
        String server = o.value("--server").orElse("http://127.0.0.1:8700");
        if (!server.startsWith("http://") && !server.startsWith("https://")) {
            throw new UsageException("--server wants an http(s) URL");
        }
        String token = o.value("--token-file").isPresent()
                ? ValueSource.resolve(new ValueSource.File(java.nio.file.Path.of(o.value("--token-file").get()), "--token-file"), env)
                : env.apply(TOKEN_ENV);
        if (token == null || token.isBlank()) {
            throw new UsageException("no token: set " + TOKEN_ENV + " or pass --token-file FILE");
        }
        HttpRequest.Builder req = switch (verb) {
            case "list" -> {
                StringBuilder q = new StringBuilder("/api/requests?limit=").append(enc(o.value("--limit").orElse("100")));
                o.value("--state").ifPresent(v -> q.append("&state=").append(enc(v)));
                o.value("--principal").ifPresent(v -> q.append("&principal=").append(enc(v)));
                yield HttpRequest.newBuilder(URI.create(server + q)).GET();
            }
            case "show" -> HttpRequest.newBuilder(URI.create(server + "/api/requests/" + enc(words.get(1)))).GET();
            default -> HttpRequest.newBuilder(URI.create(server + "/api/requests/" + enc(words.get(1)) + "/" + verb))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("reason", o.value("--reason").orElse("")))));
        };
        String bearer = token.strip();
        return Failures.reported(name(), terminal, () -> print(terminal, verb, send(server, req.header("Authorization", "Bearer " + bearer))));
    }

    private static HttpResponse<String> send(String server, HttpRequest.Builder req) throws IOException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return http.send(req.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IOException e) {
            throw new IOException("cannot reach " + server + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private static int print(Terminal terminal, String verb, HttpResponse<String> res) throws IOException {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(res.body());
        } catch (IOException e) {
            throw new IOException("the server answered " + res.statusCode() + " without JSON; is --server a gatehouse serve?");
        }
        if (res.statusCode() != 200) {
            terminal.err().println("gatehouse approvals: " + res.statusCode() + " " + body.path("error").asText()
                    + (body.hasNonNull("reason") ? ": " + body.get("reason").asText() : ""));
            return Failures.FAILED;
        }
        if (verb.equals("list")) {
            for (JsonNode r : body.path("requests")) {
                terminal.out().println(r.path("id").asText() + "  " + r.path("state").asText() + "  "
                        + r.path("principal").asText() + "  " + oneLine(r.path("sql").asText())
                        + "  (search path: " + (!r.path("search_path_recorded").asBoolean(true) ? "not recorded"
                        : r.hasNonNull("search_path") ? r.get("search_path").asText() : "server default") + ")"
                        + "  (would touch: " + (r.hasNonNull("impact") ? r.get("impact").path("summary").asText()
                        : "not recorded") + ")");
            }
        } else {
            terminal.out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        }
        return 0;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The first 100 characters with line breaks flattened, for one line per request. */
    private static String oneLine(String sql) {
        StringBuilder b = new StringBuilder(Math.min(sql.length(), 100));
        for (int i = 0; i < sql.length() && b.length() < 100; i++) {
            char c = sql.charAt(i);
            b.append(Character.isWhitespace(c) ? ' ' : c);
        }
        return b.toString();
    }
}
