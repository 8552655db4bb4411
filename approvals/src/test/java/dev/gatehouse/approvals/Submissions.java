package dev.gatehouse.approvals;

import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.ReviewSpec;
import dev.gatehouse.policy.RuleHit;
import dev.gatehouse.policy.StatementDecision;
import dev.gatehouse.policy.Verdict;
import dev.gatehouse.sql.analysis.ColumnName;
import dev.gatehouse.sql.analysis.Kind;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.analysis.TableAccess;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.analysis.TableUse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Builds held submissions as the policy engine would hand them over. */
public final class Submissions {
    public static final java.util.Map<String, List<String>> APPROVERS = java.util.Map.of(
            "dba", List.of("alice", "bob", "carol"),
            "security", List.of("sam", "alice"));

    private Submissions() {
    }

    public static ReviewSpec spec(Set<String> groups, int quorum, Duration pendingTtl, Duration approvalTtl) {
        return new ReviewSpec(groups, quorum, pendingTtl, approvalTtl, ReviewSpec.HoldMode.WAIT);
    }

    public static ReviewSpec dba(int quorum) {
        return spec(Set.of("dba"), quorum, Duration.ofMinutes(15), Duration.ofMinutes(15));
    }

    public static Submission of(String principal, String actingFor, String sql, List<String> params, ReviewSpec spec) {
        TableName users = new TableName("public", "users");
        StatementInfo info = new StatementInfo(sql, Set.of(Kind.READ), "SELECT",
                List.of(new TableAccess(users, Set.of(TableUse.READ))), Set.of(new ColumnName(users, "ssn")),
                Set.of(), Set.of(), false, true, false, List.of());
        RuleHit hit = new RuleHit("pii", Action.REVIEW, false, List.of("column public.users.ssn"));
        Verdict.Review review = new Verdict.Review(List.of(hit), spec, "pii: reads public.users.ssn");
        Decision d = new Decision(review, List.of(new StatementDecision(info, review)), "policy-v1");
        return new Submission(principal, actingFor, new Source(Source.Channel.DRIVER, "10.0.0.7", "psql", "shop"),
                sql, params, d, "analyzer-1");
    }

    public static Submission simple(String sql, ReviewSpec spec) {
        return of("agent-7", "dave", sql, List.of("42"), spec);
    }

    /** {@code s} decided under {@code searchPath} (null: the server's default). */
    public static Submission under(Submission s, String searchPath) {
        return new Submission(s.principal(), s.actingFor(), s.source(), s.sql(), s.parameters(), s.review(), s.summary(),
                s.policyVersion(), s.analyzerVersion(), searchPath, s.dialect());
    }
}
