package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.checkpoint.RowGuard;

/**
 * What the guard's answer leaves a front-end path to do with a statement: send it as it is, nothing (its refusal
 * is arranged), or run it counted under a {@link RowGuard} ({@link CountedRun}). Threads: immutable values.
 */
sealed interface Admitted permits Admitted.Plain, Admitted.Counted {

    enum Plain implements Admitted {
        /** Send it as the client sent it. */
        SEND,
        /** Not sent: its refusal is already on its way. */
        REFUSED
    }

    /** Run it inside an undo point, its answers kept until its count decides. */
    record Counted(RowGuard guard) implements Admitted {
    }
}
