package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.enforce.hold.HoldEnd;
import dev.gatehouse.enforce.hold.HoldLoop;
import dev.gatehouse.enforce.hold.HoldSite;
import dev.gatehouse.enforce.refusal.Refusal;
import dev.gatehouse.proxy.protocol.backend.NoticeResponse;

import java.io.EOFException;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Asks the guard about one statement and acts on its answer: go, refuse ({@link Refusals}), or hold it for
 * approval in the enforcement core's {@link HoldLoop}, telling the client that it waits, bounded by the maximum
 * hold wait, withdrawn on cancel or when the client goes away.
 *
 * <p>Threads: the session's client reader; a cancel reaches a held statement through its {@link HoldSite}.
 */
final class GuardAnswers {
    private static final String NOTICE_CODE = "00000";
    /** Never given SQL text, parameters or passwords: statements may carry secrets. */
    private static final System.Logger LOG = System.getLogger(GuardAnswers.class.getName());

    private final SessionContext context;
    private final ClientOutput out;
    private final Upstream upstream;
    private final Refusals refusals;
    private final HoldSite approval;
    private final SessionSettings settings;
    private final String clientAddress;
    private final HoldLoop.Waiter waiter;

    /** @param clientPresent whether the client is still connected (asked about once a second while it waits) */
    GuardAnswers(SessionContext context, ClientOutput out, Upstream upstream, Refusals refusals, HoldSite approval,
                 SessionSettings settings, String clientAddress, BooleanSupplier clientPresent) {
        this.context = context;
        this.out = out;
        this.upstream = upstream;
        this.refusals = refusals;
        this.approval = approval;
        this.settings = settings;
        this.clientAddress = clientAddress;
        this.waiter = new HoldLoop.Waiter() {
            @Override
            public boolean present() {
                return clientPresent.getAsBoolean();
            }

            @Override
            public boolean stillWaiting(Outcome.Review review) {
                try {
                    out.send(new NoticeResponse(NOTICE_CODE, "Gatehouse is still waiting for approval of request "
                            + review.requestId(), "Approve it at " + review.approvalUrl()).encode(settings.charset()));
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }
        };
    }

    /**
     * Asks the guard and acts on its answer: send it, its refusal arranged, or run it counted. Fail closed: a
     * guard that throws refuses the statement. Hot path: the plain allow allocates nothing here.
     */
    Admitted admit(Execution execution, boolean extendedQuery) throws IOException {
        Outcome outcome;
        try {
            outcome = context.guard().check(execution);
        } catch (RuntimeException e) {
            guardFailed(e);
            refusals.refuse(new Refusal.Undecided(null), extendedQuery);
            return Admitted.Plain.REFUSED;
        }
        return act(outcome, extendedQuery);
    }

    /** Acts on an outcome of the guard's (or of a counted write's count): refuses, holds, or lets it go. */
    Admitted act(Outcome outcome, boolean extendedQuery) throws IOException {
        return switch (outcome) {
            case Outcome.Allow allow -> allow.rows() == null ? Admitted.Plain.SEND : new Admitted.Counted(allow.rows());
            case Outcome.Deny deny -> {
                refusals.refuse(new Refusal.Denied(deny.reason(), deny.ruleIds()), extendedQuery);
                yield Admitted.Plain.REFUSED;
            }
            case Outcome.Review review -> review(review, extendedQuery);
            case Outcome.Failed failed -> {
                guardFailed(failed);
                refusals.refuse(new Refusal.Undecided(failed.reason()), extendedQuery);
                yield Admitted.Plain.REFUSED;
            }
        };
    }

    /**
     * The early classification at Parse: only a denial or a failure acts there. A guard that throws answers
     * {@link Outcome.Failed} (ZG003), as at execute and as the guard's contract promises.
     */
    Outcome prepare(Execution execution) {
        try {
            return context.guard().prepare(execution);
        } catch (RuntimeException e) {
            guardFailed(e);
            return new Outcome.Failed("the guard failed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private Admitted review(Outcome.Review review, boolean extendedQuery) throws IOException {
        out.send(new NoticeResponse(NOTICE_CODE, "Gatehouse holds the statement for approval: request "
                + review.requestId() + " (" + review.reason() + ")", "Approve it at " + review.approvalUrl())
                .encode(settings.charset()));
        return switch (review.mode()) {
            case FAIL -> {
                refusals.refuse(new Refusal.Pending(review.requestId(), review.approvalUrl(), review.reason(),
                        review.ruleIds()), extendedQuery);
                yield Admitted.Plain.REFUSED;
            }
            case WAIT -> !awaitApproval(review, extendedQuery) ? Admitted.Plain.REFUSED
                    // the approved run of a limited write is counted again, within what was approved
                    : review.rerun() == null ? Admitted.Plain.SEND : new Admitted.Counted(review.rerun());
        };
    }

    private boolean awaitApproval(Outcome.Review review, boolean extendedQuery) throws IOException {
        upstream.out.flush(); // what was allowed before this statement must not wait with it
        long deadline = System.nanoTime() + context.limits().maxHoldWait().toNanos();
        switch (HoldLoop.await(review, approval, deadline, context.limits().holdNoticeInterval(), waiter)) {
            case HoldEnd.Run run -> {
                return true;
            }
            case HoldEnd.Refused refused -> {
                if (refused.cause() != null) {
                    guardFailed(refused.cause());
                }
                refusals.refuse(refused.refusal(), extendedQuery);
                return false;
            }
            case HoldEnd.ClientGone gone -> throw new EOFException("the client went away while its statement waited");
        }
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
