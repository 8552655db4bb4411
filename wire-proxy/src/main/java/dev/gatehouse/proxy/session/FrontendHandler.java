package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.guard.Origin;
import dev.gatehouse.enforce.hold.HoldSite;
import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.ProtocolException;
import dev.gatehouse.proxy.protocol.frontend.Bind;
import dev.gatehouse.proxy.protocol.frontend.Close;
import dev.gatehouse.proxy.protocol.frontend.CopyData;
import dev.gatehouse.proxy.protocol.frontend.CopyDone;
import dev.gatehouse.proxy.protocol.frontend.CopyFail;
import dev.gatehouse.proxy.protocol.frontend.Describe;
import dev.gatehouse.proxy.protocol.frontend.Execute;
import dev.gatehouse.proxy.protocol.frontend.Flush;
import dev.gatehouse.proxy.protocol.frontend.FrontendMessage;
import dev.gatehouse.proxy.protocol.frontend.FunctionCall;
import dev.gatehouse.proxy.protocol.frontend.Parse;
import dev.gatehouse.proxy.protocol.frontend.PasswordMessage;
import dev.gatehouse.proxy.protocol.frontend.Query;
import dev.gatehouse.proxy.protocol.frontend.Sync;
import dev.gatehouse.proxy.protocol.frontend.Terminate;
import dev.gatehouse.enforce.session.SqlScan;

import java.io.IOException;
import java.util.List;

/**
 * The client-to-server protocol of one session once the server is connected: each client message is decoded,
 * decided, and forwarded to the server or refused in its place. It takes frames and writes to a
 * {@link ServerOutput} and a {@link ClientOutput}; it owns no socket, so it runs the same whatever carries the
 * bytes (the tests drive it with scripted frames).
 *
 * <pre>
 * States (one at a time; the fields that hold it in brackets):
 *   AUTHENTICATING  until the server's first ReadyForQuery [settings.ready]: PasswordMessage is relayed,
 *                   Terminate ends; anything else is a protocol violation
 *   IDLE            between groups: nothing held, no batch open on the server [out.betweenGroups()].
 *                   Only here may the proxy slip in its search_path/role probe
 *   IN_BATCH        extended messages held or sent since the last Sync [held frames, batch.undecided]:
 *                   Parse, Bind, Describe, Close are held; Execute decides its portal and sends what is held;
 *                   Flush decides and sends what is held
 *   DISCARDING      a refusal stands in the batch [batch.discarding]: every message up to Sync is dropped
 *   HOLDING         a statement waits for approval [HoldSite]; a CancelRequest withdraws it
 *   COUNTING        a write limited by max_rows runs inside the proxy's undo point, its answers kept until its
 *                   count decides [CountedRun]; the reader waits for them; a block the proxy opened for it in
 *                   an extended group stays open to the group's Sync [batch.proxyBlock]
 *
 *   IDLE|IN_BATCH --Query/FunctionCall: held Binds decided, then the message--> IDLE
 *   IDLE --Parse/Bind/Describe/Close/Execute/Flush--> IN_BATCH --refusal--> DISCARDING
 *   IN_BATCH|DISCARDING --Sync--> IDLE
 *   any decision --review, wait mode--> HOLDING --approved--> on; --denied/expired/cancel/time-out--> refusal
 *   Query/Execute --allowed under max_rows--> COUNTING --stands--> on; --over--> undone, then refusal or HOLDING
 *   COPY data passes in any state: the server reads it only during a COPY FROM STDIN, which was decided.
 * </pre>
 *
 * <p>Threads: the session's client reader; the server's answers come in through the {@link ResponseTracker}
 * and {@link SessionSettings} from the relay's thread.
 */
final class FrontendHandler {
    private final Upstream upstream;
    private final PreparedStatements prepared;
    private final SessionSettings settings;
    private final Batch batch = new Batch();
    private final ExtendedPipeline pipeline;
    private final GuardAnswers answers;
    private final Executions executions;
    private final EncodingGate encoding;
    private final CountedRun counted;

    FrontendHandler(SessionContext context, ClientOutput client, ServerOutput server, ResponseTracker tracker,
                    SessionSettings settings, HoldSite approval, String clientAddress,
                    java.util.function.BooleanSupplier clientPresent) {
        int max = context.limits().maxStatements();
        Portals portals = new Portals(max);
        this.prepared = new PreparedStatements(max, portals);
        this.upstream = new Upstream(server, tracker, prepared, context.limits().startupTimeout().toNanos());
        this.settings = settings;
        Refusals refusals = new Refusals(upstream, batch, settings);
        this.answers = new GuardAnswers(context, client, upstream, refusals, approval, settings, clientAddress,
                clientPresent);
        this.executions = new Executions(upstream, prepared, settings,
                new SessionRows(upstream, settings));
        this.counted = new CountedRun(upstream, client, settings, batch, answers);
        this.pipeline = new ExtendedPipeline(upstream, prepared, portals, batch, refusals, answers, executions,
                settings, max, counted);
        this.encoding = new EncodingGate(settings, upstream, batch, pipeline, refusals);
    }

    /** Hot path: one client message. Returns false when the session ends. */
    boolean accept(Frame frame) throws IOException {
        FrontendMessage message = encoding.readable(frame);
        return message == null || handle(message);
    }

    /** Hot path: one exhaustive switch per client message. Returns false when the session ends. */
    boolean handle(FrontendMessage message) throws IOException {
        upstream.takeAnswers();
        if (!settings.ready() && !(message instanceof PasswordMessage) && !(message instanceof Terminate)) {
            throw new ProtocolException("unexpected message before authentication completed");
        }
        switch (message) {
            case PasswordMessage password -> {
                if (settings.ready()) {
                    throw new ProtocolException("unexpected password message after authentication");
                }
                upstream.out.write(password.frame());
                upstream.out.flush();
            }
            case Query query -> query(query);
            case FunctionCall call -> functionCall(call);
            case Parse parse -> pipeline.parse(parse);
            case Bind bind -> pipeline.bind(bind);
            case Describe describe -> pipeline.describe(describe);
            case Close close -> pipeline.close(close);
            case Execute execute -> pipeline.execute(execute);
            case Sync sync -> pipeline.sync(sync);
            case Flush flush -> pipeline.flush(flush);
            // COPY FROM STDIN data: only meaningful after an allowed COPY; the server ignores it otherwise.
            case CopyData data -> upstream.out.write(data.frame());
            case CopyDone done -> upstream.out.write(done.frame());
            case CopyFail fail -> upstream.out.write(fail.frame());
            case Terminate terminate -> {
                upstream.out.write(terminate.frame());
                upstream.out.flush();
                return false;
            }
        }
        return true;
    }

    /** A simple query: the whole text decided at once; it ends any open batch, as a Sync does. */
    private void query(Query query) throws IOException {
        if (batch.discarding || !pipeline.decideHeld()) {
            return;
        }
        upstream.out.releaseHeld();
        pipeline.closeProxyBlock(); // a Query ends the group as a Sync does
        settings.probeWhenUncertain(upstream, false);
        SqlScan scan = SqlScan.of(query.sql());
        switch (answers.admit(executions.of(query.sql(), List.of(), scan, Origin.SIMPLE_QUERY, null), false)) {
            case Admitted.Plain p when p == Admitted.Plain.SEND -> send(query, scan);
            case Admitted.Plain p -> {
                // refused: its deliberate failure went in its place
            }
            case Admitted.Counted c -> counted.query(query, c.guard(), () -> send(query, scan));
        }
        upstream.out.syncSent();
    }

    private void send(Query query, SqlScan scan) throws IOException {
        settings.mayChange(scan);
        boolean namesChanged = pipeline.changeNames(scan);
        upstream.tracker.sent(batch.end(namesChanged));
        upstream.out.write(query.frame());
    }

    private void functionCall(FunctionCall call) throws IOException {
        if (batch.discarding || !pipeline.decideHeld()) {
            return;
        }
        upstream.out.releaseHeld();
        pipeline.closeProxyBlock();
        settings.probeWhenUncertain(upstream, false);
        Admitted admitted = answers.admit(executions.functionCall(call), false);
        while (admitted instanceof Admitted.Counted c) {
            // A FunctionCall's result is no command tag: what it wrote cannot be counted. Fail closed.
            dev.gatehouse.enforce.checkpoint.Outcome outcome = c.guard().uncounted(
                    "a FunctionCall message is not counted by the proxy");
            admitted = outcome == dev.gatehouse.enforce.checkpoint.Outcome.ALLOW ? Admitted.Plain.SEND
                    : answers.act(outcome, false);
        }
        if (admitted == Admitted.Plain.SEND) {
            upstream.tracker.sent(batch.end(false));
            upstream.out.write(call.frame());
        }
        upstream.out.syncSent();
    }

    /** The text of the statement the proxy holds the server to have under {@code name} (answers so far taken in). */
    String statementText(String name) {
        upstream.takeAnswers();
        PreparedStatements.Statement statement = prepared.get(name);
        return statement == null ? null : statement.sql;
    }

    /** Flushes what was forwarded: the loop calls it once the client has nothing more buffered. */
    void flush() throws IOException {
        upstream.out.flush();
    }
}
