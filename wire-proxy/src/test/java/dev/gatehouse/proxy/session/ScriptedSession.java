package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.proxy.Limits;
import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.enforce.guard.SessionState;
import dev.gatehouse.enforce.guard.StatementGuard;
import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.SocketInput;
import dev.gatehouse.proxy.protocol.backend.BackendKeyData;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A session's protocol core ({@link FrontendHandler}, {@link ServerRelay}, {@link ResponseTracker},
 * {@link SessionSettings}) wired to a {@link ScriptedBackend} over in-memory pipes instead of sockets. The test
 * feeds client frames on its own thread as the session's reader would; the relay and the backend run on two
 * more. Records what was forwarded (the backend's), what the client received, and what the guard was asked.
 * The guard denies any execution whose text starts with {@link #DENIED} or whose EXECUTEd body contains it, or
 * whose body is unknown (a PREPARE of a DELETE runs nothing and passes).
 */
final class ScriptedSession implements AutoCloseable {
    static final String DENIED = "DELETE";

    final List<Execution> decided = new CopyOnWriteArrayList<>();
    final ScriptedBackend backend;
    final FrontendHandler handler;
    final SessionSettings settings;
    private final ByteArrayOutputStream toClient = new ByteArrayOutputStream(); // synchronized: two writers
    private final Pipe up;
    private final Pipe down;
    private int readiesSeen = 1; // the startup's

    ScriptedSession() throws IOException {
        up = Pipe.open();
        down = Pipe.open();
        Limits limits = Limits.DEFAULTS.withTimeouts(Duration.ofSeconds(10), Duration.ofHours(1));
        SessionContext context = new SessionContext(null, null, limits, new Guard(), null, new CancelRegistry(),
                null);
        ResponseTracker tracker = new ResponseTracker();
        settings = new SessionSettings(limits.startupTimeout().toNanos());
        settings.begin(new SessionState(dev.gatehouse.sql.Dialect.POSTGRES, dev.gatehouse.approvals.Source.Channel.PROXY,
                "alice", null, "postgres", "test", "", "127.0.0.1:1", null, null, false), null);
        ClientOutput client = new ClientOutput(toClient);
        handler = new FrontendHandler(context, client, new ServerOutput(Channels.newOutputStream(up.sink()),
                limits.maxPendingBytes(), tracker), tracker, settings, new dev.gatehouse.enforce.hold.HoldSite(), "127.0.0.1:1", () -> true);
        backend = new ScriptedBackend(Channels.newInputStream(up.source()), Channels.newOutputStream(down.sink()));
        ServerRelay relay = new ServerRelay(new SocketInput(Channels.newInputStream(down.source()), 1 << 10), client,
                new Listener(), tracker);
        tracker.sent(ResponseTracker.SyncPoint.PLAIN); // the startup's ReadyForQuery
        Thread.ofVirtual().name("scripted-backend").start(backend);
        Thread.ofVirtual().name("scripted-relay").start(relay);
        awaitClient(1);
    }

    /** Hands the client's messages (whole wire messages) to the handler, as the session's reader does. */
    void send(byte[]... messages) throws IOException {
        for (byte[] m : messages) {
            handler.accept(new Frame(m[0], Arrays.copyOfRange(m, 5, m.length)));
        }
        handler.flush();
    }

    /** What the client received so far, after the first {@code readies} ReadyForQuery (waits for them). */
    List<String> awaitClient(int readies) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<String> seen = ScriptedBackend.describe(toClient.toByteArray());
            if (seen.stream().filter(m -> m.startsWith("Z")).count() >= readies) {
                return seen;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the client got " + seen + ", not " + readies + " ReadyForQuery");
            }
            Thread.onSpinWait();
        }
    }

    /** The client's messages since the last call, once {@code readies} more ReadyForQuery came. */
    List<String> next(int readies) {
        int before = readiesSeen;
        List<String> seen = awaitClient(before + readies);
        int from = 0;
        for (int z = 0; z < before; from++) {
            z += seen.get(from).startsWith("Z") ? 1 : 0;
        }
        readiesSeen = before + readies;
        int to = from;
        for (int z = 0; z < readies; to++) {
            z += seen.get(to).startsWith("Z") ? 1 : 0;
        }
        return seen.subList(from, to);
    }

    /** The last execution the guard decided. */
    Execution lastDecided() {
        return decided.get(decided.size() - 1);
    }

    @Override
    public void close() throws IOException {
        up.sink().close();
        down.sink().close();
    }

    private final class Guard implements StatementGuard {
        @Override
        public Outcome prepare(Execution execution) {
            return Outcome.ALLOW;
        }

        @Override
        public Outcome check(Execution execution) {
            decided.add(execution);
            boolean denied = execution.sql().startsWith(DENIED);
            for (String body : execution.preparedBodies()) {
                denied |= body == null || body.contains(DENIED);
            }
            return denied ? new Outcome.Deny("scripted rule", List.of("scripted.delete")) : Outcome.ALLOW;
        }
    }

    private final class Listener implements ServerRelay.Listener {
        @Override
        public BackendKeyData serverKey(BackendKeyData server) {
            return server;
        }

        @Override
        public void readyForQuery(byte status) {
            settings.readyForQuery(status);
        }

        @Override
        public void parameterStatus(String name, String value) {
            settings.parameterStatus(name, value);
        }

        @Override
        public Charset clientCharset() {
            return settings.charset();
        }

        @Override
        public void relayEnded(IOException failure) {
            // the test closed the pipes
        }
    }
}
