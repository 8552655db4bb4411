package dev.gatehouse.approvals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a front end (the JDBC driver, the wire proxy, any later one) may do with approval requests, and nothing
 * more: open or join the request for a held submission, wait for its decision, read and claim the approvals of
 * the very submission they scope, withdraw a request its clients gave up on, and audit the decisions that open no request.
 * Nothing here votes, mints or changes credentials, edits a vote or a request, or rewrites the audit.
 *
 * <p>Two implementations, and the deployment chooses which trust a front end's host gets:
 * <ul>
 *   <li>{@link ApprovalService}, embedded: the front end opens the store itself. The zero-setup default on one
 *       machine; a process that can open the store (read the H2 file, hold the store's credentials) is the
 *       store's owner and can do anything to it, so this protects nothing from the front end's host.</li>
 *   <li>{@code requester.RemoteRequester}: an HTTP client of {@code gatehouse serve}'s requester API with a
 *       requester credential scoped to the principals it submits for. The host holds no store credentials and
 *       no approver token; serve refuses (and audits) anything else it tries.</li>
 * </ul>
 *
 * <p>Threads: thread-safe; every method runs on the caller's thread. {@link #await} blocks and returns promptly
 * when the caller is interrupted. Failures are unchecked ({@code StoreUnavailableException} while the store or
 * serve cannot be reached, {@code StoreRefusedException} when it answered no): the caller fails closed.
 */
public interface RequesterPort {

    /** An opened or joined request. */
    interface Opened {
        String requestId();

        /** True when an identical pending request (same scope) was joined rather than a new one opened. */
        boolean joined();

        /**
         * What the request shows approvers it would touch (a joined one: its first submitter's), or null when it
         * shows nothing; a front end that counts rows keeps the approved run within a count shown here.
         */
        Impact impact();
    }

    /** An approved, unused request of a scope, with what its approvers were shown it would touch (or null). */
    record Approval(String requestId, Impact impact) {
    }

    /**
     * Opens a request for a held submission, or joins the pending one with the same scope (SQL, parameters,
     * principal, acting-for, database, search path).
     */
    Opened open(Submission s);

    /**
     * The identical re-run after approval: consumes an approved, unexpired request with this submission's scope,
     * if there is one. Returns the consumed request's id.
     */
    Optional<String> claimApproved(Submission s);

    /**
     * The approved, unused requests with the scope of {@code s} (its impact aside), oldest decision first, at most
     * a few. Reads only: a front end that counts rows picks the one whose approved count its run stays within,
     * then {@link #claim}s it; an approval is never used for more rows than its approvers saw counted.
     */
    List<Approval> approvedFor(Submission s);

    /**
     * Blocks until the request leaves PENDING or {@code max} passes (the implementation may cap it).
     *
     * @throws InterruptedException when the caller is interrupted; the request stays as it is
     */
    Outcome await(String requestId, Duration max) throws InterruptedException;

    /**
     * Consumes the approval of {@code requestId} for exactly this submission, once: true for the single winner
     * across all instances and front ends.
     */
    boolean claim(String requestId, Submission s);

    /**
     * A waiter of this front end starts waiting for {@code requestId}: counted until {@link #stopWaiting} or
     * {@link #leaveWaiting}, so that one waiter giving up does not withdraw a request others still wait for.
     */
    void startWaiting(String requestId);

    /** The waiter's request was decided: it stops waiting, and nothing is withdrawn. */
    void leaveWaiting(String requestId);

    /**
     * The waiter gives up: the request is withdrawn when it was this front end's last waiter.
     *
     * @return true when this call withdrew it
     */
    boolean stopWaiting(String requestId, String reason);

    /** Withdraws {@code requestId} unless a waiter of this front end still waits for it. True when this call did. */
    boolean withdrawUnlessAwaited(String requestId, String reason);

    /**
     * Audits a decision that opens no request: denials always, allows as the audit settings say (off, one in n,
     * all). Any length and any string is kept (a bounded prefix and the hash of the whole, invalid text escaped).
     */
    void auditDecision(DecisionAudit decision);

    /** Where an approver decides {@code requestId}: the page, opened on that request. */
    String approvalUrl(String requestId);
}
