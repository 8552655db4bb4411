package dev.gatehouse.approvals.checkpoint;

import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.RuleHit;
import dev.gatehouse.policy.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the policy engine's {@link Verdict} into a guard {@link Outcome}, so a production guard over the policy
 * engine and the approvals library is only: decide, then open a request for a review. Shadow-mode rules are
 * reported by the engine but never named as the reason a statement was refused.
 *
 * <p>Threads: stateless.
 */
public final class Verdicts {
    private Verdicts() {
    }

    /** Opens (or joins) the approval request for a held statement. */
    @FunctionalInterface
    public interface ReviewOpener {
        Outcome.Review open(Verdict.Review review, List<String> enforcingRuleIds);
    }

    /** Hot path for allowed statements: no allocation for an Allow. */
    public static Outcome toOutcome(Verdict verdict, ReviewOpener opener) {
        return switch (verdict) {
            case Verdict.Allow allow -> Outcome.ALLOW;
            case Verdict.Deny deny -> new Outcome.Deny(deny.reason(), enforcing(deny.hits(), Action.DENY));
            case Verdict.Review review -> opener.open(review, enforcing(review.hits(), Action.REVIEW));
        };
    }

    /** For {@link StatementGuard#prepare}: a denial refuses early, a review waits for the execute. */
    public static Outcome atPrepare(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Allow allow -> Outcome.ALLOW;
            case Verdict.Review review -> Outcome.ALLOW;
            case Verdict.Deny deny -> new Outcome.Deny(deny.reason(), enforcing(deny.hits(), Action.DENY));
        };
    }

    static List<String> enforcing(List<RuleHit> hits, Action action) {
        List<String> ids = new ArrayList<>(hits.size());
        for (RuleHit hit : hits) {
            if (!hit.shadow() && hit.action() == action && !ids.contains(hit.ruleId())) {
                ids.add(hit.ruleId());
            }
        }
        return ids;
    }
}
