package dev.gatehouse.approvals.audit;

import java.util.Map;

/**
 * One audit record before it is chained: what happened, to which request, under which policy and analyzer.
 *
 * @param type  {@code request.created}, {@code vote.cast}, {@code request.approved}, {@code decision.deny}, ...
 * @param data  JSON-able details (maps, lists, strings, booleans, integers)
 */
public record AuditRecord(String type, String requestId, String policyVersion, String analyzerVersion,
                          long atMillis, Map<String, Object> data) {
    public AuditRecord {
        data = Map.copyOf(data);
    }
}
