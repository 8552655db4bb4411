package dev.gatehouse.approvals;

/**
 * Life cycle of a request: PENDING → APPROVED | DENIED | EXPIRED | WITHDRAWN; APPROVED → CONSUMED | EXPIRED.
 * A closed set: callers switch over it exhaustively.
 */
public enum RequestState {
    PENDING, APPROVED, DENIED, EXPIRED, WITHDRAWN, CONSUMED;

    /** True once nothing can change the request any more except consumption of an approval. */
    public boolean settled() {
        return switch (this) {
            case PENDING -> false;
            case APPROVED, DENIED, EXPIRED, WITHDRAWN, CONSUMED -> true;
        };
    }

    /** Lower-case name used in the store, the API and the audit. */
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static RequestState ofWire(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
