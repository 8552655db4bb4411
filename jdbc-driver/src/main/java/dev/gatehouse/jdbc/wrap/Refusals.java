package dev.gatehouse.jdbc.wrap;

import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.refusal.Refusal;
import dev.gatehouse.enforce.refusal.SqlStates;
import dev.gatehouse.jdbc.ReviewPendingException;
import dev.gatehouse.jdbc.StatementDeniedException;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/**
 * The driver's form of the enforcement core's {@link Refusal}s: the same SQLSTATEs and words as the proxy, as
 * {@code SQLException}s (with the subclasses applications catch). Messages name rules, reasons and request
 * ids, never SQL values.
 *
 * <p>Threads: stateless; runs on the thread whose statement is refused.
 */
final class Refusals {
    private Refusals() {
    }

    /**
     * @param cancelledState the database's own SQLSTATE for a cancelled statement (PostgreSQL 57014, MySQL 70100)
     */
    static SQLException of(Refusal refusal, String cancelledState, Throwable cause) {
        String text = text(refusal);
        SQLException e = switch (refusal) {
            case Refusal.Denied d -> new StatementDeniedException(text, d.reason(), d.ruleIds());
            case Refusal.DeniedByApprover d -> new StatementDeniedException(text, d.reason(), d.ruleIds());
            case Refusal.Pending p -> new ReviewPendingException(text, p.requestId(), p.approvalUrl());
            case Refusal.TimedOut t -> new SQLTimeoutException(text, cancelledState);
            case Refusal.Cancelled c -> new SQLException(text, cancelledState);
            case Refusal.Expired x -> new SQLException(text, refusal.sqlState());
            case Refusal.Undecided u -> new SQLException(text, refusal.sqlState());
            case Refusal.Unreadable u -> new SQLException(text, refusal.sqlState());
            case Refusal.TooMany t -> new SQLException(text, refusal.sqlState());
        };
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    static SQLException denied(Outcome.Deny deny) {
        return of(new Refusal.Denied(deny.reason(), deny.ruleIds()), null, null);
    }

    static SQLException undecided(Outcome.Failed failed) {
        return of(new Refusal.Undecided(failed.reason()), null, failed.cause());
    }

    static SQLException guardFailed(RuntimeException cause) {
        return of(new Refusal.Undecided("the guard failed (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")"), null, cause);
    }

    static SQLException pending(Outcome.Review review) {
        return of(new Refusal.Pending(review.requestId(), review.approvalUrl(), review.reason(), review.ruleIds()),
                null, null);
    }

    static SQLException rawAccessRefused(String what) {
        return new SQLException("gatehouse: " + what + " would bypass the policy; refused "
                + "(set gatehouse.allow-unwrap=true to allow it)", SqlStates.RAW_ACCESS_REFUSED);
    }

    /** executeBatch must raise BatchUpdateException; nothing of the batch ran, so there are no counts. */
    static BatchUpdateException forBatch(SQLException refusal) {
        return new BatchUpdateException(refusal.getMessage() + " (nothing of the batch ran)",
                refusal.getSQLState(), 0, new long[0], refusal);
    }

    /** One line: the message, then its detail and hint, as a JDBC message has no separate fields. */
    private static String text(Refusal r) {
        StringBuilder b = new StringBuilder("gatehouse: ").append(r.message());
        if (r.detail() != null) {
            b.append("; ").append(r.detail());
        }
        if (r.hint() != null) {
            b.append("; ").append(r.hint());
        }
        return b.toString();
    }
}
