package dev.gatehouse.cli.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.store.Json;
import dev.gatehouse.approvals.view.SqlText;
import dev.gatehouse.approvals.view.SqlView;
import dev.gatehouse.cli.Command;
import dev.gatehouse.cli.Options;
import dev.gatehouse.cli.Terminal;
import dev.gatehouse.cli.UsageException;
import dev.gatehouse.sql.Dialect;
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
            new Options.Spec("--reason", "TEXT", "approve/deny: why, kept with the vote in the audit"),
            new Options.Spec("--json", null, "show: the API's JSON instead of the statement as approvers read it"));

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
                       gatehouse approvals show ID [--json]
                       gatehouse approvals approve ID [--reason TEXT]
                       gatehouse approvals deny ID [--reason TEXT]
                       (each also takes --server URL and --token-file FILE)

                Talks to a running `gatehouse serve` with your approver token: list and show what you may see (the
                requests you may vote on and your own; an admin sees all). show prints a statement as the page shows
                it: cut into the statements the server runs, comments underlined (~), characters that could pass for
                others by code point, bound values beside their placeholders (only where you may vote).
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
        if (!verb.equals("show") && o.flag("--json")) {
            throw new UsageException("--json is for approvals show");
        }
        boolean json = o.flag("--json");
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
        return Failures.reported(name(), terminal, () -> print(terminal, verb, json,
                send(server, req.header("Authorization", "Bearer " + bearer))));
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

    private static int print(Terminal terminal, String verb, boolean json, HttpResponse<String> res) throws IOException {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(res.body());
        } catch (IOException e) {
            throw new IOException("the server answered " + res.statusCode() + " without JSON; is --server a gatehouse serve?");
        }
        if (res.statusCode() != 200) {
            terminal.err().println("gatehouse approvals: " + res.statusCode() + " " + safe(body.path("error").asText())
                    + (body.hasNonNull("reason") ? ": " + safe(body.get("reason").asText()) : ""));
            return Failures.FAILED;
        }
        if (verb.equals("list")) {
            for (JsonNode r : body.path("requests")) {
                terminal.out().println(safe(r.path("id").asText()) + "  " + safe(r.path("state").asText()) + "  "
                        + safe(r.path("principal").asText()) + "  " + SqlText.firstLine(view(r), 100)
                        + "  (search path: " + searchPath(r) + ")  (would touch: " + impact(r) + ")");
            }
        } else if (verb.equals("show") && !json) {
            terminal.out().print(readable(body));
        } else {
            terminal.out().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        }
        return 0;
    }

    /** The statement as the page shows it: the exact text cut into statements, comments marked, values beside. */
    private static SqlView view(JsonNode r) {
        List<String> values = new java.util.ArrayList<>();
        boolean shown = !r.path("parameters_hidden").asBoolean(false);
        if (shown) {
            for (JsonNode v : r.path("parameters")) {
                values.add(v.isNull() ? null : v.asText());
            }
        } else {
            for (int i = 0; i < r.path("parameter_count").asInt(0); i++) {
                values.add(null);
            }
        }
        Dialect dialect = null;
        for (Dialect d : Dialect.values()) {
            if (d.name().equals(r.path("dialect").asText(""))) {
                dialect = d;
            }
        }
        return SqlView.of(r.path("sql").asText(), dialect, values, shown);
    }

    /** {@code approvals show}: what an approver needs to decide, every field safe for a terminal. */
    private static String readable(JsonNode r) {
        StringBuilder b = new StringBuilder();
        b.append("request ").append(safe(r.path("id").asText())).append("  ").append(safe(r.path("state").asText()))
                .append("  by ").append(safe(r.path("principal").asText()));
        if (r.hasNonNull("acting_for")) {
            b.append(" acting for ").append(safe(r.get("acting_for").asText()));
        }
        b.append('\n');
        line(b, "kinds", r.path("kinds"));
        line(b, "tables", r.path("tables"));
        line(b, "columns read", r.path("reads"));
        line(b, "columns written", r.path("writes"));
        b.append("why held: ").append(safe(r.path("reason").asText())).append('\n');
        b.append("search path: ").append(searchPath(r)).append('\n');
        b.append("would touch: ").append(impact(r)).append('\n');
        b.append("needs: ").append(r.path("quorum").asInt()).append(" approval(s) from ")
                .append(r.path("approver_groups").isEmpty() ? "any approver" : join(r.path("approver_groups"))).append('\n');
        b.append(SqlText.render(view(r), SqlText.Comments.UNDERLINE));
        if (r.path("parameters_hidden").asBoolean(false) && r.path("parameter_count").asInt(0) > 0) {
            b.append(r.path("parameter_count").asInt()).append(" bound value(s), shown only to those who may vote on it\n");
        }
        for (JsonNode v : r.path("votes")) {
            b.append("vote: ").append(safe(v.path("approver").asText())).append(' ').append(safe(v.path("choice").asText()))
                    .append(v.path("reason").asText().isEmpty() ? "" : ": " + safe(v.path("reason").asText())).append('\n');
        }
        if (r.hasNonNull("decision_reason")) {
            b.append("outcome: ").append(safe(r.get("decision_reason").asText())).append('\n');
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String label, JsonNode list) {
        if (!list.isEmpty()) {
            b.append(label).append(": ").append(join(list)).append('\n');
        }
    }

    private static String join(JsonNode list) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode n : list) {
            out.add(safe(n.asText()));
        }
        return String.join(", ", out);
    }

    /** What the request showed approvers it would touch, labelled measured or estimated. */
    private static String impact(JsonNode r) {
        return r.hasNonNull("impact") ? safe(r.get("impact").path("summary").asText()) : "not recorded";
    }

    private static String searchPath(JsonNode r) {
        return !r.path("search_path_recorded").asBoolean(true) ? "not recorded"
                : r.hasNonNull("search_path") ? safe(r.get("search_path").asText()) : "server default";
    }

    /** Server text on a terminal: control characters (escape sequences) and look-alikes shown by code point. */
    private static String safe(String s) {
        return SqlText.value(s, 2_000);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
