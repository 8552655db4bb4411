package dev.gatehouse.approvals;

import java.time.Instant;

/**
 * One approver's vote; every vote is kept, eligible or not, so the audit shows who tried.
 *
 * @param channel how it arrived: {@code api}, {@code page}, {@code slack}, {@code hook}, {@code cli}
 */
public record Vote(String approver, Choice choice, String reason, String channel, Instant at) {

    /** A closed set: approve or deny. */
    public enum Choice {
        APPROVE, DENY;

        public String wire() {
            return this == APPROVE ? "approve" : "deny";
        }
    }
}
