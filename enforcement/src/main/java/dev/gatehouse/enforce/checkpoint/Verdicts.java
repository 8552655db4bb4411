package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.RuleHit;
import dev.gatehouse.policy.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of turning the policy engine's {@link Verdict} into an {@link Outcome} that need no store: which
 * rules a refusal names, and what counts at prepare time. Shadow-mode rules are reported by the engine but
 * never named as the reason a statement was refused.
 *
 * <p>Threads: stateless.
 */
public final class Verdicts {
    private Verdicts() {
    }

    /** Early classification (a driver's prepare): a denial refuses early, a review waits for the execute. */
    public static Outcome atPrepare(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Allow allow -> Outcome.ALLOW;
            case Verdict.Review review -> Outcome.ALLOW;
            case Verdict.Deny deny -> new Outcome.Deny(deny.reason(), enforcing(deny.hits(), Action.DENY));
        };
    }

    /** The ids of the enforcing (not shadow) rules with {@code action}, each once, in order. */
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
