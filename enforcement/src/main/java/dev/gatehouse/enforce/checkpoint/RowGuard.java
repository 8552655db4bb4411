package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.approvals.Impact;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.StatementDecision;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.TableAccess;
import dev.gatehouse.sql.analysis.TableName;
import dev.gatehouse.sql.analysis.TableUse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A write the policy allows only while it touches at most {@link #limit()} rows ({@code max_rows}). The front end
 * runs it where it can be undone, counts its rows, and the guard says whether it stands. The I/O is the front
 * end's; what the count means is the checkpoint's. States of one run:
 *
 * <pre>
 *   check() -> Allow(rows = guard)
 *     -> [front end] open the undo point, run, sum the counts  -> counted(n)
 *     -> [front end] cannot count                               -> uncounted(why)   (nothing run)
 *   counted/uncounted -> ALLOW            : keep it (release the savepoint / commit), hand the results over
 *                     -> Deny | Failed    : undo it, answer the refusal
 *                     -> Review           : undo it, hold (HoldLoop); on HoldEnd.RUN run again under
 *                                           review.rerun() from the top (FAIL mode: refuse with ZG001); that
 *                                           run's count claims the approval, only when it stands
 * </pre>
 *
 * <p>The protocol a front end follows:
 * <ol>
 *   <li>The undo point: inside the client's transaction {@code SAVEPOINT} (a name the client will not use);
 *       outside one, an implicit transaction ({@code BEGIN}, or auto-commit off) that Gatehouse ends.</li>
 *   <li>Run the statement as the client sent it. Its rows are the sum of the server's counts for it (the command
 *       tag's; JDBC's update counts; every element of a batch, which counts as a whole). A result the front end
 *       cannot count without consuming it (rows of RETURNING it has not read) makes it {@link #uncounted}: undo
 *       it first.</li>
 *   <li>{@link #counted} with the sum. On {@link Outcome#ALLOW}: {@code RELEASE SAVEPOINT} (or {@code COMMIT}), then
 *       hand the results to the client. Anything else: {@code ROLLBACK TO SAVEPOINT} and {@code RELEASE} (or
 *       {@code ROLLBACK}) before anything reaches the client, so nothing of it remains: its rows, what triggers
 *       and cascades did, what RETURNING produced. A savepoint cannot undo sequence values taken, writes to
 *       non-transactional tables (MyISAM) or through {@code dblink}.</li>
 *   <li>A table whose writes cannot be undone (a MyISAM or other non-transactional table among
 *       {@link #writtenTables()}): do not run it; {@link #uncounted} says what it gets instead (failing closed:
 *       the limits' actions). PostgreSQL foreign tables are the checkpoint's own concern: a write to one never
 *       gets a guard.</li>
 *   <li>When the statement fails, leave the transaction as the failure left it (PostgreSQL: aborted, the
 *       savepoint inside it; the implicit transaction rolled back) and report the error; the guard is done.</li>
 * </ol>
 *
 * <p>Threads: the thread that runs the statement; one use at a time (a guard is spent once it answered).
 */
public final class RowGuard {
    /** The undo point's name, the same in every front end: one a client does not use (MySQL replaces a namesake). */
    public static final String SAVEPOINT = "gatehouse_row_guard";

    /**
     * One statement under the guard (a batch has one per guarded element).
     *
     * @param decision       its decision while it is not counted
     * @param approvalId     an approved request this run may use (claimed once it stays within), or null
     * @param approved       what that approval's approvers were shown it would touch (null: no approval)
     * @param claimed        the run already holds its approval (the waiter claimed it after a hold)
     */
    record Part(Decision decision, String sql, List<?> parameters, String approvalId, Impact approved,
                boolean claimed) {
        /** An approval that is not of a count: approvers saw an estimate, or nothing. */
        boolean approvedUncounted() {
            return (claimed || approvalId != null) && (approved == null || approved.basis() != Impact.Basis.MEASURED);
        }
    }

    private final Checkpoint checkpoint;
    private final Caller caller;
    private final Dialect dialect;
    private final String defaultSchema;
    private final List<Part> parts;
    private final long limit;
    private final List<Claim> claims;

    /**
     * An approval the run uses once its count stands ({@link #counted}): the request it was held as, claimed with
     * the submission that opened it. A run that touches more leaves it unused, so an approval is consumed only by
     * a run that stood.
     */
    record Claim(String requestId, dev.gatehouse.approvals.Submission submission) {
    }

    RowGuard(Checkpoint checkpoint, Caller caller, Dialect dialect, String defaultSchema, List<Part> parts,
             long limit) {
        this(checkpoint, caller, dialect, defaultSchema, parts, limit, List.of());
    }

    private RowGuard(Checkpoint checkpoint, Caller caller, Dialect dialect, String defaultSchema, List<Part> parts,
                     long limit, List<Claim> claims) {
        this.checkpoint = checkpoint;
        this.caller = caller;
        this.dialect = dialect;
        this.defaultSchema = defaultSchema;
        this.parts = List.copyOf(parts);
        this.limit = limit;
        this.claims = List.copyOf(claims);
    }

    /** The most rows the write may touch and stand: the policy's lowest limit, or the count an approval allowed. */
    public long limit() {
        return limit;
    }

    /** The tables it writes, schema-qualified (a front end refuses to run it on one it cannot roll back). */
    public List<TableName> writtenTables() {
        Set<TableName> out = new LinkedHashSet<>();
        for (Part p : parts) {
            addWritten(p.decision(), out);
        }
        return List.copyOf(out);
    }

    /** Adds the tables {@code decision}'s statements write to {@code out}, in order. */
    static void addWritten(Decision decision, Set<TableName> out) {
        for (StatementDecision s : decision.statements()) {
            for (TableAccess t : s.statement().tables()) {
                if (t.uses().contains(TableUse.WRITE)) {
                    out.add(t.table());
                }
            }
        }
    }

    /**
     * Whether each statement under the guard is one statement (a batch's elements each are): a front end that
     * reads one count per statement cannot count a text of several without consuming their results.
     */
    public boolean singleStatements() {
        for (Part p : parts) {
            if (p.decision().statements().size() != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * The write ran inside the undo point and the server counted {@code rows}.
     *
     * @return {@link Outcome#ALLOW} to keep it; anything else: undo it first, then act on it as on a check's outcome
     */
    public Outcome counted(long rows) {
        if (rows < 0) {
            return uncounted("the count was not reported");
        }
        return checkpoint.counted(this, rows);
    }

    /**
     * The front end cannot count this write (or could not undo it, so did not run it): {@code why}.
     *
     * @return what it gets instead: its limits' actions (fail closed), or {@link Outcome#ALLOW} when it runs under
     *         an approval given without a count
     */
    public Outcome uncounted(String why) {
        return checkpoint.uncounted(this, Objects.requireNonNull(why, "why"));
    }

    /**
     * The guards of a JDBC batch as one: its rows are counted as a whole against the lowest limit, and a batch
     * that goes over is one request. Every guard must come from the same connection.
     */
    public static RowGuard ofBatch(List<RowGuard> guards) {
        if (guards.size() == 1) {
            return guards.get(0);
        }
        RowGuard first = guards.get(0);
        List<Part> all = new ArrayList<>();
        List<Claim> claims = new ArrayList<>();
        long lowest = Long.MAX_VALUE;
        for (RowGuard g : guards) {
            if (g.checkpoint != first.checkpoint || !g.caller.equals(first.caller)) {
                throw new IllegalArgumentException("a batch's guards come from one connection");
            }
            all.addAll(g.parts);
            for (Claim c : g.claims) {
                boolean known = false;
                for (Claim k : claims) {
                    known |= k.requestId().equals(c.requestId());
                }
                if (!known) {
                    claims.add(c);
                }
            }
            lowest = Math.min(lowest, g.limit);
        }
        return new RowGuard(first.checkpoint, first.caller, first.dialect, first.defaultSchema, all, lowest, claims);
    }

    /**
     * The guard of the run after request {@code held} is approved: within {@code allowed} rows, its parts running
     * under that approval, which it claims only when its count stands.
     */
    RowGuard rerun(long allowed, Impact approved, Claim held) {
        List<Part> again = new ArrayList<>(parts.size());
        for (Part p : parts) {
            again.add(new Part(p.decision(), p.sql(), p.parameters(), null, approved, true));
        }
        return new RowGuard(checkpoint, caller, dialect, defaultSchema, again, allowed, List.of(held));
    }

    /** The approvals this run claims once it stands (a run after a hold: the request it was held as). */
    List<Claim> claims() {
        return claims;
    }

    Caller caller() {
        return caller;
    }

    Dialect dialect() {
        return dialect;
    }

    String defaultSchema() {
        return defaultSchema;
    }

    List<Part> parts() {
        return parts;
    }

    /** Every part's decision as one (a single statement's is its own). */
    Decision decision() {
        if (parts.size() == 1) {
            return parts.get(0).decision();
        }
        List<Decision> all = new ArrayList<>(parts.size());
        for (Part p : parts) {
            all.add(p.decision());
        }
        return Decision.combined(all);
    }

    /** The text approvers see and an approval's scope is over: the statements in order, one per line. */
    String sql() {
        if (parts.size() == 1) {
            return parts.get(0).sql();
        }
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            if (!b.isEmpty()) {
                b.append(";\n");
            }
            b.append(p.sql());
        }
        return b.toString();
    }

    /** Every part's values, in order. */
    List<?> parameters() {
        if (parts.size() == 1) {
            return parts.get(0).parameters();
        }
        List<Object> all = new ArrayList<>();
        for (Part p : parts) {
            if (p.parameters() != null) {
                all.addAll(p.parameters());
            }
        }
        return all;
    }
}
