package dev.gatehouse.policy;

import java.util.List;

/**
 * One rule that matched a statement, with the facts that made it match (for example
 * {@code "kind DDL"}, {@code "table billing.invoices"}, {@code "column public.users.ssn"}).
 *
 * @param shadow true when the rule (or the whole policy) is in shadow mode: reported, never enforced
 */
public record RuleHit(String ruleId, Action action, boolean shadow, List<String> facts) {
    public RuleHit {
        facts = List.copyOf(facts);
    }
}
