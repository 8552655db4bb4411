package dev.gatehouse.approvals.audit;

import dev.gatehouse.approvals.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tamper-evident audit log: each record's hash is SHA-256 over the previous record's hash (hex) followed by
 * the record's canonical JSON, and the JSON itself carries its sequence number and the previous hash. Appends
 * lock the single head row, so appends from several instances are serialised and the chain never forks;
 * appends run inside the caller's transaction, so a request or vote and its audit record commit together.
 * Called on whatever thread changes a request.
 */
public final class AuditLog {
    public static final String GENESIS = "0".repeat(64);

    private AuditLog() {
    }

    /** Appends {@code r} in the transaction of {@code c}; returns the new record's sequence number. */
    public static long append(Connection c, AuditRecord r) throws SQLException {
        long seq;
        String prev;
        try (PreparedStatement p = c.prepareStatement("SELECT seq, hash FROM gh_audit_head WHERE id = 1 FOR UPDATE");
             ResultSet rs = p.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit head row missing: the audit table was tampered with");
            }
            seq = rs.getLong(1) + 1;
            prev = rs.getString(2);
        }
        String json = CanonicalJson.write(body(r, seq, prev));
        String hash = hash(prev, json);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO gh_audit (seq, record, hash) VALUES (?, ?, ?)")) {
            p.setLong(1, seq);
            p.setString(2, json);
            p.setString(3, hash);
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE gh_audit_head SET seq = ?, hash = ? WHERE id = 1")) {
            p.setLong(1, seq);
            p.setString(2, hash);
            p.executeUpdate();
        }
        return seq;
    }

    /** Where the chain ends: the last record's sequence number and hash; 0 and {@link #GENESIS} when empty. */
    public record Head(long seq, String hash) {
    }

    /** Reads the head row (no lock: a reader, not an appender). */
    public static Head head(Store store) {
        return store.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT seq, hash FROM gh_audit_head WHERE id = 1");
                 ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("audit head row missing: the audit table was tampered with");
                }
                return new Head(rs.getLong(1), rs.getString(2));
            }
        });
    }

    /** Appends in a transaction of its own (for decisions that open no request). */
    public static long append(Store store, AuditRecord r) {
        return store.inTransaction(c -> append(c, r));
    }

    private static Map<String, Object> body(AuditRecord r, long seq, String prev) {
        Map<String, Object> m = new TreeMap<>();
        m.put("seq", seq);
        m.put("prev", prev);
        m.put("type", r.type());
        m.put("request_id", r.requestId());
        m.put("policy_version", r.policyVersion());
        m.put("analyzer_version", r.analyzerVersion());
        m.put("at", r.atMillis());
        m.put("data", new LinkedHashMap<>(r.data()));
        return m;
    }

    static String hash(String prev, String canonicalJson) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(prev.getBytes(StandardCharsets.US_ASCII));
            md.update(canonicalJson.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
