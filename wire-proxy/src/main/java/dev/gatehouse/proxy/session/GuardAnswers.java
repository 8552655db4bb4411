package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.checkpoint.Hold;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.checkpoint.Resolution;
import dev.gatehouse.proxy.guard.Execution;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;
import dev.gatehouse.proxy.protocol.backend.NoticeResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Asks the guard about one statement and acts on its answer: go, refuse ({@link Refusals}), or hold it for
 * approval, telling the client it waits, bounded by the maximum hold wait, withdrawn on cancel.
 *
 * <p>Threads: the session's client reader; a cancel reaches a held statement through {@link ApprovalWait}.
 */
final class GuardAnswers {
    private static final String NOTICE_CODE = "00000";
    /** Never given SQL text, parameters or passwords: statements may carry secrets. */
    private static final System.Logger LOG = System.getLogger(GuardAnswers.class.getName());

    private final SessionContext context;
    private final ClientOutput out;
    private final Upstream upstream;
    private final Refusals refusals;
    private final ApprovalWait approval;
    private final SessionSettings settings;
    private final String clientAddress;

    GuardAnswers(SessionContext context, ClientOutput out, Upstream upstream, Refusals refusals,
                 ApprovalWait approval, SessionSettings settings, String clientAddress) {
        this.context = context;
        this.out = out;
        this.upstream = upstream;
        this.refusals = refusals;
        this.approval = approval;
        this.settings = settings;
        this.clientAddress = clientAddress;
    }

    /**
     * Asks the guard and acts on its answer. Returns true when the statement may be sent now; otherwise the
     * refusal has been arranged. Fail closed: a guard that throws refuses the statement.
     */
    boolean admit(Execution execution, boolean extendedQuery) throws IOException {
        Outcome outcome;
        try {
            outcome = context.guard().check(execution);
        } catch (RuntimeException e) {
            guardFailed(e);
            refuse(Refusal.guardFailed(null), extendedQuery);
            return false;
        }
        return switch (outcome) {
            case Outcome.Allow allow -> true;
            case Outcome.Deny deny -> {
                refuse(Refusal.denied(deny.reason(), deny.ruleIds()), extendedQuery);
                yield false;
            }
            case Outcome.Review review -> review(review, extendedQuery);
            case Outcome.Failed failed -> {
                guardFailed(failed);
                refuse(Refusal.guardFailed(failed.reason()), extendedQuery);
                yield false;
            }
        };
    }

    /** The early classification at Parse: only a denial (or a failure) acts there. */
    Outcome prepare(Execution execution) {
        try {
            return context.guard().prepare(execution);
        } catch (RuntimeException e) {
            guardFailed(e);
            return new Outcome.Deny("Gatehouse could not classify the statement", List.of());
        }
    }

    private boolean review(Outcome.Review review, boolean extendedQuery) throws IOException {
        out.send(new NoticeResponse(NOTICE_CODE, "Gatehouse holds the statement for approval: request "
                + review.requestId() + " (" + review.reason() + ")", "Approve it at " + review.approvalUrl())
                .encode(settings.charset()));
        switch (review.mode()) {
            case FAIL -> {
                refuse(Refusal.pending(review.requestId(), review.approvalUrl(), review.reason()), extendedQuery);
                return false;
            }
            case WAIT -> {
                return awaitApproval(review, extendedQuery);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** Waits in slices so the client hears that it is still waiting; bounded by the maximum hold wait. */
    private boolean awaitApproval(Outcome.Review review, boolean extendedQuery) throws IOException {
        upstream.out.flush(); // what was allowed before this statement must not wait with it
        Hold hold = review.hold();
        approval.begin(hold);
        try {
            long deadline = System.nanoTime() + context.limits().maxHoldWait().toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    hold.withdraw();
                    refuse(Refusal.canceled("canceling statement: the maximum wait for approval of request "
                            + review.requestId() + " ran out; the request was withdrawn"), extendedQuery);
                    return false;
                }
                Duration slice = Duration.ofNanos(Math.min(left, context.limits().holdNoticeInterval().toNanos()));
                Resolution resolution;
                try {
                    resolution = approval.awaitSlice(slice);
                } catch (RuntimeException storeFailed) {
                    // The store failed under the waiter (down, unreachable): the client hears ZG003 and the session
                    // goes on, rather than the connection dropping with nothing said. The request stays in the
                    // store (pending until approved, withdrawn or expired); nothing was sent.
                    guardFailed(storeFailed);
                    refuse(Refusal.guardFailed("the approvals store failed while request " + review.requestId()
                            + " waited (" + storeFailed.getClass().getSimpleName() + ": " + storeFailed.getMessage()
                            + "); refused, failing closed"), extendedQuery);
                    return false;
                }
                if (resolution == null) {
                    hold.withdraw();
                    refuse(Refusal.canceled("canceling statement due to user request"), extendedQuery);
                    return false;
                }
                switch (resolution) {
                    case Resolution.Approved approved -> {
                        return true;
                    }
                    case Resolution.Denied denied -> {
                        refuse(Refusal.denied(denied.reason(), denied.ruleIds()), extendedQuery);
                        return false;
                    }
                    case Resolution.Expired expired -> {
                        refuse(Refusal.expired(review.requestId()), extendedQuery);
                        return false;
                    }
                    case Resolution.StillPending pending -> out.send(new NoticeResponse(NOTICE_CODE,
                            "Gatehouse is still waiting for approval of request " + review.requestId(),
                            "Approve it at " + review.approvalUrl()).encode(settings.charset()));
                }
            }
        } finally {
            approval.end();
        }
    }

    private void refuse(ErrorResponse error, boolean extendedQuery) throws IOException {
        refusals.refuse(error, extendedQuery);
    }

    /**
     * The operator must learn that statements are refused; only the exception's class is logged, since a
     * parser's message may quote the statement.
     */
    void guardFailed(RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "guard failed ({0}) for {1}; statement refused",
                e.getClass().getName(), clientAddress);
    }

    /** As above, for a guard that answered it could not decide (store down, engine failure). */
    void guardFailed(Outcome.Failed failed) {
        LOG.log(System.Logger.Level.WARNING, "guard could not decide ({0}) for {1}; statement refused",
                failed.cause() == null ? "no cause" : failed.cause().getClass().getName(), clientAddress);
    }
}
