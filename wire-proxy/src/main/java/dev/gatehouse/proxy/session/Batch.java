package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.protocol.Frame;

import java.util.ArrayList;
import java.util.List;

/**
 * The extended-protocol group in progress, up to its Sync: the Binds held back undecided, whether a refusal
 * discards the rest of it, and whether it changed named statements. Threads: the session's client reader.
 */
final class Batch {
    /**
     * Portals whose Bind is held and not yet decided, in order. A Bind carries the values and the server
     * plans with them (constant folding runs immutable functions), so no Bind leaves before its portal is
     * decided: at its Execute, or at the Flush, Sync, Query or later Execute that must send it.
     */
    final List<Portals.Portal> undecided = new ArrayList<>();
    /** A refusal stands in this group: everything up to Sync is dropped, as the server skips after an error. */
    boolean discarding;
    /** The group created, closed or dropped a named statement: later groups look names up after its answer. */
    boolean changedNames;
    /**
     * The proxy opened a transaction block in this group, for a counted write outside the client's own (the
     * server's implicit transaction of the group became that block): the proxy commits it at the group's end.
     */
    boolean proxyBlock;
    /**
     * The transaction as the client's statements sent in this group left it: 0 as at the group's start (the last
     * ReadyForQuery's status), 'T' in a block for sure (BEGIN, SAVEPOINT, RELEASE ran or the group fails), '?' not
     * known (a COMMIT or ROLLBACK, which AND CHAIN may follow, or a text that could not be read).
     */
    byte transaction;

    /** The Bind of the first undecided portal not yet allowed: where a refusal cuts the held messages. */
    Frame firstUndecidedBind() {
        for (int i = 0; i < undecided.size(); i++) {
            if (!undecided.get(i).allowed) {
                return undecided.get(i).bind.frame();
            }
        }
        return null;
    }

    /**
     * A Sync or Query ends the group: its sync point, and a fresh start. Hot path: no allocation unless the proxy
     * opened a block in it.
     */
    ResponseTracker.SyncPoint end(boolean namesChanged) {
        boolean named = changedNames || namesChanged;
        ResponseTracker.SyncPoint point = proxyBlock ? new ResponseTracker.SyncPoint(named, true)
                : named ? ResponseTracker.SyncPoint.NAMED : ResponseTracker.SyncPoint.PLAIN;
        changedNames = false;
        discarding = false;
        proxyBlock = false;
        transaction = 0;
        return point;
    }
}
