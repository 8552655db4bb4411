package dev.gatehouse.approvals;

import dev.gatehouse.approvals.audit.AuditLog;
import dev.gatehouse.approvals.audit.AuditRecord;
import dev.gatehouse.approvals.audit.AuditSettings;
import dev.gatehouse.approvals.audit.AuditText;
import dev.gatehouse.approvals.audit.Redaction;
import dev.gatehouse.approvals.events.ApprovalEvents;
import dev.gatehouse.approvals.people.Approvers;
import dev.gatehouse.approvals.store.RequestStore;
import dev.gatehouse.approvals.store.Store;
import dev.gatehouse.approvals.store.StoreUnavailableException;
import dev.gatehouse.approvals.store.Vendor;
import dev.gatehouse.approvals.wait.PostgresListener;
import dev.gatehouse.approvals.wait.Waiters;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.ReviewSpec;
import dev.gatehouse.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The approvals library the JDBC driver, the wire proxy and {@code gatehouse serve} share: opens requests for
 * held submissions, records votes, waits for decisions, claims approvals once, expires what runs out, and
 * audits all of it in the same transaction as the change.
 *
 * <p>Threads: public methods are called on the callers' threads (driver/proxy virtual threads, HTTP server
 * virtual threads); {@link #await} blocks its caller. The service owns one virtual thread, the expiry sweeper,
 * and with PostgreSQL one more, the {@link PostgresListener}. Every store failure surfaces as
 * {@link StoreUnavailableException}: callers deny the statement (fail closed).
 */
public final class ApprovalService implements RequesterPort, AutoCloseable {
    /** The most requests one list call returns. */
    public static final int MAX_LIST = 500;
    /** The most rows one filtered list reads to find what its viewer may see. */
    public static final int MAX_SCAN = 20_000;

    private final Store store;
    private final Approvers approvers;
    private final ServiceOptions options;
    private final ApprovalEvents events;
    private final Waiters waiters = new Waiters();
    /** The front ends' waiters holding each request (RequestHold), counted apart from the wake-up slots. */
    private final Waiters holders = new Waiters();
    private final PostgresListener listener;
    private final Thread sweeper;
    private final AtomicLong allowCounter = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param approvers the policy's {@code approvers:} section, group → members
     */
    public ApprovalService(Store store, Map<String, List<String>> approvers, ServiceOptions options, ApprovalEvents events) {
        this.store = store;
        this.approvers = new Approvers(approvers);
        this.options = options;
        this.events = events == null ? ApprovalEvents.NONE : events;
        this.listener = store.vendor() == Vendor.POSTGRES
                ? new PostgresListener(store.url(), store.username(), store.password(), waiters) : null;
        this.sweeper = Thread.ofVirtual().name("gatehouse-expiry-sweeper").start(this::sweep);
    }

    /** The result of opening: the request's id, and whether an identical pending request was joined. */
    public record Ticket(String requestId, boolean joined, ApprovalRequest request) implements Opened {
        @Override
        public Impact impact() {
            return request.impact();
        }
    }

    // ---------------------------------------------------------------- opening

    /**
     * Opens a request for a submission the policy held for review, or joins the pending request with the same
     * scope (SQL, parameters, principal, acting-for, database).
     *
     * @throws IllegalArgumentException when the decision is not a review
     * @throws StoreUnavailableException when the store fails (deny the statement)
     */
    @Override
    public Ticket open(Submission s) {
        ReviewSpec spec = s.review();
        Instant now = options.clock().instant();
        String key = RequestKey.of(s);
        Duration pendingTtl = spec.pendingTtl() == null ? ReviewSpec.DEFAULT_TTL : spec.pendingTtl();
        Duration approvalTtl = spec.approvalTtl() == null ? ReviewSpec.DEFAULT_TTL : spec.approvalTtl();
        ApprovalRequest fresh = new ApprovalRequest(UUID.randomUUID().toString(), key, RequestState.PENDING,
                s.principal(), s.actingFor(), s.source(), s.sql(), s.parameters(), s.searchPath(), true,
                s.summary(), spec.approverGroups(), spec.quorum(), approvalTtl,
                s.policyVersion(), s.analyzerVersion(), now, now.plus(pendingTtl), null, null, null, List.of(), s.dialect(),
                s.impact());
        Ticket t = store.inTransaction(c -> {
            // Two attempts: the pending request we collided with may settle between our INSERT and our SELECT.
            for (int attempt = 0; attempt < 3; attempt++) {
                if (RequestStore.insert(c, fresh)) {
                    AuditLog.append(c, record("request.created", fresh, now, requestData(fresh)));
                    return new Ticket(fresh.id(), false, fresh);
                }
                Optional<String> existing = RequestStore.pendingIdForKey(c, key);
                if (existing.isPresent()) {
                    ApprovalRequest joined = RequestStore.find(c, existing.get(), false).orElseThrow();
                    return new Ticket(joined.id(), true, joined);
                }
            }
            // 40001: a race lost three times, not a store that is down (the breaker stays closed).
            throw new SQLException("could not open or join a request for key " + key, "40001");
        });
        if (!t.joined()) {
            events.publish("request.created", t.requestId(), now, payload(t.request()));
        }
        return t;
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Blocks until the request leaves PENDING or {@code max} passes (capped by {@link ServiceOptions#maxWait}).
     * Wakes on a local decision, a PostgreSQL notification, or the bounded poll.
     *
     * @throws InterruptedException when the caller is interrupted; the request stays as it is
     */
    @Override
    public Outcome await(String requestId, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(max.toNanos(), options.maxWait().toNanos());
        long pollNanos = options.pollInterval().toNanos();
        Waiters.Slot slot = waiters.join(requestId);
        try {
            while (true) {
                long seen = slot.generation();
                ApprovalRequest r = find(requestId).orElseThrow(() -> new IllegalArgumentException("no request " + requestId));
                Optional<Outcome> done = outcomeOf(r);
                if (done.isPresent()) {
                    return done.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Outcome.TimedOut(requestId);
                }
                slot.awaitChange(seen, Math.min(left, pollNanos));
            }
        } finally {
            waiters.leave(requestId);
        }
    }

    private Optional<Outcome> outcomeOf(ApprovalRequest r) {
        Instant now = options.clock().instant();
        return switch (r.state()) {
            case PENDING -> r.expiresAt().isAfter(now) ? Optional.empty()
                    : Optional.of(expireNow(r.id()) ? new Outcome.Expired(r.id(), "nobody decided in time")
                            : outcomeOf(find(r.id()).orElseThrow()).orElse(new Outcome.Expired(r.id(), "nobody decided in time")));
            case APPROVED -> Optional.of(new Outcome.Approved(r.id()));
            case DENIED -> Optional.of(new Outcome.Denied(r.id(), nz(r.decisionReason())));
            case EXPIRED -> Optional.of(new Outcome.Expired(r.id(), nz(r.decisionReason())));
            case WITHDRAWN -> Optional.of(new Outcome.Withdrawn(r.id()));
            case CONSUMED -> Optional.of(new Outcome.Expired(r.id(), "the approval was already used"));
        };
    }

    /**
     * The whole hold for a front end in WAIT mode: open (or join), wait up to {@code max}, and on approval claim
     * it. Returns {@link Outcome.Approved} only when this caller won the claim and may run the statement. On
     * timeout or interruption the request is withdrawn if no other local thread still waits for it.
     *
     * @throws InterruptedException after withdrawing, when the caller was interrupted (the client cancelled)
     */
    public Outcome hold(Submission s, Duration max) throws InterruptedException {
        Ticket t = open(s);
        String id = t.requestId();
        startWaiting(id); // counted like a front end's waiter: the last one to give up withdraws
        Outcome o;
        try {
            o = await(id, max);
        } catch (InterruptedException e) {
            stopWaiting(id, GAVE_UP);
            throw e;
        }
        if (o instanceof Outcome.TimedOut) {
            stopWaiting(id, GAVE_UP);
            return o;
        }
        leaveWaiting(id);
        return switch (o) {
            case Outcome.Approved a -> claim(a.requestId(), s) ? a
                    : new Outcome.Expired(a.requestId(), "the approval was already used or ran out");
            case Outcome.TimedOut to -> to;
            case Outcome.Denied d -> d;
            case Outcome.Expired e -> e;
            case Outcome.Withdrawn w -> w;
        };
    }

    private static final String GAVE_UP = "the client stopped waiting";

    /**
     * A front end's waiter starts waiting for {@code requestId}: counted until {@link #stopWaiting} or
     * {@link #leaveWaiting}, so that one waiter giving up does not withdraw a request others still wait for.
     */
    @Override
    public void startWaiting(String requestId) {
        holders.join(requestId);
    }

    /** How many front-end waiters of this process wait for {@code requestId} now. */
    public int waitingFor(String requestId) {
        return holders.count(requestId);
    }

    /** The waiter's request was decided: it stops waiting, and nothing is withdrawn. */
    @Override
    public void leaveWaiting(String requestId) {
        holders.leave(requestId);
    }

    /**
     * The waiter gives up: the request is withdrawn when it was the last local waiter.
     *
     * @return true when this call withdrew it
     */
    @Override
    public boolean stopWaiting(String requestId, String reason) {
        return holders.leave(requestId) && withdraw(requestId, reason);
    }

    /** Withdraws {@code requestId} unless a local waiter still waits for it. True when this call withdrew it. */
    @Override
    public boolean withdrawUnlessAwaited(String requestId, String reason) {
        return !holders.has(requestId) && withdraw(requestId, reason);
    }

    // ---------------------------------------------------------------- claiming

    /**
     * Consumes the approval of {@code requestId} for exactly this submission, once: true for the single winner
     * across all instances, false if the scope differs, it is not approved, was used, or ran out.
     */
    @Override
    public boolean claim(String requestId, Submission s) {
        return claimKey(requestId, RequestKey.of(s));
    }

    /**
     * {@link #claim} with the scope given as its {@link RequestKey}, for the requester API (whose caller computed
     * the key and is checked to act for the request's principal).
     */
    public boolean claimKey(String requestId, String key) {
        Instant now = options.clock().instant();
        Optional<ApprovalRequest> won = store.inTransaction(c -> {
            if (!RequestStore.consume(c, requestId, key, now.toEpochMilli())) {
                return Optional.<ApprovalRequest>empty();
            }
            ApprovalRequest r = RequestStore.find(c, requestId, false).orElseThrow();
            AuditLog.append(c, record("request.consumed", r, now, Map.of("principal", r.principal())));
            return Optional.of(r);
        });
        won.ifPresent(r -> events.publish("request.consumed", requestId, now, payload(r)));
        return won.isPresent();
    }

    /**
     * For front ends, in either hold mode: the client re-submits after approval; this consumes an approved request
     * with the same scope, if there is one.
     *
     * @return the consumed request's id
     */
    @Override
    public Optional<String> claimApproved(Submission s) {
        String key = RequestKey.of(s);
        return approvedFor(key).filter(i -> claimKey(i, key));
    }

    /** The approved, unexpired request with this scope, if any (not yet claimed). */
    public Optional<String> approvedFor(String key) {
        long now = options.clock().millis();
        return store.inTransaction(c -> RequestStore.approvedIdForKey(c, key, now));
    }

    /** The most approvals of one scope {@link #approvedFor} reads. */
    public static final int MAX_APPROVED_PER_SCOPE = 16;

    @Override
    public List<Approval> approvedFor(Submission s) {
        return approvalsFor(RequestKey.of(s));
    }

    /** The approved, unused requests with this scope, oldest decision first (at most {@link #MAX_APPROVED_PER_SCOPE}). */
    public List<Approval> approvalsFor(String key) {
        long now = options.clock().millis();
        return store.inTransaction(c -> RequestStore.approvedForKey(c, key, now, MAX_APPROVED_PER_SCOPE));
    }

    // ---------------------------------------------------------------- deciding

    /**
     * Records one vote. Eligibility: a member of the request's approver groups (any configured approver when it
     * names none), never the requester or the human an agent acts for. Any eligible denial denies; approval
     * needs {@code quorum} distinct approvers.
     */
    public VoteResult vote(String requestId, String approver, Vote.Choice choice, String reason, String channel) {
        Instant now = options.clock().instant();
        String why = reason == null ? "" : reason;
        VoteResult result = store.inTransaction(c -> {
            Optional<ApprovalRequest> found = RequestStore.find(c, requestId, true);
            if (found.isEmpty()) {
                return new VoteResult.NotFound(requestId);
            }
            ApprovalRequest r = found.get();
            if (r.state() != RequestState.PENDING) {
                return new VoteResult.AlreadyDecided(r.state());
            }
            if (!r.expiresAt().isAfter(now)) {
                expire(c, r, now);
                return new VoteResult.AlreadyDecided(RequestState.EXPIRED);
            }
            switch (approvers.check(approver, r.principal(), r.actingFor(), r.approverGroups())) {
                case Approvers.NotEligible ne -> {
                    AuditLog.append(c, record("vote.rejected", r, now, Map.of("approver", approver,
                            "choice", choice.wire(), "channel", channel, "why", ne.reason())));
                    return new VoteResult.NotEligible(ne.reason());
                }
                case Approvers.Eligible ok -> { }
            }
            for (Vote v : r.votes()) {
                if (v.approver().equals(approver)) {
                    return new VoteResult.AlreadyVoted(approver);
                }
            }
            Vote vote = new Vote(approver, choice, why, channel, now);
            RequestStore.insertVote(c, requestId, vote);
            AuditLog.append(c, record("vote.cast", r, now, Map.of("approver", approver, "choice", choice.wire(),
                    "reason", why, "channel", channel)));
            Set<String> approving = new HashSet<>();
            for (Vote v : r.votes()) {
                if (v.choice() == Vote.Choice.APPROVE) {
                    approving.add(v.approver());
                }
            }
            if (choice == Vote.Choice.APPROVE) {
                approving.add(approver);
            }
            if (choice == Vote.Choice.DENY) {
                String because = "denied by " + approver + (why.isEmpty() ? "" : ": " + why);
                RequestStore.transition(c, requestId, RequestState.PENDING, RequestState.DENIED, now.toEpochMilli(), null, because);
                AuditLog.append(c, record("request.denied", r, now, Map.of("by", approver, "reason", why)));
                notifyOthers(c, requestId);
            } else if (approving.size() >= r.quorum()) {
                long until = now.plus(r.approvalTtl()).toEpochMilli();
                RequestStore.transition(c, requestId, RequestState.PENDING, RequestState.APPROVED, now.toEpochMilli(), until,
                        "approved by " + String.join(", ", new java.util.TreeSet<>(approving)));
                AuditLog.append(c, record("request.approved", r, now, Map.of("approvers", List.copyOf(new java.util.TreeSet<>(approving)),
                        "approval_expires_at", until)));
                notifyOthers(c, requestId);
            }
            return new VoteResult.Recorded(RequestStore.find(c, requestId, false).orElseThrow());
        });
        if (result instanceof VoteResult.AlreadyDecided ad && ad.state() == RequestState.EXPIRED) {
            // This vote may have been the one to notice the expiry: wake local waiters rather than leave them to the poll.
            waiters.signal(requestId);
        }
        if (result instanceof VoteResult.Recorded rec) {
            waiters.signal(requestId);
            Map<String, Object> p = payload(rec.request());
            events.publish("vote.cast", requestId, now, p);
            switch (rec.request().state()) {
                case APPROVED -> events.publish("request.approved", requestId, now, p);
                case DENIED -> events.publish("request.denied", requestId, now, p);
                case PENDING, EXPIRED, WITHDRAWN, CONSUMED -> { }
            }
        }
        return result;
    }

    /** Withdraws a pending request (the client gave up). True when this call withdrew it. */
    public boolean withdraw(String requestId, String reason) {
        Instant now = options.clock().instant();
        Optional<ApprovalRequest> done = store.inTransaction(c -> {
            if (!RequestStore.transition(c, requestId, RequestState.PENDING, RequestState.WITHDRAWN, now.toEpochMilli(), null, reason)) {
                return Optional.<ApprovalRequest>empty();
            }
            ApprovalRequest r = RequestStore.find(c, requestId, false).orElseThrow();
            AuditLog.append(c, record("request.withdrawn", r, now, Map.of("reason", nz(reason))));
            notifyOthers(c, requestId);
            return Optional.of(r);
        });
        done.ifPresent(r -> {
            waiters.signal(requestId);
            events.publish("request.withdrawn", requestId, now, payload(r));
        });
        return done.isPresent();
    }

    // ---------------------------------------------------------------- expiry

    /** Expires every request whose time ran out (at most 1000 per call). Returns how many it expired. */
    public int expireDue() {
        Instant now = options.clock().instant();
        List<String> due = store.inTransaction(c -> RequestStore.due(c, now.toEpochMilli(), 1000));
        int n = 0;
        for (String id : due) {
            if (expireNow(id)) {
                n++;
            }
        }
        return n;
    }

    private boolean expireNow(String id) {
        Instant now = options.clock().instant();
        Optional<ApprovalRequest> done = store.inTransaction(c -> {
            Optional<ApprovalRequest> r = RequestStore.find(c, id, true);
            if (r.isEmpty()) {
                return Optional.<ApprovalRequest>empty();
            }
            return expire(c, r.get(), now) ? RequestStore.find(c, id, false) : Optional.<ApprovalRequest>empty();
        });
        done.ifPresent(r -> {
            waiters.signal(id);
            events.publish("request.expired", id, now, payload(r));
        });
        return done.isPresent();
    }

    private boolean expire(Connection c, ApprovalRequest r, Instant now) throws SQLException {
        boolean changed = switch (r.state()) {
            case PENDING -> !r.expiresAt().isAfter(now) && RequestStore.transition(c, r.id(), RequestState.PENDING,
                    RequestState.EXPIRED, now.toEpochMilli(), null, "nobody decided in time");
            case APPROVED -> r.approvalExpiresAt() != null && !r.approvalExpiresAt().isAfter(now)
                    && RequestStore.transition(c, r.id(), RequestState.APPROVED, RequestState.EXPIRED, now.toEpochMilli(),
                    null, "the approval was not used in time");
            case DENIED, EXPIRED, WITHDRAWN, CONSUMED -> false;
        };
        if (changed) {
            AuditLog.append(c, record("request.expired", r, now, Map.of("was", r.state().wire())));
            notifyOthers(c, r.id());
        }
        return changed;
    }

    private void sweep() {
        while (!closed) {
            try {
                Thread.sleep(options.sweepInterval().toMillis());
                expireDue();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Store down: the sweep retries next tick; waiters fail closed on their own reads.
            }
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Whether the store answers a trivial query now, for readiness checks. Goes through the store's breaker:
     * while it is open the answer is false at once, without touching the store.
     */
    public boolean storeAnswers() {
        return store.answers();
    }

    public Optional<ApprovalRequest> find(String requestId) {
        return store.inTransaction(c -> RequestStore.find(c, requestId, false));
    }

    /** Pending first, then newest; {@code state}/{@code principal} null for any; at most {@link #MAX_LIST}. */
    public List<ApprovalRequest> list(RequestState state, String principal, int limit) {
        int bounded = Math.max(1, Math.min(limit, MAX_LIST));
        return store.inTransaction(c -> RequestStore.list(c, state, principal, bounded));
    }

    /**
     * As above, only the requests {@code visible} accepts (a viewer's own view), reading at most
     * {@link #MAX_SCAN} rows to find them.
     */
    public List<ApprovalRequest> list(RequestState state, String principal, int limit,
                                      java.util.function.Predicate<ApprovalRequest> visible) {
        int bounded = Math.max(1, Math.min(limit, MAX_LIST));
        return store.inTransaction(c -> RequestStore.list(c, state, principal, bounded, visible, MAX_SCAN));
    }

    public Approvers approvers() {
        return approvers;
    }

    public ServiceOptions options() {
        return options;
    }

    /** Where an approver decides {@code requestId}: the page, opened on that request. */
    @Override
    public String approvalUrl(String requestId) {
        return options.publicUrl() + "/#" + requestId;
    }

    // ---------------------------------------------------------------- auditing decisions that open no request

    /**
     * Audits a policy decision on a submission: denials always, allows as {@link AuditSettings} say (off, one in
     * n, all). Reviews are audited when their request is opened.
     */
    public void auditDecision(String principal, String actingFor, Source source, String sql, List<String> parameters,
                              Decision decision, String analyzerVersion, Dialect dialect) {
        auditDecision(DecisionAudit.of(principal, actingFor, source, sql, parameters, decision, analyzerVersion, dialect));
    }

    @Override
    public void auditDecision(DecisionAudit d) {
        if (options.audit().keeps(d.action(), allowCounter)) {
            recordDecision(d);
        }
    }

    /**
     * Appends the record of a decision, whatever the audit settings say of allows: for the requester API, whose
     * front end already chose what to keep by its own settings. The statement is redacted by this service's.
     */
    public void recordDecision(DecisionAudit d) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("principal", d.principal());
        data.put("acting_for", d.actingFor());
        data.put("database", d.source().database());
        data.put("channel", d.source().channel().name().toLowerCase(java.util.Locale.ROOT));
        // Any length is audited: over AuditText's bound the record keeps a prefix and the whole text's hash.
        AuditText.putSql(data, "sql", redactSql(d.sql(), d.dialect()));
        AuditText.putParameters(data, redactParams(d.parameters()));
        data.put("rules", d.ruleIds());
        String type = "decision." + d.action().name().toLowerCase(java.util.Locale.ROOT);
        AuditLog.append(store, new AuditRecord(type, null, d.policyVersion(), d.analyzerVersion(),
                options.clock().millis(), data));
    }

    /**
     * Appends a record of something that changed no request (a refused API call, a credential issued): in a
     * transaction of its own.
     */
    public void auditEvent(String type, Map<String, Object> data) {
        AuditLog.append(store, new AuditRecord(type, null, "", "", options.clock().millis(), data));
    }

    // ---------------------------------------------------------------- helpers

    private void notifyOthers(Connection c, String requestId) throws SQLException {
        if (store.vendor() == Vendor.POSTGRES) {
            // Delivered at commit, so a woken waiter always reads the decided state.
            try (PreparedStatement p = c.prepareStatement("SELECT pg_notify('" + PostgresListener.CHANNEL + "', ?)")) {
                p.setString(1, requestId);
                p.execute();
            }
        }
    }

    private AuditRecord record(String type, ApprovalRequest r, Instant at, Map<String, Object> data) {
        return new AuditRecord(type, r.id(), r.policyVersion(), r.analyzerVersion(), at.toEpochMilli(), data);
    }

    private Map<String, Object> requestData(ApprovalRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("principal", r.principal());
        m.put("acting_for", r.actingFor());
        m.put("channel", r.source().channel().name().toLowerCase(java.util.Locale.ROOT));
        m.put("client_address", r.source().clientAddress());
        m.put("application", r.source().application());
        m.put("database", r.source().database());
        // Unqualified names resolve through it: part of what was asked for (null: the server's default).
        if (r.searchPathRecorded()) {
            m.put("search_path", r.searchPath());
        }
        // Request SQL is kept whole unless the policy asks for redaction; a request does not record its dialect.
        // The request keeps the whole text; its audit record a bounded prefix and the hash of the whole.
        AuditText.putSql(m, "sql", redactSql(r.sql(), null));
        AuditText.putParameters(m, redactParams(r.parameters()));
        m.put("kinds", r.summary().kinds());
        m.put("tables", r.summary().tables());
        m.put("rules", r.summary().rules().stream().map(RequestSummary.Rule::ruleId).toList());
        if (r.impact() != null) {
            m.put("impact", r.impact().fields());
        }
        m.put("approver_groups", List.copyOf(new java.util.TreeSet<>(r.approverGroups())));
        m.put("quorum", r.quorum());
        m.put("expires_at", r.expiresAt().toEpochMilli());
        m.put("key", r.key());
        return m;
    }

    /** @param dialect null when not known: then only a shape both dialects agree on is kept */
    private String redactSql(String sql, Dialect dialect) {
        if (!options.audit().redactValues()) {
            return sql;
        }
        return dialect == null ? Redaction.literalsInAnyDialect(sql) : Redaction.literals(sql, dialect);
    }

    private List<String> redactParams(List<String> params) {
        List<String> out = new ArrayList<>(params.size());
        for (String p : params) {
            out.add(options.audit().redactValues() ? "?" : p);
        }
        return out;
    }

    /** The JSON-able summary hooks carry (see the hooks module's HookEvent payload). */
    public Map<String, Object> payload(ApprovalRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("state", r.state().wire());
        m.put("principal", r.principal());
        m.put("acting_for", r.actingFor());
        // Bounded as in the audit: a hook message is a notice with a link, and a held statement may be 64 MiB.
        AuditText.putSql(m, "sql", redactSql(r.sql(), null));
        m.put("dialect", r.dialect() == null ? null : r.dialect().name());
        // Chat shows what it asks approvers to decide: the values beside their placeholders (bounded the same way).
        AuditText.putParameters(m, redactParams(r.parameters()));
        m.put("kinds", r.summary().kinds());
        m.put("tables", r.summary().tables());
        m.put("rules", r.summary().rules().stream().map(RequestSummary.Rule::ruleId).toList());
        m.put("reason", r.summary().reason());
        if (r.impact() != null) {
            m.put("impact", r.impact().fields());
        }
        m.put("source", Map.of("channel", r.source().channel().name().toLowerCase(java.util.Locale.ROOT),
                "client_address", r.source().clientAddress(), "application", r.source().application(),
                "database", r.source().database()));
        if (r.searchPathRecorded()) { // older requests never recorded it: say nothing rather than "the default"
            m.put("search_path", r.searchPath());
        }
        m.put("quorum", r.quorum());
        m.put("votes", r.votes().stream().map(v -> Map.of("approver", v.approver(), "choice", v.choice().wire(),
                "reason", v.reason())).toList());
        m.put("approve_url", approvalUrl(r.id()));
        return m;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    @Override
    public void close() {
        closed = true;
        sweeper.interrupt();
        if (listener != null) {
            listener.close();
        }
    }
}
