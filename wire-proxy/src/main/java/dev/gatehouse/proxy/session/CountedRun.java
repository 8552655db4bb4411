package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.checkpoint.RowGuard;
import dev.gatehouse.enforce.refusal.Refusal;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;
import dev.gatehouse.proxy.protocol.backend.ReadyForQuery;
import dev.gatehouse.proxy.protocol.frontend.Bind;
import dev.gatehouse.proxy.protocol.frontend.Close;
import dev.gatehouse.proxy.protocol.frontend.Execute;
import dev.gatehouse.proxy.protocol.frontend.Flush;
import dev.gatehouse.proxy.protocol.frontend.Query;

import java.io.IOException;
import java.util.List;

/**
 * Runs a write the policy limits by its rows in the wire protocol, following {@link RowGuard}'s protocol: inside an
 * undo point the proxy opens, its answers kept from the client ({@link Intercept}) until its count says whether it
 * stands.
 *
 * <pre>
 * One run (repeated for the approved run after a hold, under the review's guard):
 *   cannot count it (a text of several statements, a Query inside an unfinished extended group; after the run:
 *                 RETURNING rows left in a suspended portal, an answer too large to keep)
 *   a failed block: sent as is (the server refuses it unrun)
 *                 -> uncounted: the limits' actions, or ALLOW under an approval given without a count: sent as is
 *   UNDO POINT    simple Query, status known (every answer in): idle -> BEGIN, in a block -> SAVEPOINT, as a group
 *                 of the proxy's own, awaited (a failed one refuses the write, which never ran)
 *                 Execute: SAVEPOINT (with BEGIN first unless a block is open for sure; in a block the client
 *                 opened in this group it is a no-op whose warning says so) as own messages right before it in
 *                 the client's group (a failed one makes the server skip the write)
 *   RUN           the client's message, its answers kept (KEPT_GROUP up to ReadyForQuery / KEPT_EXECUTE)
 *   -> failed     the client gets its failure as it came; a block the proxy opened is rolled back, and the client
 *                 is told it is idle, as after a failed statement of its own
 *   -> ALLOW      RELEASE (or COMMIT, awaited: its failure is what the client gets), then the kept answers
 *   -> otherwise  ROLLBACK TO SAVEPOINT and RELEASE (or ROLLBACK) before anything reaches the client; then the
 *                 outcome: refused, or held (GuardAnswers) and run again under the review's guard
 * A block the proxy opened for an Execute stays open up to the client's Sync (the group's implicit transaction
 * became it): there the proxy commits it (a failure reaches the client), rolls back what an error left, and the
 * client's ReadyForQuery says idle ({@link ExtendedPipeline#sync}); when an error skipped that COMMIT, a ROLLBACK
 * of the proxy's ends the failed block.
 * </pre>
 *
 * <p>The savepoint's name is the row guard's ({@link RowGuard#SAVEPOINT}); the client's own savepoints keep working
 * around it. A savepoint cannot undo sequence values taken or writes through {@code dblink}; a write to a foreign
 * table never comes here (the checkpoint gives it its limits' actions unrun).
 *
 * <p>Threads: the session's client reader; the answers come in through the {@link Intercept}s from the relay.
 */
final class CountedRun {
    static final String SAVEPOINT = "SAVEPOINT " + RowGuard.SAVEPOINT;
    static final String RELEASE = "RELEASE SAVEPOINT " + RowGuard.SAVEPOINT;
    static final String ROLLBACK_TO = "ROLLBACK TO SAVEPOINT " + RowGuard.SAVEPOINT;

    /** How a path sends the statement as the client sent it (its usual way). */
    @FunctionalInterface
    interface Send {
        void send() throws IOException;
    }

    private final Upstream upstream;
    private final ClientOutput client;
    private final SessionSettings settings;
    private final Batch batch;
    private final GuardAnswers answers;

    CountedRun(Upstream upstream, ClientOutput client, SessionSettings settings, Batch batch, GuardAnswers answers) {
        this.upstream = upstream;
        this.client = client;
        this.settings = settings;
        this.batch = batch;
        this.answers = answers;
    }

    /** A simple Query holding one limited write; {@code asIs} sends it the usual way. */
    void query(Query query, RowGuard first, Send asIs) throws IOException {
        // An extended-protocol group the client left open (no Sync): its transaction state is not the last
        // ReadyForQuery's, and the proxy's own group would end it.
        boolean inGroup = !upstream.out.groupUnsent();
        upstream.awaitEveryAnswer(); // the transaction status must be the server's, not a guess
        RowGuard guard = first;
        while (true) {
            byte status = settings.transactionStatus();
            if (status == 'E') {
                asIs.send(); // an aborted block: the server refuses it unrun, as the client expects
                return;
            }
            String cannot = !guard.singleStatements() ? "a text of several statements is not counted by the proxy"
                    : inGroup ? "a simple query inside an unfinished extended-protocol group is not counted" : null;
            Outcome outcome;
            if (cannot != null) {
                outcome = guard.uncounted(cannot);
                if (outcome == Outcome.ALLOW) {
                    asIs.send();
                    return;
                }
            } else {
                boolean block = status == 'T';
                Intercept point = upstream.ownGroup(block ? SAVEPOINT : "BEGIN");
                upstream.await(point);
                if (point.failed()) {
                    refuseUnrun(point, false);
                    return;
                }
                Intercept run = Intercept.keptGroup();
                upstream.tracker.sent(run);
                upstream.out.write(query.frame());
                upstream.await(run);
                if (run.error() != null) {
                    if (!block) {
                        // awaited, so that the client's next statement is decided outside a block, as it will run
                        upstream.await(upstream.ownGroup("ROLLBACK"));
                    }
                    client.sendAll(withStatus(run.kept(), block ? 0 : ReadyForQuery.IDLE));
                    return;
                }
                outcome = run.overflowed() ? guard.uncounted(overflow()) : guard.counted(run.rows());
                if (outcome == Outcome.ALLOW && !run.overflowed()) {
                    if (block) {
                        upstream.ownGroup(RELEASE);
                        client.sendAll(run.kept());
                    } else {
                        commitThenAnswer(run);
                    }
                    return;
                }
                if (block) {
                    upstream.ownGroup(ROLLBACK_TO, RELEASE);
                } else {
                    upstream.ownGroup("ROLLBACK");
                }
                if (outcome == Outcome.ALLOW) { // approved without a count, and too large to keep: it runs as is
                    asIs.send();
                    return;
                }
            }
            guard = after(outcome, false, asIs);
            if (guard == null) {
                return;
            }
        }
    }

    /**
     * An Execute of a portal whose write is limited; what is held before it goes first. {@code asIs} sends the
     * Execute the usual way (with what is held).
     */
    void execute(Portals.Portal portal, Execute execute, RowGuard first, Send asIs) throws IOException {
        if (upstream.tracker.outstanding() > 0) {
            upstream.awaitEveryAnswer(); // an error the relay saw must be this group's, not an earlier one's
        }
        RowGuard guard = first;
        while (true) {
            // An Execute of part of the rows (pgjdbc's executeUpdate asks for one) runs the write whole all the same:
            // its count comes unless RETURNING rows remain (PortalSuspended), which leaves it uncounted.
            String cannot = !guard.singleStatements() ? "a text of several statements is not counted by the proxy"
                    : null;
            Outcome outcome;
            if (cannot != null) {
                outcome = guard.uncounted(cannot);
                if (outcome == Outcome.ALLOW) {
                    asIs.send();
                    return;
                }
            } else {
                upstream.out.releaseHeld();
                // In a block for sure (the proxy's, or the client's with nothing in this group that may have ended
                // it): the savepoint alone. Otherwise BEGIN first: in a block the client opened after all it is a
                // no-op whose warning says so.
                byte known = batch.proxyBlock ? (byte) 'T'
                        : batch.transaction == 0 ? settings.transactionStatus() : batch.transaction;
                boolean opening = known != 'T';
                Intercept point = opening ? upstream.ownMessages("BEGIN", SAVEPOINT) : upstream.ownMessages(SAVEPOINT);
                Intercept run = Intercept.keptExecute();
                upstream.tracker.sent(run);
                upstream.out.write(execute.frame());
                upstream.out.write(Flush.encode());
                upstream.tracker.skipIfGroupFailed(run);
                upstream.await(run);
                if (opening && !point.skipped() && !point.blockWasOpen()) {
                    batch.proxyBlock = true; // the group's implicit transaction is now a block of the proxy's
                }
                if (run.skipped()) {
                    if (!point.skipped() && point.error() != null) {
                        refuseUnrun(point, true); // the undo point failed, so the server skipped the write
                    }
                    return; // otherwise an earlier error in the group: the server skips it, as it would have
                }
                if (run.error() != null) {
                    client.sendAll(run.kept()); // it failed: the server skips to the Sync, which ends the block
                    return;
                }
                outcome = run.overflowed() ? guard.uncounted(overflow()) : guard.counted(run.rows());
                if (outcome == Outcome.ALLOW && !run.overflowed()) {
                    upstream.ownMessages(RELEASE);
                    upstream.out.flush();
                    client.sendAll(run.kept());
                    return;
                }
                // Undone, and the portal bound again (a portal run inside a rolled back savepoint cannot run again).
                upstream.ownMessages(Intercept.ownMessages(2, 2), OwnStatements.encode(ROLLBACK_TO, RELEASE),
                        Close.encode('P', portal.bind.portal()), frame(portal.bind));
                if (outcome == Outcome.ALLOW) {
                    asIs.send();
                    return;
                }
            }
            guard = after(outcome, true, asIs);
            if (guard == null) {
                return;
            }
        }
    }

    /**
     * Acts on an outcome that did not let the run stand (it was undone, or never run): the guard of the next run
     * (the approved one after a hold), or null when done (refused, or sent as it is).
     */
    private RowGuard after(Outcome outcome, boolean extendedQuery, Send asIs) throws IOException {
        return switch (answers.act(outcome, extendedQuery)) {
            case Admitted.Plain p when p == Admitted.Plain.SEND -> {
                asIs.send();
                yield null;
            }
            case Admitted.Plain p -> null;
            case Admitted.Counted counted -> counted.guard();
        };
    }

    /** The undo point failed, so the write never ran: refused as undecided (fail closed), with the server's reason. */
    private void refuseUnrun(Intercept point, boolean extendedQuery) throws IOException {
        String why = point.error() == null ? "no answer" : ErrorResponse.messageField(point.error());
        Refusal refusal = new Refusal.Undecided("Gatehouse could not open the savepoint a write limited by its rows"
                + " runs in (" + why + ")");
        answers.guardFailed(new Outcome.Failed(refusal.message(), null));
        if (extendedQuery) {
            // The server skips to the client's Sync already: the refusal goes straight to the client.
            client.send(Refusals.error(refusal).encode(settings.charset()));
            batch.discarding = true;
        } else {
            client.send(concat(Refusals.error(refusal).encode(settings.charset()),
                    readyForQuery(settings.transactionStatus())));
        }
    }

    /** Outside a block: the proxy's COMMIT decides what the client gets: the kept answers, or the COMMIT's failure. */
    private void commitThenAnswer(Intercept run) throws IOException {
        Intercept commit = upstream.ownGroup("COMMIT");
        upstream.await(commit);
        List<byte[]> kept = run.kept();
        if (commit.error() == null) {
            client.sendAll(withStatus(kept, ReadyForQuery.IDLE));
            return;
        }
        // As PostgreSQL answers a statement whose commit failed: its rows, then the error in place of its tag.
        java.util.ArrayList<byte[]> answer = new java.util.ArrayList<>(kept.size() + 1);
        for (byte[] m : kept) {
            if (m[0] != 'C' && m[0] != 'Z') {
                answer.add(m);
            }
        }
        answer.add(message((byte) 'E', commit.error()));
        answer.add(readyForQuery(ReadyForQuery.IDLE));
        client.sendAll(answer);
    }

    private static String overflow() {
        return "its answer is larger than the " + (Intercept.MAX_KEPT_BYTES >> 20)
                + " MiB the proxy keeps while it counts";
    }

    /** The kept answers with their ReadyForQuery's status replaced by {@code status} (0: as it came). */
    private static List<byte[]> withStatus(List<byte[]> kept, byte status) {
        if (status != 0 && !kept.isEmpty()) {
            byte[] last = kept.get(kept.size() - 1);
            if (last[0] == 'Z' && last.length == 6) {
                last[5] = status;
            }
        }
        return kept;
    }

    private static byte[] frame(Bind bind) {
        return message(bind.frame().type(), bind.frame().body());
    }

    private static byte[] message(byte type, byte[] body) {
        byte[] m = new byte[5 + body.length];
        int length = body.length + 4;
        m[0] = type;
        m[1] = (byte) (length >>> 24);
        m[2] = (byte) (length >>> 16);
        m[3] = (byte) (length >>> 8);
        m[4] = (byte) length;
        System.arraycopy(body, 0, m, 5, body.length);
        return m;
    }

    private static byte[] readyForQuery(byte status) {
        return new byte[] {'Z', 0, 0, 0, 5, status};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
