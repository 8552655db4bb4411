package dev.gatehouse.policy;

import java.util.List;

/** The decision for a statement or a whole submission. A closed set: switch over it exhaustively. */
public sealed interface Verdict permits Verdict.Allow, Verdict.Review, Verdict.Deny {

    /** Every rule that matched, enforcing and shadow alike. */
    List<RuleHit> hits();

    Action action();

    /** Runs as submitted. {@code hits} may hold shadow-mode rules that would have held or denied it. */
    record Allow(List<RuleHit> hits) implements Verdict {
        public Allow { hits = List.copyOf(hits); }
        @Override public Action action() { return Action.ALLOW; }
    }

    /** Held until people approve it. */
    record Review(List<RuleHit> hits, ReviewSpec review, String reason) implements Verdict {
        public Review { hits = List.copyOf(hits); }
        @Override public Action action() { return Action.REVIEW; }
    }

    /** Never runs. */
    record Deny(List<RuleHit> hits, String reason) implements Verdict {
        public Deny { hits = List.copyOf(hits); }
        @Override public Action action() { return Action.DENY; }
    }
}
