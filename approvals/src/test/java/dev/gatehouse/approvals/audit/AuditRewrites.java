package dev.gatehouse.approvals.audit;

import dev.gatehouse.approvals.store.Store;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What someone who can write the store can do to the audit chain with plain SQL, hashing the way
 * {@link AuditLog} does (its own code) so that {@link AuditVerifier} still passes. Used by test threads.
 */
public final class AuditRewrites {
    private AuditRewrites() {
    }

    /** Appends {@code n} records naming {@code who}, as the service would. */
    public static void append(Store store, int n, String who) {
        for (int i = 0; i < n; i++) {
            AuditLog.append(store, new AuditRecord("decision.deny", null, "p1", "a1", 1_700_000_000_000L + i,
                    Map.of("principal", who, "sql", "drop table t" + i)));
        }
    }

    /**
     * Replaces {@code find} by {@code replace} in every record from {@code from} on, then recomputes each
     * record's prev and hash and the head row, consistently.
     */
    public static void rewriteFrom(Store store, long from, String find, String replace) {
        store.inTransaction(c -> {
            String prev = hashBefore(c, from);
            List<Object[]> rows = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT seq, record FROM gh_audit WHERE seq >= ? ORDER BY seq")) {
                p.setLong(1, from);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getLong(1), rs.getString(2)});
                    }
                }
            }
            long seq = from - 1;
            for (Object[] row : rows) {
                seq = (Long) row[0];
                Map<String, Object> body = CanonicalJson.read(((String) row[1]).replace(find, replace));
                body.put("prev", prev);
                String json = CanonicalJson.write(body);
                prev = AuditLog.hash(prev, json);
                try (PreparedStatement u = c.prepareStatement("UPDATE gh_audit SET record = ?, hash = ? WHERE seq = ?")) {
                    u.setString(1, json);
                    u.setString(2, prev);
                    u.setLong(3, seq);
                    u.executeUpdate();
                }
            }
            setHead(c, seq, prev);
            return null;
        });
    }

    /** Deletes every record after {@code keep} and points the head row at record {@code keep}. */
    public static void truncateTo(Store store, long keep) {
        store.inTransaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM gh_audit WHERE seq > ?")) {
                d.setLong(1, keep);
                d.executeUpdate();
            }
            setHead(c, keep, hashBefore(c, keep + 1));
            return null;
        });
    }

    private static String hashBefore(java.sql.Connection c, long seq) throws java.sql.SQLException {
        if (seq <= 1) {
            return AuditLog.GENESIS;
        }
        try (PreparedStatement p = c.prepareStatement("SELECT hash FROM gh_audit WHERE seq = ?")) {
            p.setLong(1, seq - 1);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no record " + (seq - 1));
                }
                return rs.getString(1);
            }
        }
    }

    private static void setHead(java.sql.Connection c, long seq, String hash) throws java.sql.SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE gh_audit_head SET seq = ?, hash = ? WHERE id = 1")) {
            u.setLong(1, seq);
            u.setString(2, hash);
            u.executeUpdate();
        }
    }
}
