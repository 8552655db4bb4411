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
        // Null values are meaningful in the record (no acting-for human), so no Map.copyOf here.
        data = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }
}
