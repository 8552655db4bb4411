/**
 * Web hooks: approval events out to generic JSON receivers, Slack and Microsoft Teams, and votes in from
 * Slack buttons and from other systems by signed POST.
 *
 * <h2>Generic hook out</h2>
 * {@code POST} with body {@code {"type", "request_id", "at", "payload"}} and headers
 * {@code X-Gatehouse-Event}, {@code X-Gatehouse-Delivery} (unique per delivery, the same on retries),
 * {@code X-Gatehouse-Timestamp} (Unix seconds) and
 * {@code X-Gatehouse-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>}.
 *
 * <p>A receiver verifies: (1) recompute the HMAC over the header timestamp, a dot, and the raw body bytes
 * as received (before any JSON parsing); (2) compare with the header in constant time; (3) reject if the
 * timestamp is more than 5 minutes from its clock; (4) remember accepted delivery ids (and signatures) for
 * those 5 minutes and drop repeats. Steps 3 and 4 make a captured request useless to replay; step 4 also
 * absorbs our retries, which carry a fresh timestamp and signature but the same delivery id.
 *
 * <h2>Slack, Teams, inbound</h2>
 * See {@link dev.gatehouse.approvals.hooks.SlackMessage}, {@link dev.gatehouse.approvals.hooks.TeamsCard}
 * and {@link dev.gatehouse.approvals.hooks.InboundDecisions}.
 */
package dev.gatehouse.approvals.hooks;
