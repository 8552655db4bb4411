package dev.gatehouse.approvals;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.ReviewSpec;
import dev.gatehouse.policy.Verdict;
import dev.gatehouse.sql.Dialect;
import java.util.List;
import java.util.Objects;

/**
 * What a front end asks approval for: a submission the policy held for review, who sent it, and what the policy
 * said about it (already digested into what approvers are shown, so it crosses the requester API as plain data).
 *
 * @param principal       the authenticated requester (a person or an agent's identity)
 * @param actingFor       the human an agent acts for, or null; they can never approve their own request
 * @param sql             the full submission text exactly as it will run
 * @param parameters      bound parameter values rendered as text (null values as null), in order
 * @param review          who must approve and within what time (the policy's merged review rules)
 * @param summary         the classification and every rule that fired, with the reason it was held
 * @param policyVersion   the policy content that decided, for the audit
 * @param analyzerVersion version of the analyzer that classified the text, for the audit
 * @param searchPath      the search path (PostgreSQL) or current database (MySQL) the text was decided with, or
 *                        null: unqualified names resolve through it, so it is part of an approval's scope (an
 *                        approval of {@code DELETE FROM orders} shown as {@code public.orders} must not run
 *                        against {@code billing.orders})
 * @param dialect         how the text is read (approvers are shown it as that server splits it), or null when
 *                        not known
 * @param impact          what it would touch, shown to approvers; null when the front end tells nothing. Not part
 *                        of the scope: an approval of a counted write is used only by a run that counts no more
 *                        ({@link RequesterPort#approvedFor})
 */
public record Submission(String principal, String actingFor, Source source, String sql, List<String> parameters,
                         ReviewSpec review, RequestSummary summary, String policyVersion, String analyzerVersion,
                         String searchPath, Dialect dialect, Impact impact) {
    /** A submission whose names do not depend on a search path, read in no known dialect. */
    public Submission(String principal, String actingFor, Source source, String sql, List<String> parameters,
                      Decision decision, String analyzerVersion) {
        this(principal, actingFor, source, sql, parameters, decision, analyzerVersion, null);
    }

    /** The policy's decision, digested; the dialect is not known. */
    public Submission(String principal, String actingFor, Source source, String sql, List<String> parameters,
                      Decision decision, String analyzerVersion, String searchPath) {
        this(principal, actingFor, source, sql, parameters, decision, analyzerVersion, searchPath, null);
    }

    /** Already digested, without an impact. */
    public Submission(String principal, String actingFor, Source source, String sql, List<String> parameters,
                      ReviewSpec review, RequestSummary summary, String policyVersion, String analyzerVersion,
                      String searchPath, Dialect dialect) {
        this(principal, actingFor, source, sql, parameters, review, summary, policyVersion, analyzerVersion,
                searchPath, dialect, null);
    }

    /** The policy's decision, digested, without an impact. */
    public Submission(String principal, String actingFor, Source source, String sql, List<String> parameters,
                      Decision decision, String analyzerVersion, String searchPath, Dialect dialect) {
        this(principal, actingFor, source, sql, parameters, decision, analyzerVersion, searchPath, dialect, null);
    }

    /**
     * The policy's decision, digested.
     *
     * @throws IllegalArgumentException when the decision is not a review (only held submissions become requests)
     */
    public Submission(String principal, String actingFor, Source source, String sql, List<String> parameters,
                      Decision decision, String analyzerVersion, String searchPath, Dialect dialect, Impact impact) {
        this(principal, actingFor, source, sql, parameters, reviewOf(decision).review(),
                RequestSummary.of(decision, reviewOf(decision).reason()), decision.policyVersion(), analyzerVersion,
                searchPath, dialect, impact);
    }

    /** The same submission, showing {@code what} it would touch. */
    public Submission withImpact(Impact what) {
        return new Submission(principal, actingFor, source, sql, parameters, review, summary, policyVersion,
                analyzerVersion, searchPath, dialect, what);
    }

    public Submission {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(review, "review");
        Objects.requireNonNull(summary, "summary");
        parameters = parameters == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parameters));
        policyVersion = policyVersion == null ? "" : policyVersion;
        analyzerVersion = analyzerVersion == null ? "" : analyzerVersion;
        if (actingFor != null && actingFor.isBlank()) {
            actingFor = null;
        }
    }

    /** The review the policy asked for; a submission that is not held cannot become a request. */
    private static Verdict.Review reviewOf(Decision decision) {
        return switch (decision.verdict()) {
            case Verdict.Review r -> r;
            case Verdict.Allow a -> throw new IllegalArgumentException("an allowed submission needs no approval");
            case Verdict.Deny d -> throw new IllegalArgumentException("a denied submission cannot be approved");
        };
    }
}
