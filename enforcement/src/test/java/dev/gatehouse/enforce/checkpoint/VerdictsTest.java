package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.ReviewSpec;
import dev.gatehouse.policy.RuleHit;
import dev.gatehouse.policy.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Policy verdicts to guard outcomes: named cases. */
class VerdictsTest {
    private static final ReviewSpec SPEC = new ReviewSpec(Set.of("dba"), 1, Duration.ofMinutes(15),
            Duration.ofMinutes(15), ReviewSpec.HoldMode.WAIT);
    private static final Hold NEVER = new Hold() {
        @Override
        public Resolution await(Duration max, java.util.function.BooleanSupplier wanted) {
            return new Resolution.StillPending();
        }

        @Override
        public void withdraw() {
        }
    };

    record Case(String name, Verdict verdict, Outcome expected, Outcome expectedAtPrepare) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static RuleHit hit(String id, Action action, boolean shadow) {
        return new RuleHit(id, action, shadow, List.of("kind DDL"));
    }

    private static Outcome.Review review(List<String> ids) {
        return new Outcome.Review("r1", "http://gatehouse/approvals/r1", ReviewSpec.HoldMode.WAIT, NEVER, "held", ids);
    }

    static List<Case> cases() {
        return List.of(
                new Case("allow with no hits", new Verdict.Allow(List.of()), Outcome.ALLOW, Outcome.ALLOW),
                new Case("allow with a shadow deny stays allow",
                        new Verdict.Allow(List.of(hit("new-rule", Action.DENY, true))), Outcome.ALLOW, Outcome.ALLOW),
                new Case("deny names only enforcing deny rules",
                        new Verdict.Deny(List.of(hit("protect", Action.DENY, false), hit("watch", Action.DENY, true),
                                hit("pii", Action.REVIEW, false)), "drops billing"),
                        new Outcome.Deny("drops billing", List.of("protect")),
                        new Outcome.Deny("drops billing", List.of("protect"))),
                new Case("deny by a default names no rule", new Verdict.Deny(List.of(), "unparsed"),
                        new Outcome.Deny("unparsed", List.of()), new Outcome.Deny("unparsed", List.of())),
                new Case("review opens a request with the enforcing review rules",
                        new Verdict.Review(List.of(hit("pii", Action.REVIEW, false), hit("pii", Action.REVIEW, false),
                                hit("later", Action.REVIEW, true)), SPEC, "reads ssn"),
                        review(List.of("pii")), Outcome.ALLOW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void maps(Case c) {
        switch (c.expected) {
            case Outcome.Allow a -> assertInstanceOf(Verdict.Allow.class, c.verdict);
            case Outcome.Deny d -> assertEquals(d.ruleIds(), Verdicts.enforcing(c.verdict.hits(), Action.DENY));
            case Outcome.Review r -> assertEquals(r.ruleIds(), Verdicts.enforcing(c.verdict.hits(), Action.REVIEW));
            case Outcome.Failed f -> throw new AssertionError("no case expects a failure");
        }
        assertEquals(c.expectedAtPrepare, Verdicts.atPrepare(c.verdict));
        if (c.expectedAtPrepare == Outcome.ALLOW) {
            assertSame(Outcome.ALLOW, Verdicts.atPrepare(c.verdict), "the one allow instance, no allocation");
        }
    }
}
