package dev.gatehouse.approvals.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A copy of the chain's head kept outside the store: {@code {"at":"ISO time","hash":"..","seq":n}} as one JSON
 * line (canonical key order). Whoever later finds the record at {@code seq} with another hash, or no record
 * there, knows the chain was rewritten or cut after {@code at}. Immutable; any thread.
 *
 * @param seq  the last record's sequence number (0: the empty chain)
 * @param hash that record's hash, 64 lower-case hex digits ({@link AuditLog#GENESIS} for the empty chain)
 * @param at   when the head was read
 */
public record Anchor(long seq, String hash, Instant at) {
    private static final Set<String> KEYS = Set.of("seq", "hash", "at");

    public Anchor {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(at, "at");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative, not " + seq);
        }
        if (!isHash(hash)) {
            throw new IllegalArgumentException("hash must be 64 lower-case hex digits");
        }
        at = at.truncatedTo(ChronoUnit.MILLIS);
    }

    public static Anchor of(AuditLog.Head head, Instant at) {
        return new Anchor(head.seq(), head.hash(), at);
    }

    /** Whether this anchor names exactly {@code head}. */
    public boolean names(AuditLog.Head head) {
        return seq == head.seq() && hash.equals(head.hash());
    }

    public String toJson() {
        return CanonicalJson.write(Map.of("seq", seq, "hash", hash, "at", at.toString()));
    }

    /**
     * Reads one line exactly as {@link #toJson} writes it: anchor files are machine-written, so any other form
     * (spacing, key order, trailing text, a carriage return) means the line was not written by the publisher.
     *
     * @throws IllegalArgumentException naming what is wrong (never the whole line, which may be long)
     */
    public static Anchor parse(String line) {
        Map<String, Object> m = CanonicalJson.read(line);
        if (!m.keySet().equals(KEYS)) {
            throw new IllegalArgumentException("expected exactly the keys seq, hash, at; found " + new java.util.TreeSet<>(m.keySet()));
        }
        if (!(m.get("seq") instanceof Integer || m.get("seq") instanceof Long) || ((Number) m.get("seq")).longValue() < 0) {
            throw new IllegalArgumentException("seq must be a whole number, 0 or more");
        }
        if (!(m.get("hash") instanceof String h) || !isHash(h)) {
            throw new IllegalArgumentException("hash must be 64 lower-case hex digits");
        }
        if (!(m.get("at") instanceof String at)) {
            throw new IllegalArgumentException("at must be an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
        }
        Anchor a;
        try {
            a = new Anchor(((Number) m.get("seq")).longValue(), h, Instant.parse(at));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("at must be an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
        }
        if (!a.toJson().equals(line)) {
            throw new IllegalArgumentException("not in the form gatehouse writes (canonical JSON: keys at, hash, seq; no spaces)");
        }
        return a;
    }

    private static boolean isHash(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
