package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The decision for a whole submission (the text a client sends at once): the strictest of its statements'.
 *
 * @param policyVersion identifies the policy content that decided (a hash), for audit records
 * @param rowLimits     every limit on the rows its statements write: {@link #verdict} holds while the submission
 *                      touches at most {@link RowLimits#lowest()} rows; {@link #atRows} gives it for a count. A
 *                      front end that can count runs such a write inside a savepoint and asks again with the count
 */
public record Decision(Verdict verdict, List<StatementDecision> statements, String policyVersion,
                       RowLimits rowLimits) {
    /** A decision whose limits are its statements'. */
    public Decision(Verdict verdict, List<StatementDecision> statements, String policyVersion) {
        this(verdict, statements, policyVersion, limitsOf(statements));
    }

    public Decision {
        statements = List.copyOf(statements);
        Objects.requireNonNull(rowLimits, "rowLimits");
    }

    /**
     * The decision once the submission touched {@code rows} (the sum over its statements; each statement's limits
     * are held against the whole count, which is never less than its own).
     */
    public Decision atRows(long rows) {
        if (rows <= rowLimits.lowest()) {
            return this;
        }
        List<StatementDecision> counted = new ArrayList<>(statements.size());
        for (StatementDecision s : statements) {
            counted.add(s.atRows(rows));
        }
        return new Decision(PolicyEngine.combine(counted), counted, policyVersion, rowLimits);
    }

    /** The decision when the rows could not be counted ({@code why}): every limit applies, failing closed. */
    public Decision uncounted(String why) {
        if (rowLimits.isEmpty()) {
            return this;
        }
        List<StatementDecision> all = new ArrayList<>(statements.size());
        for (StatementDecision s : statements) {
            all.add(s.uncounted(why));
        }
        return new Decision(PolicyEngine.combine(all), all, policyVersion, rowLimits);
    }

    /**
     * Several decisions taken as one submission (the elements of a JDBC batch, which count their rows as a
     * whole): every statement, the strictest verdict, every limit.
     */
    public static Decision combined(List<Decision> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<StatementDecision> all = new ArrayList<>();
        for (Decision d : parts) {
            all.addAll(d.statements());
        }
        return new Decision(PolicyEngine.combine(all), all, parts.isEmpty() ? "" : parts.get(0).policyVersion());
    }

    private static RowLimits limitsOf(List<StatementDecision> statements) {
        RowLimits all = RowLimits.NONE;
        for (StatementDecision s : statements) {
            all = all.plus(s.rowLimits());
        }
        return all;
    }
}
