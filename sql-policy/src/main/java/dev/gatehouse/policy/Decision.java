package dev.gatehouse.policy;

import java.util.List;

/**
 * The decision for a whole submission (the text a client sends at once): the strictest of its statements'.
 *
 * @param policyVersion identifies the policy content that decided (a hash), for audit records
 */
public record Decision(Verdict verdict, List<StatementDecision> statements, String policyVersion) {
    public Decision {
        statements = List.copyOf(statements);
    }
}
