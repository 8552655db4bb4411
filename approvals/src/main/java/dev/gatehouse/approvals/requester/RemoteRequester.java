package dev.gatehouse.approvals.requester;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.approvals.DecisionAudit;
import dev.gatehouse.approvals.Impact;
import dev.gatehouse.approvals.Outcome;
import dev.gatehouse.approvals.RequestKey;
import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.Submission;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.store.Breaker;
import dev.gatehouse.approvals.store.StoreRefusedException;
import dev.gatehouse.approvals.store.StoreUnavailableException;
import dev.gatehouse.approvals.wait.Waiters;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A front end's {@link RequesterPort} over {@code gatehouse serve}'s requester API ({@code /api/requester/...}),
 * authenticated with a requester credential ({@code ghr_...}) that serve scopes to the principals it may submit
 * for. The host running the front end then holds no store credentials and no approver token: everything it can
 * do to requests is what this class sends, and serve checks and audits each call.
 *
 * <p>Waiting is a long poll: serve holds each {@code outcome} call up to {@link #POLL} and answers as soon as the
 * request is decided (its own waiters are woken by the vote), so a release costs one HTTP round trip, not a poll
 * interval. A {@link Breaker} guards every call: after serve fails to answer, calls are refused at once for
 * {@link Breaker#OPEN_FOR} instead of each waiting out the connect time-out. Every failure is unchecked and
 * fails closed: {@link StoreUnavailableException} when serve cannot be reached or is unavailable,
 * {@link StoreRefusedException} when it answered no.
 *
 * <p>Threads: thread-safe; every call runs on its caller's thread ({@link HttpClient#send} blocks it and returns
 * at once, with {@link InterruptedException}, when the caller is interrupted).
 */
public final class RemoteRequester implements RequesterPort, AutoCloseable {
    /** The longest one long poll asks serve to hold; the wait loops until the caller's maximum. */
    static final Duration POLL = Duration.ofSeconds(25);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** The longest any other call may take; a 64 MiB statement on a slow link still fits. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final String base;
    private final String publicUrl;
    private final String bearer;
    private final AuditSettings audit;
    private final HttpClient http;
    private final Breaker breaker = new Breaker(Breaker.OPEN_FOR);
    private final AtomicLong allowsSeen = new AtomicLong();
    /** This front end's waiters per request: a request is withdrawn when the last of them gives up. */
    private final Waiters holders = new Waiters();

    /**
     * @param serveUrl  serve's base URL, {@code http(s)://host:port} (a path prefix is kept)
     * @param token     the requester credential ({@code ghr_...})
     * @param publicUrl where approvers open the page (links in held statements' messages); null: {@code serveUrl}
     * @param audit     which allowed statements this front end audits (denials always)
     */
    public RemoteRequester(String serveUrl, String token, String publicUrl, AuditSettings audit) {
        URI u = URI.create(serveUrl);
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException("the approvals service URL must be http(s)://host:port");
        }
        if (token == null || !token.startsWith("ghr_")) {
            throw new IllegalArgumentException("a requester credential (ghr_...) is needed to reach the approvals service;"
                    + " an operator issues one with: gatehouse requester token NAME --principal ...");
        }
        this.base = strip(serveUrl);
        this.publicUrl = publicUrl == null ? this.base : strip(publicUrl);
        this.bearer = "Bearer " + token.strip();
        this.audit = audit;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private record OpenedRemotely(String requestId, boolean joined, Impact impact) implements Opened {
    }

    @Override
    public Opened open(Submission s) {
        JsonNode n = post("/api/requester/open", RequesterWire.submission(s));
        try {
            return new OpenedRemotely(n.path("request_id").asText(), n.path("joined").asBoolean(),
                    RequesterWire.impact(n, "impact"));
        } catch (RequesterWire.BadBody e) {
            throw new StoreUnavailableException("the approvals service answered an unreadable request: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> claimApproved(Submission s) {
        JsonNode n = post("/api/requester/claim-approved", scope(s));
        return n.hasNonNull("request_id") ? Optional.of(n.get("request_id").asText()) : Optional.empty();
    }

    @Override
    public List<Approval> approvedFor(Submission s) {
        JsonNode n = post("/api/requester/approved", scope(s));
        try {
            return RequesterWire.approvals(n);
        } catch (RequesterWire.BadBody e) {
            throw new StoreUnavailableException("the approvals service answered unreadable approvals: " + e.getMessage(), e);
        }
    }

    /** A submission's scope as the API reads it: its principal and its key. */
    private static Map<String, Object> scope(Submission s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("principal", s.principal());
        body.put("key", RequestKey.of(s));
        return body;
    }

    @Override
    public Outcome await(String requestId, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            long waitMs = Math.max(0, Math.min(POLL.toMillis(), left / 1_000_000));
            HttpRequest req = request(path(requestId, "outcome") + "?wait_ms=" + waitMs)
                    .timeout(Duration.ofMillis(waitMs).plus(CALL_TIMEOUT)).GET().build();
            JsonNode n = sendInterruptibly(req);
            Outcome o;
            try {
                o = RequesterWire.outcome(n, requestId);
            } catch (RequesterWire.BadBody e) {
                throw new StoreUnavailableException("the approvals service answered an unreadable outcome: " + e.getMessage(), e);
            }
            if (!(o instanceof Outcome.TimedOut) || deadline - System.nanoTime() <= 0) {
                return o;
            }
        }
    }

    @Override
    public boolean claim(String requestId, Submission s) {
        return post(path(requestId, "claim"), Map.of("key", RequestKey.of(s))).path("claimed").asBoolean(false);
    }

    @Override
    public void startWaiting(String requestId) {
        holders.join(requestId);
    }

    @Override
    public void leaveWaiting(String requestId) {
        holders.leave(requestId);
    }

    @Override
    public boolean stopWaiting(String requestId, String reason) {
        return holders.leave(requestId) && withdraw(requestId, reason);
    }

    @Override
    public boolean withdrawUnlessAwaited(String requestId, String reason) {
        return !holders.has(requestId) && withdraw(requestId, reason);
    }

    /** Withdraws a pending request at serve; true when this call withdrew it. */
    public boolean withdraw(String requestId, String reason) {
        return post(path(requestId, "withdraw"), Map.of("reason", reason == null ? "" : reason)).path("withdrawn").asBoolean(false);
    }

    @Override
    public void auditDecision(DecisionAudit d) {
        if (audit.keeps(d.action(), allowsSeen)) {
            post("/api/requester/decisions", RequesterWire.decision(d));
        }
    }

    @Override
    public String approvalUrl(String requestId) {
        return publicUrl + "/#" + requestId;
    }

    // ---------------------------------------------------------------- HTTP

    private JsonNode post(String path, Object body) {
        HttpRequest req = request(path).timeout(CALL_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(RequesterWire.write(body))).build();
        try {
            return sendInterruptibly(req);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller sees it at its next wait; this call failed closed
            throw new StoreUnavailableException("interrupted while calling the approvals service", e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", bearer);
    }

    private static String path(String requestId, String verb) {
        return "/api/requester/requests/" + URLEncoder.encode(requestId, StandardCharsets.UTF_8) + "/" + verb;
    }

    private JsonNode sendInterruptibly(HttpRequest req) throws InterruptedException {
        Breaker.Permit permit = breaker.enter();
        HttpResponse<byte[]> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            StoreUnavailableException down = new StoreUnavailableException("the approvals service at " + base
                    + " cannot be reached: " + e.getClass().getSimpleName(), e);
            breaker.failed(permit, down);
            throw down;
        } catch (InterruptedException | RuntimeException e) {
            breaker.release(permit);
            throw e;
        }
        int status = res.statusCode();
        JsonNode body;
        try {
            body = RequesterWire.read(res.body());
        } catch (RequesterWire.BadBody e) {
            body = null;
        }
        if (status == 200 && body != null) {
            breaker.succeeded(permit);
            return body;
        }
        String why = body == null ? "HTTP " + status : "HTTP " + status + " " + body.path("error").asText("")
                + (body.hasNonNull("reason") ? ": " + body.get("reason").asText() : "");
        if (status == 503 || status == 502 || status == 504 || body == null) {
            StoreUnavailableException down = new StoreUnavailableException("the approvals service at " + base
                    + " is unavailable (" + why + ")", null);
            breaker.failed(permit, down);
            throw down;
        }
        // It answered, and said no (a credential it does not accept, a principal out of scope, a body it refused).
        breaker.succeeded(permit);
        throw new StoreRefusedException("the approvals service at " + base + " refused (" + why + ")",
                status == 401 || status == 403 ? "42501" : "22000", null);
    }

    private static String strip(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    @Override
    public void close() {
        http.close();
    }
}
