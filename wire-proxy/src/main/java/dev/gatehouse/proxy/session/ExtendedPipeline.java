package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.guard.Origin;
import dev.gatehouse.enforce.refusal.Refusal;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.checkpoint.RowGuard;
import dev.gatehouse.proxy.protocol.backend.ReadyForQuery;
import dev.gatehouse.proxy.protocol.frontend.Bind;
import dev.gatehouse.proxy.protocol.frontend.Close;
import dev.gatehouse.proxy.protocol.frontend.Describe;
import dev.gatehouse.proxy.protocol.frontend.Execute;
import dev.gatehouse.proxy.protocol.frontend.Flush;
import dev.gatehouse.proxy.protocol.frontend.Parse;
import dev.gatehouse.proxy.protocol.frontend.Sync;
import dev.gatehouse.enforce.session.SqlScan;

import java.io.IOException;
import java.util.List;

/**
 * The extended query protocol: Parse, Bind, Describe and Close are held back; an Execute decides its portal
 * (with every undecided Bind before it) and sends what was held; Flush and Sync decide what is held and send
 * it. A refusal discards the rest of the batch up to Sync, as the server does after an error ({@link Batch}).
 * The prepared statements and portals it creates and closes are tracked as the server will hold them
 * ({@link PreparedStatements}).
 *
 * <p>Threads: the session's client reader.
 */
final class ExtendedPipeline {
    private final Upstream upstream;
    private final PreparedStatements prepared;
    private final Portals portals;
    private final Batch batch;
    private final Refusals refusals;
    private final GuardAnswers answers;
    private final Executions executions;
    private final SessionSettings settings;
    private final int maxObjects;
    private final CountedRun counted;

    ExtendedPipeline(Upstream upstream, PreparedStatements prepared, Portals portals, Batch batch, Refusals refusals,
                     GuardAnswers answers, Executions executions, SessionSettings settings, int maxObjects,
                     CountedRun counted) {
        this.counted = counted;
        this.upstream = upstream;
        this.prepared = prepared;
        this.portals = portals;
        this.batch = batch;
        this.refusals = refusals;
        this.answers = answers;
        this.executions = executions;
        this.settings = settings;
        this.maxObjects = maxObjects;
    }

    void parse(Parse parse) throws IOException {
        if (batch.discarding) {
            return;
        }
        settings.probeWhenUncertain(upstream, false);
        Outcome early = answers.prepare(executions.parsed(parse.sql()));
        if (early instanceof Outcome.Deny deny) {
            if (decideHeld()) {
                refusals.refuse(new Refusal.Denied(deny.reason(), deny.ruleIds()), true);
            }
            return;
        } else if (early instanceof Outcome.Failed failed) {
            answers.guardFailed(failed);
            if (decideHeld()) {
                refusals.refuse(new Refusal.Undecided(failed.reason()), true);
            }
            return;
        }
        boolean named = !parse.statement().isEmpty();
        if (named) {
            upstream.awaitNamedChanges(); // is the name taken? Only the server's answers can say
        }
        NamespaceChange change = prepared.parse(parse.statement(), parse.sql(), parse.parameterTypes(),
                upstream.tracker.group());
        if (change == null) {
            if (decideHeld()) {
                refusals.refuse(tooMany("prepared statements"), true);
            }
            return;
        }
        // A second statement of a known name is relayed: the server refuses it and the first stays.
        batch.changedNames |= named;
        upstream.out.hold(parse.frame(), change);
    }

    void bind(Bind bind) throws IOException {
        if (batch.discarding) {
            return;
        }
        settings.probeWhenUncertain(upstream, false);
        Portals.Portal portal = portals.bind(bind, upstream.statement(bind.statement()));
        if (portal != null) {
            upstream.out.hold(bind.frame());
            batch.undecided.add(portal);
        } else if (decideHeld()) {
            refusals.refuse(tooMany("portals"), true);
        }
    }

    void describe(Describe describe) throws IOException {
        if (!batch.discarding) {
            upstream.out.hold(describe.frame());
        }
    }

    void close(Close close) throws IOException {
        if (batch.discarding) {
            return;
        }
        if (close.target() == 'S') {
            upstream.awaitNamedChanges();
            batch.changedNames = true;
        }
        upstream.out.hold(close.frame(), prepared.close(close.target(), close.name()));
    }

    /**
     * Hot path: decides an Execute with the portal's bound values (with any other Bind held before it); the
     * held messages go first, then the Execute.
     */
    void execute(Execute execute) throws IOException {
        if (batch.discarding) {
            return;
        }
        Portals.Portal portal = portals.get(execute.portal());
        if (!decideHeld()) {
            return;
        }
        if (portal == null) {
            // Not created through Bind on this connection (e.g. a SQL cursor): nothing to decide on, refuse.
            refusals.refuse(notBound(execute.portal()), true);
            return;
        }
        if (!portal.allowed && !decide(portal, execute.portal())) {
            return; // its Bind went out in an earlier group and was cut by a refusal there
        }
        if (portal.rows != null) {
            RowGuard guard = portal.rows;
            portal.rows = null; // counted once: a later Execute of a portal that ran fetches, it does not write
            counted.execute(portal, execute, guard, () -> send(portal, execute));
            return;
        }
        send(portal, execute);
    }

    private void send(Portals.Portal portal, Execute execute) throws IOException {
        SqlScan scan = portal.statement.scan;
        settings.mayChange(scan);
        if (scan.controlsTransaction()) {
            batch.transaction = scan.endsTransaction() || !scan.readable() ? (byte) '?' : (byte) 'T';
        }
        upstream.out.releaseHeld(); // the held messages' changes are owed before the ones this text makes
        batch.changedNames |= changeNames(scan);
        upstream.out.hold(execute.frame());
        upstream.out.releaseHeld();
    }

    void sync(Sync sync) throws IOException {
        if (!batch.discarding) {
            decideHeld(); // a refusal sets discarding and leaves nothing held
        }
        upstream.out.releaseHeld();
        boolean closing = batch.proxyBlock;
        if (closing) {
            commitProxyBlock();
        }
        upstream.tracker.sent(batch.end(false));
        upstream.out.write(sync.frame());
        upstream.out.syncSent();
        if (closing) {
            // An error in the group skipped the COMMIT and left the block failed: it ends here, before the client's
            // next message (which waits in its socket until then). The client is told idle either way.
            upstream.awaitEveryAnswer();
            if (settings.transactionStatus() != ReadyForQuery.IDLE) {
                upstream.ownGroup("ROLLBACK");
            }
        }
    }

    /**
     * A Query or FunctionCall ends the group as a Sync does: a block the proxy opened in it is committed first
     * (a failure reaches the client), so the client's message runs where the client expects it, outside one.
     */
    void closeProxyBlock() throws IOException {
        if (batch.proxyBlock) {
            commitProxyBlock();
            batch.proxyBlock = false;
        }
    }

    private void commitProxyBlock() throws IOException {
        upstream.ownMessages(Intercept.ownStatementShowingErrors(), OwnStatements.encode("COMMIT"));
    }

    /** The client wants the answers so far: the Binds among them are decided now, before they go. */
    void flush(Flush flush) throws IOException {
        if (!batch.discarding && decideHeld()) {
            upstream.out.hold(flush.frame());
            upstream.out.releaseHeld();
        }
    }

    /**
     * The PREPAREs, DEALLOCATEs and DISCARD ALLs of an allowed statement about to be sent, recorded in order;
     * true when it has any. Hot path: nothing for a statement without them.
     */
    boolean changeNames(SqlScan scan) throws IOException {
        if (scan.effects().isEmpty()) {
            return false;
        }
        upstream.awaitNamedChanges();
        List<NamespaceChange> changes = prepared.run(scan, upstream.tracker.group());
        for (int i = 0; i < changes.size(); i++) {
            upstream.changing(changes.get(i));
        }
        return !changes.isEmpty();
    }

    /** Hot path: decides every held, undecided Bind in order. False: one was refused (already arranged). */
    boolean decideHeld() throws IOException {
        List<Portals.Portal> undecided = batch.undecided;
        for (int i = 0; i < undecided.size(); i++) {
            Portals.Portal portal = undecided.get(i);
            if (!portal.allowed && !decide(portal, portal.bind.portal())) {
                return false; // the refusal cleared the list
            }
        }
        undecided.clear();
        return true;
    }

    /** Decides one portal as if executed now. False: refused (already arranged). */
    private boolean decide(Portals.Portal portal, String name) throws IOException {
        if (portal.statement == null) {
            // Bound to a statement the proxy does not know: nothing to decide on.
            refusals.refuse(notBound(name), true);
            return false;
        }
        SqlScan scan = portal.statement.scan;
        if (batch.proxyBlock && scan.controlsTransaction()) {
            // The group's implicit transaction is a block the proxy opened for a counted write and commits at the
            // Sync: a BEGIN, COMMIT or SAVEPOINT of the client's would change what that commit means.
            refusals.refuse(new Refusal.Denied("a transaction control statement in the same pipeline (before its"
                    + " Sync) as a write Gatehouse counted outside a transaction block; end the pipeline first, or"
                    + " open the transaction before the write", List.of()), true);
            return false;
        }
        switch (answers.admit(executions.of(portal.statement.sql, portal.values(), scan, Origin.EXTENDED_EXECUTE,
                portal), true)) {
            case Admitted.Plain p when p == Admitted.Plain.SEND -> {
            }
            case Admitted.Plain p -> {
                return false;
            }
            case Admitted.Counted c -> portal.rows = c.guard();
        }
        portal.allowed = true;
        return true;
    }

    private static Refusal notBound(String portal) {
        return new Refusal.Denied("the portal \"" + portal + "\" was not bound through Gatehouse", List.of());
    }

    private Refusal tooMany(String what) {
        return new Refusal.TooMany(what, maxObjects);
    }
}
