package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.jdbc.GatehouseSqlState;
import dev.gatehouse.jdbc.ReviewPendingException;
import dev.gatehouse.jdbc.StatementDeniedException;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.checkpoint.Resolution;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.List;

/**
 * The exceptions a refused statement raises; messages name rules, reasons and request ids, never SQL values.
 *
 * <p>Threads: Stateless; runs on the thread whose statement is refused.
 */
final class Refusals {
    private Refusals() {
    }

    static SQLException denied(Outcome.Deny deny) {
        return new StatementDeniedException("gatehouse: statement denied by policy" + rules(deny.ruleIds())
                + ": " + deny.reason(), deny.reason(), deny.ruleIds());
    }

    static SQLException deniedByApprover(Outcome.Review review, Resolution.Denied denied) {
        List<String> rules = denied.ruleIds().isEmpty() ? review.ruleIds() : denied.ruleIds();
        return new StatementDeniedException("gatehouse: statement denied by an approver (request " + review.requestId()
                + ")" + rules(rules) + ": " + denied.reason(), denied.reason(), rules);
    }

    static SQLException pending(Outcome.Review review) {
        return new ReviewPendingException("gatehouse: statement held for review" + rules(review.ruleIds())
                + (review.reason() == null ? "" : ": " + review.reason())
                + "; request " + review.requestId() + ", approve at " + review.approvalUrl()
                + "; re-run the identical statement once approved", review.requestId(), review.approvalUrl());
    }

    static SQLException expired(Outcome.Review review) {
        return new SQLException("gatehouse: review request " + review.requestId()
                + " expired or was withdrawn before it was approved; the statement did not run",
                GatehouseSqlState.REVIEW_EXPIRED);
    }

    static SQLException timedOut(Outcome.Review review, String sqlState) {
        return new SQLTimeoutException("gatehouse: gave up waiting for approval of request " + review.requestId()
                + " (query timeout or gatehouse.max-wait); the request is withdrawn and the statement did not run",
                sqlState);
    }

    static SQLException cancelled(Outcome.Review review, String sqlState) {
        return new SQLException("gatehouse: statement cancelled while waiting for approval of request "
                + review.requestId() + "; the request is withdrawn and the statement did not run", sqlState);
    }

    static SQLException undecided(Outcome.Failed failed) {
        return new SQLException("gatehouse: could not decide on the statement: " + failed.reason(),
                GatehouseSqlState.GUARD_FAILED, failed.cause());
    }

    static SQLException guardFailed(RuntimeException cause) {
        return new SQLException("gatehouse: could not decide on the statement, refused (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")", GatehouseSqlState.GUARD_FAILED, cause);
    }

    static SQLException rawAccessRefused(String what) {
        return new SQLException("gatehouse: " + what + " would bypass the policy; refused "
                + "(set gatehouse.allow-unwrap=true to allow it)", GatehouseSqlState.RAW_ACCESS_REFUSED);
    }

    /** executeBatch must raise BatchUpdateException; nothing of the batch ran, so there are no counts. */
    static BatchUpdateException forBatch(SQLException refusal) {
        BatchUpdateException e = new BatchUpdateException(refusal.getMessage() + " (nothing of the batch ran)",
                refusal.getSQLState(), 0, new long[0], refusal);
        return e;
    }

    private static String rules(List<String> ruleIds) {
        return ruleIds.isEmpty() ? "" : " (rules: " + String.join(", ", ruleIds) + ")";
    }
}
