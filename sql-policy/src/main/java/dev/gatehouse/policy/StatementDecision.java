package dev.gatehouse.policy;

import dev.gatehouse.sql.analysis.StatementInfo;

/** One statement of a submission with its own verdict. */
public record StatementDecision(StatementInfo statement, Verdict verdict) {
}
