package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Every row limit on a statement (or a submission): its verdict is the one it was decided with while it touches
 * at most {@link #lowest()} rows, and {@link #at} gives the verdict for a count. Pure functions of the policy's
 * answer, so a front end needs no engine to apply them.
 *
 * <p>Threads: immutable; any thread.
 */
public record RowLimits(List<RowLimit> limits) {
    /** No limit: the verdict stands whatever the count. */
    public static final RowLimits NONE = new RowLimits(List.of());

    public RowLimits {
        limits = List.copyOf(limits);
    }

    public boolean isEmpty() {
        return limits.isEmpty();
    }

    /** The most rows that change nothing (Long.MAX_VALUE without limits). */
    public long lowest() {
        long lowest = Long.MAX_VALUE;
        for (RowLimit l : limits) {
            lowest = Math.min(lowest, l.maxRows());
        }
        return lowest;
    }

    /** Both sets at once (the statements of one submission, the elements of one batch). */
    public RowLimits plus(RowLimits other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<RowLimit> all = new ArrayList<>(limits);
        all.addAll(other.limits);
        return new RowLimits(all);
    }

    /**
     * The verdict of a write decided {@code within} once it touched {@code rows}: every limit it went over adds
     * its action, its hit and its reason, naming the count.
     */
    public Verdict at(Verdict within, long rows) {
        List<RowLimit> over = new ArrayList<>(limits.size());
        for (RowLimit l : limits) {
            if (rows > l.maxRows()) {
                over.add(l);
            }
        }
        return over.isEmpty() ? within : applying(within, over, "touches " + rows + (rows == 1 ? " row" : " rows"));
    }

    /**
     * The verdict when its rows could not be counted (a table whose engine cannot roll back, a front end that
     * does not count): every limit applies, failing closed.
     *
     * @param why why not, for the reason
     */
    public Verdict uncounted(Verdict within, String why) {
        return limits.isEmpty() ? within : applying(within, limits, "rows not counted: " + why);
    }

    private static Verdict applying(Verdict within, List<RowLimit> over, String measure) {
        Action action = within.action();
        for (RowLimit l : over) {
            action = action.strictest(l.action());
        }
        List<RuleHit> hits = new ArrayList<>(within.hits());
        List<String> reasons = new ArrayList<>(over.size() + 1);
        ReviewSpec review = null;
        if (within.action() == action && action != Action.ALLOW) {
            reasons.add(Explanation.reason(within));
            if (within instanceof Verdict.Review r) {
                review = r.review();
            }
        }
        for (RowLimit l : over) {
            String fact = measure + ", over max_rows " + l.maxRows();
            if (l.ruleId() != null) {
                List<String> facts = new ArrayList<>(l.facts());
                facts.add(fact);
                hits.add(new RuleHit(l.ruleId(), l.action(), false, facts));
            }
            if (l.action() == action) {
                String reason = l.reason() + " (" + fact + ")";
                if (!reasons.contains(reason)) {
                    reasons.add(reason);
                }
                if (action == Action.REVIEW) {
                    review = review == null ? l.review() : review.merge(l.review());
                }
            }
        }
        String reason = String.join("; ", reasons);
        return switch (action) {
            case ALLOW -> within;
            case REVIEW -> new Verdict.Review(hits, review == null ? ReviewSpec.DEFAULT : review, reason);
            case DENY -> new Verdict.Deny(hits, reason);
        };
    }
}
