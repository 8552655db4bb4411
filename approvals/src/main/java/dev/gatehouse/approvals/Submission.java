package dev.gatehouse.approvals;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * What a front end asks approval for: a submission the policy held for review, and who sent it.
 *
 * @param principal       the authenticated requester (a person or an agent's identity)
 * @param actingFor       the human an agent acts for, or null; they can never approve their own request
 * @param sql             the full submission text exactly as it will run
 * @param parameters      bound parameter values rendered as text (null values as null), in order
 * @param decision        the policy's decision; its verdict must be {@link Verdict.Review}
 * @param analyzerVersion version of the analyzer that classified the text, for the audit
 * @param searchPath      the search path (PostgreSQL) or current database (MySQL) the text was decided with, or
 *                        null: unqualified names resolve through it, so it is part of an approval's scope (an
 *                        approval of {@code DELETE FROM orders} shown as {@code public.orders} must not run
 *                        against {@code billing.orders})
 * @param impact          what it would touch, shown to approvers; null when the front end tells nothing. Not part
 *                        of the scope: an approval of a counted write is used only by a run that counts no more
 *                        ({@link ApprovalService#approvedFor})
 */
public record Submission(String principal, String actingFor, Source source, String sql, List<String> parameters,
                         Decision decision, String analyzerVersion, String searchPath, Impact impact) {
    /** A submission without an impact. */
    public Submission(String principal, String actingFor, Source source, String sql, List<String> parameters,
                      Decision decision, String analyzerVersion, String searchPath) {
        this(principal, actingFor, source, sql, parameters, decision, analyzerVersion, searchPath, null);
    }

    /** A submission whose names do not depend on a search path. */
    public Submission(String principal, String actingFor, Source source, String sql, List<String> parameters,
                      Decision decision, String analyzerVersion) {
        this(principal, actingFor, source, sql, parameters, decision, analyzerVersion, null, null);
    }

    /** The same submission, showing {@code what} it would touch. */
    public Submission withImpact(Impact what) {
        return new Submission(principal, actingFor, source, sql, parameters, decision, analyzerVersion, searchPath, what);
    }

    public Submission {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(decision, "decision");
        parameters = parameters == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parameters));
        analyzerVersion = analyzerVersion == null ? "" : analyzerVersion;
        if (actingFor != null && actingFor.isBlank()) {
            actingFor = null;
        }
    }

    /** The review the policy asked for; a submission that is not held cannot become a request. */
    public Verdict.Review review() {
        return switch (decision.verdict()) {
            case Verdict.Review r -> r;
            case Verdict.Allow a -> throw new IllegalArgumentException("an allowed submission needs no approval");
            case Verdict.Deny d -> throw new IllegalArgumentException("a denied submission cannot be approved");
        };
    }
}
