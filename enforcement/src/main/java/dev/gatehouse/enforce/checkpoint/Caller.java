package dev.gatehouse.enforce.checkpoint;

import dev.gatehouse.approvals.Source;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.policy.ReviewSpec.HoldMode;

import java.util.Objects;

/**
 * Who submits, from where, and how they want to be held: everything about a submission that does not change
 * from one statement to the next. Front ends build one per session state and pass the same instance again
 * and again, so the hot path allocates none.
 *
 * <p>Threads: Immutable; any thread.
 *
 * @param principal the submitting identity and the human it acts for (the policy matches the name)
 * @param source    channel, client address, application and database; the database is part of an approval's scope
 * @param holdMode  the client's own hold mode ({@code gatehouse.review}, a proxy setting), or null to follow each rule
 * @param rows      whether the front end counts limited writes, and how it asks the planner for estimates
 */
public record Caller(Principal principal, Source source, HoldMode holdMode, RowSight rows) {
    /** A caller whose front end neither counts rows nor estimates them. */
    public Caller(Principal principal, Source source, HoldMode holdMode) {
        this(principal, source, holdMode, RowSight.NONE);
    }

    /** The same caller whose statement is counted and estimated by {@code sight} (a proxy session's). */
    public Caller withRows(RowSight sight) {
        return sight == rows ? this : new Caller(principal, source, holdMode, sight);
    }

    public Caller {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(rows, "rows");
    }
}
