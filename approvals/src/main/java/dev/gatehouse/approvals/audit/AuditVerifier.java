package dev.gatehouse.approvals.audit;

import dev.gatehouse.approvals.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Optional;

/**
 * Walks the audit chain in sequence order and reports the first record that was edited, deleted or moved, and
 * exports records as JSON lines. Runs on the CLI's main thread.
 */
public final class AuditVerifier {
    private AuditVerifier() {
    }

    /** The outcome of a verification: how many records are intact, and the first problem if any. */
    public record Result(long records, Optional<Problem> problem) {
        public boolean ok() {
            return problem.isEmpty();
        }
    }

    /** Where the chain breaks, and why. */
    public record Problem(long seq, String what) {
    }

    public static Result verify(Store store) {
        return store.inTransaction(c -> {
            long expectedSeq = 1;
            String prev = AuditLog.GENESIS;
            try (PreparedStatement p = c.prepareStatement("SELECT seq, record, hash FROM gh_audit ORDER BY seq");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    String json = rs.getString(2);
                    String hash = rs.getString(3);
                    if (seq != expectedSeq) {
                        return broken(expectedSeq, new Problem(expectedSeq,
                                "record " + expectedSeq + " is missing (deleted): the next stored record is " + seq));
                    }
                    Map<String, Object> body;
                    try {
                        body = CanonicalJson.read(json);
                    } catch (IllegalArgumentException e) {
                        return broken(seq, new Problem(seq, "record " + seq + " is not valid JSON (edited)"));
                    }
                    if (!CanonicalJson.write(body).equals(json)) {
                        return broken(seq, new Problem(seq, "record " + seq + " is not in canonical form (edited)"));
                    }
                    Object bodySeq = body.get("seq");
                    if (!(bodySeq instanceof Number n) || n.longValue() != seq) {
                        return broken(seq, new Problem(seq, "record " + seq + " carries sequence " + bodySeq + " (reordered)"));
                    }
                    if (!prev.equals(body.get("prev"))) {
                        return broken(seq, new Problem(seq, "record " + seq + " does not follow record " + (seq - 1)
                                + " (reordered, or an earlier record was replaced)"));
                    }
                    if (!AuditLog.hash(prev, json).equals(hash)) {
                        return broken(seq, new Problem(seq, "record " + seq + " was edited: its hash does not match its content"));
                    }
                    prev = hash;
                    expectedSeq++;
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT seq, hash FROM gh_audit_head WHERE id = 1");
                 ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return broken(expectedSeq, new Problem(expectedSeq, "the audit head row is missing"));
                }
                if (rs.getLong(1) != expectedSeq - 1 || !rs.getString(2).equals(prev)) {
                    return broken(expectedSeq, new Problem(expectedSeq, "records after " + (expectedSeq - 1)
                            + " are missing (deleted): the head says the log ends at " + rs.getLong(1)));
                }
            }
            return new Result(expectedSeq - 1, Optional.empty());
        });
    }

    private static Result broken(long seq, Problem p) {
        return new Result(seq - 1, Optional.of(p));
    }

    /** What an export wrote: every record, and how many of them could not be read as a JSON object. */
    public record Exported(long records, long unreadable) {
    }

    /**
     * Writes every record as one JSON line (its canonical body plus its hash), in order, and never stops at one:
     * a record that is not a JSON object (edited, which {@link #verify} reports too) is written as
     * {@code {"hash":..,"raw":<its stored text>,"seq":..,"unreadable":<why>}}, and any text is escaped as the
     * chain's records are ({@link CanonicalJson}), so every line is well-formed UTF-8 JSON.
     *
     * @throws java.io.UncheckedIOException when {@code out} fails (the store did not)
     */
    public static Exported export(Store store, Writer out) {
        return store.inTransaction(c -> {
            long n = 0;
            long unreadable = 0;
            try (PreparedStatement p = c.prepareStatement("SELECT seq, record, hash FROM gh_audit ORDER BY seq");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    String json = rs.getString(2);
                    String hash = rs.getString(3);
                    Map<String, Object> line;
                    try {
                        line = CanonicalJson.read(json);
                    } catch (IllegalArgumentException e) {
                        line = new java.util.TreeMap<>();
                        line.put("seq", seq);
                        line.put("raw", json);
                        line.put("unreadable", "the stored record is not a JSON object");
                        unreadable++;
                    }
                    line.put("hash", hash);
                    out.write(CanonicalJson.write(line));
                    out.write('\n');
                    n++;
                }
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Exported(n, unreadable);
        });
    }
}
