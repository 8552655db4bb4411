package dev.gatehouse.jdbc;

import java.sql.SQLException;

/**
 * A statement held for review in {@code fail} mode: SQLSTATE {@code ZG001}. It did not run; once approved,
 * re-running the identical statement (same SQL, same parameters, same principal) runs it once.
 *
 * <p>Threads: Immutable; thrown on the executing thread.
 */
public final class ReviewPendingException extends SQLException {
    private static final long serialVersionUID = 1L;
    private final String requestId;
    private final String approvalUrl;

    public ReviewPendingException(String message, String requestId, String approvalUrl) {
        super(message, GatehouseSqlState.REVIEW_PENDING);
        this.requestId = requestId;
        this.approvalUrl = approvalUrl;
    }

    public String requestId() {
        return requestId;
    }

    public String approvalUrl() {
        return approvalUrl;
    }
}
