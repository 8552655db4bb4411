package dev.gatehouse.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * A statement denied by policy or by an approver: SQLSTATE 42501. It never reached the database.
 *
 * <p>Threads: Immutable; thrown on the executing thread.
 */
public final class StatementDeniedException extends SQLException {
    private static final long serialVersionUID = 1L;
    private final List<String> ruleIds;
    private final String reason;

    public StatementDeniedException(String message, String reason, List<String> ruleIds) {
        super(message, GatehouseSqlState.DENIED);
        this.reason = reason;
        this.ruleIds = List.copyOf(ruleIds);
    }

    public List<String> ruleIds() {
        return ruleIds;
    }

    public String reason() {
        return reason;
    }
}
