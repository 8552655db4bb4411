package dev.gatehouse.approvals.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.DecisionAudit;
import dev.gatehouse.approvals.Outcome;
import dev.gatehouse.approvals.RequesterPort;
import dev.gatehouse.approvals.Submission;
import dev.gatehouse.approvals.people.TokenStore.Requester;
import dev.gatehouse.approvals.requester.RequesterWire;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The requester API: what a front end holding a requester credential may do, and all it may do. Every call is
 * checked against the credential's principals: a submission or decision for another principal is refused (403),
 * and a request of another principal is answered as if it did not exist (404). Votes, credentials, request edits
 * and audit rewrites have no route here.
 *
 * <pre>
 * POST /api/requester/open                        a submission        -&gt; {request_id, joined, impact}
 * POST /api/requester/claim-approved              {principal, key}    -&gt; {request_id or null}
 * POST /api/requester/approved                    {principal, key}    -&gt; {approvals: [{request_id, impact}]}
 * GET  /api/requester/requests/{id}/outcome?wait_ms=N  (long poll)    -&gt; {outcome, reason}
 * POST /api/requester/requests/{id}/claim         {key}               -&gt; {claimed}
 * POST /api/requester/requests/{id}/withdraw      {reason}            -&gt; {withdrawn}
 * POST /api/requester/decisions                   a decision to audit -&gt; {}
 * </pre>
 *
 * <p>Bounds: a body carries a whole statement, so it may be up to {@link #MAX_BODY}; at most
 * {@link #LARGE_AT_ONCE} bodies over {@link #LARGE_BODY} are read at a time (others wait up to 30 s, then 503); a
 * long poll waits at most {@link #LONGEST_POLL}, and at most {@link #MAX_WAITERS} wait at once (then 503).
 *
 * <p>Threads: HTTP server virtual threads; a long poll blocks its own.
 */
final class RequesterRoutes {
    /** A held statement up to the proxy's 64 MiB, escaped as JSON, with its bound values. */
    static final int MAX_BODY = 256 * 1024 * 1024;
    static final int LARGE_BODY = 1024 * 1024;
    static final int LARGE_AT_ONCE = 4;
    static final Duration LONGEST_POLL = Duration.ofSeconds(30);
    static final int MAX_WAITERS = 10_000;
    private static final int MAX_REASON = 2_000;

    private final ApprovalService service;
    private final Semaphore largeBodies = new Semaphore(LARGE_AT_ONCE);
    private final Semaphore waiters = new Semaphore(MAX_WAITERS);

    RequesterRoutes(ApprovalService service) {
        this.service = service;
    }

    /** @param parts the path's segments, starting {@code api, requester} */
    Reply route(HttpExchange ex, String method, List<String> parts, Requester who) throws HttpError, IOException {
        if (parts.size() == 3 && "POST".equals(method)) {
            switch (parts.get(2)) {
                case "open" -> {
                    Submission s = submission(read(ex));
                    inScope(who, s.principal());
                    ApprovalService.Ticket t = service.open(s);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("request_id", t.requestId());
                    m.put("joined", t.joined());
                    m.put("impact", RequesterWire.impact(t.impact()));
                    return Reply.json(200, m);
                }
                case "claim-approved" -> {
                    JsonNode n = read(ex);
                    String principal = text(n, "principal");
                    inScope(who, principal);
                    String key = text(n, "key");
                    // The key binds the principal, but a caller could compute another's: check the row's too.
                    Optional<String> id = service.approvedFor(key)
                            .filter(i -> service.find(i).map(r -> r.principal().equals(principal)).orElse(false))
                            .filter(i -> service.claimKey(i, key));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("request_id", id.orElse(null));
                    return Reply.json(200, m);
                }
                case "approved" -> {
                    JsonNode n = read(ex);
                    String principal = text(n, "principal");
                    inScope(who, principal);
                    // Reads only; as for claim-approved, each request's own principal is checked too.
                    List<RequesterPort.Approval> mine = new java.util.ArrayList<>();
                    for (RequesterPort.Approval a : service.approvalsFor(text(n, "key"))) {
                        if (service.find(a.requestId()).map(r -> r.principal().equals(principal)).orElse(false)) {
                            mine.add(a);
                        }
                    }
                    return Reply.json(200, RequesterWire.approvals(mine));
                }
                case "decisions" -> {
                    DecisionAudit d;
                    try {
                        d = RequesterWire.decision(read(ex));
                    } catch (RequesterWire.BadBody e) {
                        throw new HttpError(400, "bad body", e.getMessage());
                    }
                    inScope(who, d.principal());
                    service.recordDecision(d);
                    return Reply.json(200, Map.of());
                }
                default -> {
                }
            }
        }
        if (parts.size() == 5 && "requests".equals(parts.get(2))) {
            String id = parts.get(3);
            switch (method + " " + parts.get(4)) {
                case "GET outcome" -> {
                    own(who, id);
                    return Reply.json(200, RequesterWire.outcome(await(id, waitFrom(ex))));
                }
                case "POST claim" -> {
                    String key = text(read(ex), "key");
                    own(who, id);
                    return Reply.json(200, Map.of("claimed", service.claimKey(id, key)));
                }
                case "POST withdraw" -> {
                    JsonNode n = read(ex);
                    String reason = n.path("reason").asText("");
                    own(who, id);
                    return Reply.json(200, Map.of("withdrawn", service.withdraw(id,
                            reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason)));
                }
                default -> {
                }
            }
        }
        throw new HttpError(404, "no such path", method + " " + ex.getRequestURI().getPath());
    }

    private Outcome await(String id, Duration wait) throws HttpError {
        if (!waiters.tryAcquire()) {
            throw new HttpError(503, "too many waiters", "at most " + MAX_WAITERS + " long polls at once");
        }
        try {
            return service.await(id, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "shutting down", null);
        } finally {
            waiters.release();
        }
    }

    private static Duration waitFrom(HttpExchange ex) throws HttpError {
        String q = ex.getRequestURI().getRawQuery();
        long ms = 0;
        if (q != null && q.startsWith("wait_ms=")) {
            try {
                ms = Long.parseLong(q.substring("wait_ms=".length()));
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad wait_ms", null);
            }
        }
        return Duration.ofMillis(Math.max(0, Math.min(ms, LONGEST_POLL.toMillis())));
    }

    private static void inScope(Requester who, String principal) throws HttpError {
        if (!who.actsFor(principal)) {
            throw new HttpError(403, "principal out of scope", "the requester credential " + who.name()
                    + " may not submit for this principal");
        }
    }

    /** The request, if it is one of this credential's principals'; otherwise as if there were none. */
    private ApprovalRequest own(Requester who, String id) throws HttpError {
        return service.find(id).filter(r -> who.actsFor(r.principal()))
                .orElseThrow(() -> new HttpError(404, "no such request", id));
    }

    private static Submission submission(JsonNode n) throws HttpError {
        try {
            return RequesterWire.submission(n);
        } catch (RequesterWire.BadBody e) {
            throw new HttpError(400, "bad body", e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) throws HttpError {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new HttpError(400, "bad body", field + " must be a string");
        }
        return v.textValue();
    }

    private JsonNode read(HttpExchange ex) throws HttpError, IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        long declared;
        try {
            declared = length == null ? MAX_BODY : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bad Content-Length", null);
        }
        if (declared > MAX_BODY) {
            throw new HttpError(413, "body too large", "at most " + MAX_BODY + " bytes");
        }
        boolean large = declared > LARGE_BODY;
        try {
            if (large && !largeBodies.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new HttpError(503, "busy", "too many large submissions at once; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "shutting down", null);
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes((int) Math.min(declared, MAX_BODY) + 1);
            if (b.length > declared) {
                throw new HttpError(413, "body too large", "longer than its Content-Length or " + MAX_BODY + " bytes");
            }
            return RequesterWire.read(b);
        } catch (RequesterWire.BadBody e) {
            throw new HttpError(400, "bad body", e.getMessage());
        } finally {
            if (large) {
                largeBodies.release();
            }
        }
    }
}
