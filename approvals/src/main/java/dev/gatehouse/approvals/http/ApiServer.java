package dev.gatehouse.approvals.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.RequestState;
import dev.gatehouse.approvals.Vote;
import dev.gatehouse.approvals.VoteResult;
import dev.gatehouse.approvals.events.InboundVerifier;
import dev.gatehouse.approvals.people.TokenStore;
import dev.gatehouse.approvals.people.Visibility;
import dev.gatehouse.approvals.store.Json;
import dev.gatehouse.approvals.store.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The approvals HTTP API (JSON) and the DBA page, on the JDK's HttpServer. Each exchange runs on its own
 * virtual thread. Bodies are bounded; errors are exactly: 400 bad body, 401 no or bad token, 403 not eligible,
 * self-approval or a credential used for what it may not do (with the reason), 404 unknown request or path (or
 * one the caller may not see), 409 already decided, 503 store down. Refusals are audited ({@link AccessAudit}).
 *
 * <p>Two kinds of caller, never mixed ({@link TokenStore.Credential}): people (approvers and admins) read the
 * requests {@link Visibility} lets them see and vote; requester credentials (the driver's and the proxy's)
 * reach only the {@link RequesterRoutes}, and read only their own principals' requests.
 *
 * <pre>
 * GET  /                                  the page (a person's token from the gatehouse_token cookie)
 * GET  /api/requests?state=&amp;principal=&amp;limit=   list what the caller may see, pending first
 * GET  /api/requests/{id}                 one request (bound values only for those who may vote on it)
 * POST /api/requests/{id}/approve|deny    {"reason": "..."} (people only)
 * *    /api/requester/...                 requester credentials only: see {@link RequesterRoutes}
 * POST /hooks/slack/interactivity         verified by the Slack verifier (hooks module)
 * POST /hooks/decision                    verified by the signed-decision verifier (hooks module)
 * GET  /api/hooks                         outbound hook counters and recent failures (any approver)
 * GET  /healthz                            the process answers
 * GET  /readyz                             200 when the store answered its last check (at most one a second), else 503
 * </pre>
 */
public final class ApiServer implements AutoCloseable {
    /** The largest request body accepted; votes and hook payloads are small. */
    public static final int MAX_BODY = 64 * 1024;
    private static final int MAX_REASON = 2_000;

    private final ApprovalService service;
    private final TokenStore tokens;
    private final AccessAudit access;
    private final RequesterRoutes requester;
    /** The credential an exchange authenticated with, for the audit of a refusal. */
    private static final String WHO = "gatehouse.credential";
    private final InboundVerifier slack;
    private final InboundVerifier signed;
    private final Supplier<HookHealth> hooks;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** /readyz asks the store at most this often: callers without a token must not be able to drain its pool. */
    private static final long READY_CHECK_EVERY_NANOS = 1_000_000_000L;
    private final ReentrantLock readyCheck = new ReentrantLock();
    private volatile long readyCheckedAt = System.nanoTime() - READY_CHECK_EVERY_NANOS;
    private volatile boolean lastReady;

    public ApiServer(ApprovalService service, TokenStore tokens, InboundVerifier slack, InboundVerifier signed,
                     InetSocketAddress listen) throws IOException {
        this(service, tokens, slack, signed, null, listen);
    }

    /** @param hooks live outbound hook status; null when no hooks are configured */
    public ApiServer(ApprovalService service, TokenStore tokens, InboundVerifier slack, InboundVerifier signed,
                     Supplier<HookHealth> hooks, InetSocketAddress listen) throws IOException {
        this.service = service;
        this.hooks = hooks == null ? () -> HookHealth.OFF : hooks;
        this.tokens = tokens;
        this.access = new AccessAudit(service);
        this.requester = new RequesterRoutes(service);
        this.slack = slack == null ? InboundVerifier.REJECT_ALL : slack;
        this.signed = signed == null ? InboundVerifier.REJECT_ALL : signed;
        this.server = HttpServer.create(listen, 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public ApiServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Whether the store answered its last check, made at most once a second by one caller; others get that answer. */
    private boolean ready() {
        if (System.nanoTime() - readyCheckedAt < READY_CHECK_EVERY_NANOS || !readyCheck.tryLock()) {
            return lastReady;
        }
        try {
            if (System.nanoTime() - readyCheckedAt >= READY_CHECK_EVERY_NANOS) {
                lastReady = service.storeAnswers();
                readyCheckedAt = System.nanoTime();
            }
            return lastReady;
        } finally {
            readyCheck.unlock();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        Reply reply;
        try {
            reply = route(ex);
        } catch (HttpError e) {
            reply = e.reply;
            auditRefusal(ex, e);
        } catch (StoreUnavailableException e) {
            reply = Reply.error(503, "store unavailable", e.getMessage());
        } catch (dev.gatehouse.approvals.store.StoreRefusedException e) {
            // The store is up (readiness stays true): this one transaction was refused, retrying will not help.
            reply = Reply.error(500, "store refused", "SQLState " + e.sqlState());
        } catch (RuntimeException e) {
            reply = Reply.error(500, "internal error", e.getClass().getSimpleName());
        }
        ex.getResponseHeaders().set("Content-Type", reply.contentType());
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (reply.contentType().startsWith("text/html")) {
            ex.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'");
        }
        ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(reply.body());
        }
    }

    /**
     * Which refusals are audited: every one of a caller that presented a valid credential, and of anonymous
     * callers every 401 and anything but a GET (a browser's stray GET of /favicon.ico is not an attempt).
     */
    private void auditRefusal(HttpExchange ex, HttpError e) {
        TokenStore.Credential who = (TokenStore.Credential) ex.getAttribute(WHO);
        String method = ex.getRequestMethod();
        if (e.status == 400 || e.status == 409 || e.status >= 500
                || (who == null && e.status != 401 && "GET".equals(method))) {
            return;
        }
        InetSocketAddress from = ex.getRemoteAddress();
        access.refused(method, ex.getRequestURI().getPath(), from == null ? "" : from.getAddress().getHostAddress(),
                who, e.status, e.error);
    }

    private Reply route(HttpExchange ex) throws HttpError, IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        List<String> parts = segments(path);
        if (parts.isEmpty() && "GET".equals(method)) {
            Optional<TokenStore.Credential> who = tokenFromCookie(ex).flatMap(tokens::authenticate);
            String html = who.isPresent() && who.get() instanceof TokenStore.Person p
                    ? Page.render(p, visible(p, null, null, 200), service.approvers(), hooks.get(), java.time.Instant.now())
                    : Page.login(who.isPresent());
            return new Reply(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        }
        if (parts.size() == 1 && "page.js".equals(parts.get(0)) && "GET".equals(method)) {
            return new Reply(200, "text/javascript; charset=utf-8", Page.script().getBytes(StandardCharsets.UTF_8));
        }
        if (parts.size() == 1 && "page.css".equals(parts.get(0)) && "GET".equals(method)) {
            return new Reply(200, "text/css; charset=utf-8", Page.style().getBytes(StandardCharsets.UTF_8));
        }
        if (parts.size() == 1 && "healthz".equals(parts.get(0))) {
            return Reply.json(200, Map.of("ok", true));
        }
        if (parts.size() == 1 && "readyz".equals(parts.get(0)) && "GET".equals(method)) {
            // For a load balancer: can this instance reach its store? Unauthenticated, so no failure details.
            return ready() ? Reply.json(200, Map.of("ready", true))
                    : Reply.json(503, Map.of("ready", false, "store", "unavailable"));
        }
        if (parts.size() >= 2 && "hooks".equals(parts.get(0)) && "POST".equals(method)) {
            return inbound(ex, parts);
        }
        if (parts.isEmpty() || !"api".equals(parts.get(0))) {
            throw new HttpError(404, "no such path", method + " " + path);
        }
        TokenStore.Credential who = authenticate(ex);
        if (parts.size() >= 2 && "requester".equals(parts.get(1))) {
            if (!(who instanceof TokenStore.Requester r)) {
                throw new HttpError(403, "not a requester credential", "the requester API takes a requester credential"
                        + " (ghr_...), which only opens, waits on, claims and withdraws requests");
            }
            return requester.route(ex, method, parts, r);
        }
        if (parts.size() == 2 && "hooks".equals(parts.get(1)) && "GET".equals(method)) {
            person(who);
            return Reply.json(200, hooks.get().json());
        }
        if (parts.size() >= 2 && "requests".equals(parts.get(1))) {
            if (parts.size() == 2 && "GET".equals(method)) {
                return list(ex, who);
            }
            if (parts.size() == 3 && "GET".equals(method)) {
                ApprovalRequest r = service.find(parts.get(2)).filter(x -> Visibility.sees(who, x, service.approvers()))
                        .orElseThrow(() -> new HttpError(404, "no such request", parts.get(2)));
                return Reply.json(200, RequestJson.of(r, Visibility.seesValues(who, r, service.approvers())));
            }
            if (parts.size() == 4 && "POST".equals(method) && ("approve".equals(parts.get(3)) || "deny".equals(parts.get(3)))) {
                TokenStore.Person approver = person(who);
                String reason = reasonFrom(readBody(ex));
                Vote.Choice choice = "approve".equals(parts.get(3)) ? Vote.Choice.APPROVE : Vote.Choice.DENY;
                String channel = "page".equals(firstHeader(ex, "X-Gatehouse-Channel")) ? "page" : "api";
                return voteReply(service.vote(parts.get(2), approver.name(), choice, reason, channel));
            }
        }
        throw new HttpError(404, "no such path", method + " " + path);
    }

    private static TokenStore.Person person(TokenStore.Credential who) throws HttpError {
        if (who instanceof TokenStore.Person p) {
            return p;
        }
        throw new HttpError(403, "not an approver", "a requester credential cannot vote or read hook status");
    }

    /** Requests {@code who} may see, pending first. */
    private List<ApprovalRequest> visible(TokenStore.Credential who, RequestState state, String principal, int limit) {
        return service.list(state, principal, limit, r -> Visibility.sees(who, r, service.approvers()));
    }

    private Reply list(HttpExchange ex, TokenStore.Credential who) throws HttpError {
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        RequestState state = null;
        if (q.containsKey("state")) {
            try {
                state = RequestState.ofWire(q.get("state"));
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, "bad state", q.get("state"));
            }
        }
        int limit = 100;
        if (q.containsKey("limit")) {
            try {
                limit = Integer.parseInt(q.get("limit"));
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad limit", q.get("limit"));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ApprovalRequest r : visible(who, state, q.get("principal"), limit)) {
            out.add(RequestJson.of(r, Visibility.seesValues(who, r, service.approvers())));
        }
        return Reply.json(200, Map.of("requests", out));
    }

    private Reply inbound(HttpExchange ex, List<String> parts) throws HttpError, IOException {
        InboundVerifier verifier;
        if (parts.size() == 3 && "slack".equals(parts.get(1)) && "interactivity".equals(parts.get(2))) {
            verifier = slack;
        } else if (parts.size() == 2 && "decision".equals(parts.get(1))) {
            verifier = signed;
        } else {
            throw new HttpError(404, "no such path", ex.getRequestURI().getPath());
        }
        byte[] body = readBody(ex);
        InboundVerifier.Inbound vote = verifier.verify(ex.getRequestHeaders(), body)
                .orElseThrow(() -> new HttpError(401, "signature not valid", null));
        return voteReply(service.vote(vote.requestId(), vote.approver(), vote.approve() ? Vote.Choice.APPROVE : Vote.Choice.DENY,
                vote.reason(), vote.channel()));
    }

    private static Reply voteReply(VoteResult result) {
        return switch (result) {
            // Recorded: the voter was eligible, so they may see its values.
            case VoteResult.Recorded rec -> Reply.json(200, RequestJson.of(rec.request(), true));
            case VoteResult.NotFound nf -> Reply.error(404, "no such request", nf.requestId());
            case VoteResult.NotEligible ne -> Reply.error(403, "not allowed to vote", ne.reason());
            case VoteResult.AlreadyDecided ad -> Reply.error(409, "already decided", "the request is " + ad.state().wire());
            case VoteResult.AlreadyVoted av -> Reply.error(409, "already voted", av.approver() + " already voted on this request");
        };
    }

    private TokenStore.Credential authenticate(HttpExchange ex) throws HttpError {
        String header = firstHeader(ex, "Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new HttpError(401, "missing token", "send Authorization: Bearer <token>");
        }
        TokenStore.Credential who = tokens.authenticate(header.substring(7).trim())
                .orElseThrow(() -> new HttpError(401, "bad token", null));
        ex.setAttribute(WHO, who);
        return who;
    }

    private static Optional<String> tokenFromCookie(HttpExchange ex) {
        List<String> cookies = ex.getRequestHeaders().get("Cookie");
        if (cookies == null) {
            return Optional.empty();
        }
        for (String header : cookies) {
            for (String c : header.split(";")) {
                String t = c.trim();
                if (t.startsWith("gatehouse_token=")) {
                    return Optional.of(URLDecoder.decode(t.substring("gatehouse_token=".length()), StandardCharsets.UTF_8));
                }
            }
        }
        return Optional.empty();
    }

    private static String firstHeader(HttpExchange ex, String name) {
        return ex.getRequestHeaders().getFirst(name);
    }

    private static byte[] readBody(HttpExchange ex) throws HttpError, IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new HttpError(400, "body too large", "at most " + MAX_BODY + " bytes");
            }
            return b;
        }
    }

    private static String reasonFrom(byte[] body) throws HttpError {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new HttpError(400, "bad body", "expected a JSON object like {\"reason\": \"...\"}");
        }
        if (n == null || !n.isObject()) {
            throw new HttpError(400, "bad body", "expected a JSON object like {\"reason\": \"...\"}");
        }
        var names = n.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!"reason".equals(f)) {
                throw new HttpError(400, "bad body", "unknown field " + f);
            }
        }
        JsonNode r = n.get("reason");
        if (r == null || r.isNull()) {
            return "";
        }
        if (!r.isTextual() || r.asText().length() > MAX_REASON) {
            throw new HttpError(400, "bad body", "reason must be a string of at most " + MAX_REASON + " characters");
        }
        return r.asText();
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
