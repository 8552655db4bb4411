package dev.gatehouse.enforce.checkpoint;

/**
 * A {@link RowSight} of one session, where the guard is shared by many (the wire proxy's: each connection counts
 * and estimates on its own): it remembers the caller it was last joined to, so that a session's statements allocate
 * no caller of their own while the session stays as it is.
 *
 * <p>Threads: the session's deciding thread, one statement at a time.
 */
public abstract class SessionRowSight implements RowSight {
    private Caller base;
    private Caller joined;

    /** {@code caller} with this sight: the same instance again while {@code caller} is. */
    public final Caller join(Caller caller) {
        if (caller != base) {
            joined = caller.withRows(this);
            base = caller;
        }
        return joined;
    }
}
