package dev.gatehouse.approvals.http;

import dev.gatehouse.approvals.ApprovalService;
import dev.gatehouse.approvals.people.TokenStore.Credential;
import dev.gatehouse.approvals.people.TokenStore.Person;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Audits API calls serve refused: a credential used for what it may not do (a requester credential voting, an
 * approver token submitting), a request out of a requester's scope, a bad or missing token, a forged web-hook
 * signature, a path no route serves. Each becomes an {@code access.refused} record in the audit chain with the
 * method, path, status, reason, caller address and the credential's kind and name (never the token).
 *
 * <p>Bounded, so that refusals cannot flood the audit: at most {@link #PER_MINUTE} records a minute for callers
 * that presented a valid credential, and {@link #ANONYMOUS_PER_MINUTE} for those that did not; past that, refusals
 * are counted and the count is carried by the next record ({@code suppressed}). A store that cannot take the
 * record does not change the refusal.
 *
 * <p>Threads: HTTP server virtual threads; the window counters under one ReentrantLock (held for no I/O).
 */
final class AccessAudit {
    static final int PER_MINUTE = 600;
    static final int ANONYMOUS_PER_MINUTE = 60;
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final int MAX_PATH = 256;

    private final ApprovalService service;
    private final ReentrantLock lock = new ReentrantLock();
    private long windowStart = System.nanoTime();
    private int known;
    private int anonymous;
    private long suppressed;

    AccessAudit(ApprovalService service) {
        this.service = service;
    }

    /** @param who the credential presented, or null when none authenticated */
    void refused(String method, String path, String from, Credential who, int status, String why) {
        long carried;
        lock.lock();
        try {
            long now = System.nanoTime();
            if (now - windowStart >= MINUTE_NANOS) {
                windowStart = now;
                known = 0;
                anonymous = 0;
            }
            boolean room = who != null ? known++ < PER_MINUTE : anonymous++ < ANONYMOUS_PER_MINUTE;
            if (!room) {
                suppressed++;
                return;
            }
            carried = suppressed;
            suppressed = 0;
        } finally {
            lock.unlock();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("method", method);
        data.put("path", path.length() > MAX_PATH ? path.substring(0, MAX_PATH) : path);
        data.put("status", status);
        data.put("why", why);
        data.put("from", from);
        data.put("credential", who == null ? null : who instanceof Person ? "person" : "requester");
        data.put("name", who == null ? null : who.name());
        if (carried > 0) {
            data.put("suppressed", carried);
        }
        try {
            service.auditEvent("access.refused", data);
        } catch (RuntimeException storeDown) {
            // Refused either way; the store's own failure is reported by readiness and the callers that need it.
        }
    }
}
