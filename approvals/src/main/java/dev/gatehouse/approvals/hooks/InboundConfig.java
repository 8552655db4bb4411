package dev.gatehouse.approvals.hooks;

import java.util.Map;

/**
 * What inbound decisions trust.
 *
 * @param slackSigningSecret the Slack app's signing secret; null disables the Slack endpoint (every
 *     request is rejected)
 * @param slackApprovers Slack user id (e.g. {@code U024BE7LH}) to Gatehouse approver name; a user not in
 *     the map cannot vote
 * @param decisionSecret the secret of signed decisions from other chat or ticket systems; null disables them.
 *     Keep it different from every outbound hook secret, so a captured outbound body can never be replayed
 *     inbound as a decision.
 *
 * <p>Immutable; any thread.
 */
public record InboundConfig(Secret slackSigningSecret, Map<String, String> slackApprovers, Secret decisionSecret) {

    public InboundConfig {
        slackApprovers = slackApprovers == null ? Map.of() : Map.copyOf(slackApprovers);
    }
}
