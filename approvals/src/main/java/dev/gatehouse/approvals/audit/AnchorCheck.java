package dev.gatehouse.approvals.audit;

import dev.gatehouse.approvals.store.Store;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * Checks a chain that {@link AuditVerifier} found internally consistent against anchors kept outside the store:
 * every anchored record must still exist with the anchored hash. This is what catches a suffix rewritten with
 * consistent hashes, or a tail cut off with the head row updated, which the chain alone cannot show. One ordered
 * scan of {@code (seq, hash)} merged with the anchors, which must not go backwards. Runs on the CLI's main thread.
 */
public final class AnchorCheck {
    /** Rows fetched per round trip while scanning the chain. */
    private static final int FETCH_SIZE = 1000;

    private AnchorCheck() {
    }

    /** What an anchor found. */
    public enum Kind {
        /** The record at the anchored position has another hash: it, or one before it, was rewritten. */
        REWRITTEN,
        /** The chain ends before the anchored position: its tail was removed (and the head row rewritten). */
        TRUNCATED,
        /** The chain goes on past the anchored position but lacks that record. */
        MISSING,
        /** An anchor names an earlier record than the one before it: the file was edited or mixed up. */
        OUT_OF_ORDER
    }

    /** The first anchor that does not hold, by its line in the file. */
    public record Problem(int line, long seq, Kind kind, String what) {
    }

    /** How many anchors hold, and the first that does not, if any. */
    public record Result(int anchors, Optional<Problem> problem) {
        public boolean ok() {
            return problem.isEmpty();
        }
    }

    public static Result verify(Store store, AnchorFile.Anchors anchors) {
        if (anchors.size() == 0) {
            return new Result(0, Optional.empty());
        }
        return store.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT seq, hash FROM gh_audit WHERE seq >= ? ORDER BY seq")) {
                p.setFetchSize(FETCH_SIZE);
                p.setLong(1, anchors.seq(0));
                try (ResultSet rs = p.executeQuery()) {
                    boolean more = rs.next();
                    long seq = more ? rs.getLong(1) : -1;
                    String hash = more ? rs.getString(2) : null;
                    long lastSeen = 0;
                    for (int i = 0; i < anchors.size(); i++) {
                        long want = anchors.seq(i);
                        int line = anchors.line(i);
                        if (i > 0 && want < anchors.seq(i - 1)) {
                            return failed(i, new Problem(line, want, Kind.OUT_OF_ORDER, "anchor on line " + line + " names record "
                                    + want + " after an anchor for record " + anchors.seq(i - 1) + ": anchors never go backwards"));
                        }
                        if (want == 0) {
                            if (!anchors.hash(i).equals(AuditLog.GENESIS)) {
                                return failed(i, new Problem(line, 0, Kind.REWRITTEN, "anchor on line " + line
                                        + " names the empty chain with a hash other than the genesis hash"));
                            }
                            continue;
                        }
                        while (more && seq < want) {
                            lastSeen = seq;
                            more = rs.next();
                            seq = more ? rs.getLong(1) : -1;
                            hash = more ? rs.getString(2) : null;
                        }
                        if (!more) {
                            return failed(i, new Problem(line, want, Kind.TRUNCATED, "anchor on line " + line + " names record "
                                    + want + ", but the chain ends " + (lastSeen > 0 ? "at record " + lastSeen : "before it")
                                    + ": records were removed (truncated)"));
                        }
                        if (seq > want) {
                            return failed(i, new Problem(line, want, Kind.MISSING, "anchor on line " + line + " names record "
                                    + want + ", which is missing (deleted)"));
                        }
                        if (!hash.equals(anchors.hash(i))) {
                            return failed(i, new Problem(line, want, Kind.REWRITTEN, "anchor on line " + line + " names record "
                                    + want + " with hash " + anchors.hash(i) + ", but the store holds " + hash
                                    + ": the chain was rewritten at or before record " + want));
                        }
                    }
                }
            }
            return new Result(anchors.size(), Optional.empty());
        });
    }

    private static Result failed(int holding, Problem p) {
        return new Result(holding, Optional.of(p));
    }
}
