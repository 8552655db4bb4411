package dev.gatehouse.jdbc.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.ServiceOptions;
import dev.gatehouse.approvals.http.ApiServer;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.store.Json;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.policy.Policy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a DBA has in these tests: the approvals service ({@code gatehouse serve}'s parts: store, HTTP API,
 * approver tokens) over the same embedded store the driver's policy guard uses, reached only over real HTTP.
 * One desk for the test JVM, so the driver opens one shared approvals service for all tests.
 *
 * <p>Threads: any; the HTTP client is thread-safe.
 */
final class ApprovalDesk {
    static final Path POLICY = policyFile();
    static final ApprovalDesk DESK = start();

    final String storeUrl;
    /** A file holding a requester credential for every principal: what a driver given serve's URL reads. */
    final Path requesterToken;
    private final ApiServer server;
    private final String aliceToken;
    private final String bobToken;
    private final HttpClient http = HttpClient.newHttpClient();

    private ApprovalDesk(String storeUrl, Path requesterToken, ApiServer server, String aliceToken, String bobToken) {
        this.storeUrl = storeUrl;
        this.requesterToken = requesterToken;
        this.server = server;
        this.aliceToken = aliceToken;
        this.bobToken = bobToken;
    }

    private static Path policyFile() {
        try {
            return Path.of(ApprovalDesk.class.getResource("/guard-policy.yaml").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApprovalDesk start() {
        try {
            Path dir = Files.createTempDirectory("gatehouse-driver-store");
            String url = "jdbc:h2:file:" + dir.resolve("gatehouse");
            Store store = Store.open(url, "sa", "", 4);
            Policy policy = Policy.load(POLICY);
            ApprovalService service = new ApprovalService(store, policy.approvers(), ServiceOptions.defaults(), null);
            TokenStore tokens = new TokenStore(store);
            ApiServer server = new ApiServer(service, tokens, null, null, new InetSocketAddress("127.0.0.1", 0)).start();
            Path requester = Files.writeString(dir.resolve("requester.token"),
                    tokens.issueRequester("driver-tests", List.of("*"), false).token());
            return new ApprovalDesk(url, requester, server, tokens.issue("alice"), tokens.issue("bob"));
        } catch (Exception e) {
            throw new IllegalStateException("could not start the approvals desk", e);
        }
    }

    /** A Gatehouse URL over {@code base} (a real URL after {@code jdbc:}) deciding with the test policy. */
    String url(String base, String more) {
        return url(base, POLICY, more);
    }

    /** A Gatehouse URL over {@code base} deciding with {@code policy} (its approvers are not this desk's). */
    String url(String base, Path policy, String more) {
        return "jdbc:gatehouse:" + base + (base.contains("?") ? "&" : "?")
                + "gatehouse.policy=" + enc(policy.toAbsolutePath().normalize().toString()) + "&gatehouse.approvals=" + enc(storeUrl)
                + "&gatehouse.public-url=" + enc(baseUrl()) + (more.isEmpty() ? "" : "&" + more);
    }

    /** As {@link #url(String, String)}, with requests going to this desk's requester API instead of its store. */
    String remoteUrl(String base, String more) {
        return remoteUrl(base, POLICY, more);
    }

    /**
     * As {@link #url(String, Path, String)}, with requests going to this desk's requester API; serve decides who
     * votes with this desk's approvers (guard-policy.yaml's), whatever {@code policy} lists.
     */
    String remoteUrl(String base, Path policy, String more) {
        return url(base, policy, more).replace("gatehouse.approvals=" + enc(storeUrl), "gatehouse.approvals=" + enc(baseUrl())
                + "&gatehouse.requester-token-file=" + enc(requesterToken.toString()));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Pending requests whose SQL contains {@code fragment}, through {@code GET /api/requests}. */
    List<String> pending(String fragment) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/requests?state=pending&limit=500"))
                .header("Authorization", "Bearer " + aliceToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("list failed: " + r.statusCode() + " " + r.body());
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode n : Json.read(r.body(), JsonNode.class).get("requests")) {
            if (n.get("sql").asText().contains(fragment)) {
                ids.add(n.get("id").asText());
            }
        }
        return ids;
    }

    /**
     * Every request, in any state, whose SQL contains {@code fragment}: id to state, through {@code GET
     * /api/requests} (the newest 500, pending first; a test's fresh table names are among them).
     */
    java.util.Map<String, String> requests(String fragment) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/requests?limit=500"))
                .header("Authorization", "Bearer " + aliceToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("list failed: " + r.statusCode() + " " + r.body());
        }
        java.util.Map<String, String> states = new java.util.TreeMap<>();
        for (JsonNode n : Json.read(r.body(), JsonNode.class).get("requests")) {
            if (n.get("sql").asText().contains(fragment)) {
                states.put(n.get("id").asText(), n.get("state").asText());
            }
        }
        return states;
    }

    /** One request as {@code GET /api/requests/{id}} shows it. */
    JsonNode request(String id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/requests/" + id))
                .header("Authorization", "Bearer " + aliceToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("show failed: " + r.statusCode() + " " + r.body());
        }
        return Json.read(r.body(), JsonNode.class);
    }

    /** Waits (bounded) for exactly one pending request for {@code fragment} and returns its id. */
    String awaitPending(String fragment) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> ids = pending(fragment);
            if (!ids.isEmpty()) {
                return ids.getFirst();
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no pending request for " + fragment + " within 20 s");
    }

    /** {@code POST /api/requests/{id}/approve} as alice; returns the HTTP status. */
    int approve(String requestId) throws Exception {
        return vote(requestId, "approve", aliceToken);
    }

    int deny(String requestId) throws Exception {
        return vote(requestId, "deny", bobToken);
    }

    private int vote(String requestId, String choice, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/requests/" + requestId + "/" + choice))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"test " + choice + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
