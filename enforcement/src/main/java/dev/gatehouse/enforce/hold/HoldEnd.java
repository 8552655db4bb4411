package dev.gatehouse.enforce.hold;

import dev.gatehouse.enforce.refusal.Refusal;

/**
 * How a wait for approval ended, for the front end to act on. A closed set.
 *
 * <p>Threads: immutable values; made and read on the waiting thread.
 */
public sealed interface HoldEnd permits HoldEnd.Run, HoldEnd.Refused, HoldEnd.ClientGone {

    /** Approved, and the approval claimed by this waiter: send the statement now, once. */
    Run RUN = new Run();

    record Run() implements HoldEnd {
    }

    /**
     * Answer {@code refusal} in place of the statement.
     *
     * @param cause       the store failure behind an {@link Refusal.Undecided}, for the operator's log; else null
     * @param interrupted the waiting thread was interrupted by someone other than a cancel: the front end gives
     *                    the interrupt back once it has answered
     */
    record Refused(Refusal refusal, RuntimeException cause, boolean interrupted) implements HoldEnd {
    }

    /** The client went away while it waited: its request was withdrawn; nobody is left to answer. */
    record ClientGone() implements HoldEnd {
    }
}
