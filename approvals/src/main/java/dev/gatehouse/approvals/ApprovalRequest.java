package dev.gatehouse.approvals;

import dev.gatehouse.sql.Dialect;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A request as the store holds it: an immutable snapshot, re-read after every change.
 *
 * @param key               {@link RequestKey} of the submission; the approval's scope
 * @param searchPath        the search path (PostgreSQL) or current database (MySQL) it was decided under and will
 *                          run under; null: the server's default (see {@link Submission#searchPath})
 * @param searchPathRecorded false for requests made before the store kept the search path (schema version 2):
 *                          their key includes it, but it cannot be shown
 * @param approverGroups    groups whose members may vote; empty means any configured approver
 * @param expiresAt         when a pending request expires
 * @param approvalExpiresAt when an approval expires unused (null until approved)
 * @param decidedAt         when it left PENDING (null while pending)
 * @param decisionReason    why it is in its state (the denial's reason, "quorum reached", "expired", ...)
 * @param dialect           how its text is read, or null for requests made before the store kept it (schema
 *                          version 4) or by a front end that did not say
 * @param impact            what it would touch, as shown to approvers; null when not recorded (requests before
 *                          schema version 5, or from a front end that told nothing)
 */
public record ApprovalRequest(String id, String key, RequestState state, String principal, String actingFor,
                              Source source, String sql, List<String> parameters, String searchPath,
                              boolean searchPathRecorded, RequestSummary summary,
                              Set<String> approverGroups, int quorum, Duration approvalTtl, String policyVersion,
                              String analyzerVersion, Instant createdAt, Instant expiresAt, Instant decidedAt,
                              Instant approvalExpiresAt, String decisionReason, List<Vote> votes,
                              Dialect dialect, Impact impact) {
    public ApprovalRequest {
        parameters = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parameters));
        approverGroups = Set.copyOf(approverGroups);
        votes = List.copyOf(votes);
    }
}
