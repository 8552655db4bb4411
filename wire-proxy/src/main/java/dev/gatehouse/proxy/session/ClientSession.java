package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.guard.BoundValue;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.enforce.guard.Execution;
import dev.gatehouse.enforce.hold.HoldEnd;
import dev.gatehouse.enforce.hold.HoldLoop;
import dev.gatehouse.enforce.hold.HoldSite;
import dev.gatehouse.enforce.refusal.Refusal;
import dev.gatehouse.proxy.guard.BoundValueText;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.enforce.guard.Origin;
import dev.gatehouse.enforce.checkpoint.Outcome;
import dev.gatehouse.enforce.guard.SessionState;
import dev.gatehouse.proxy.protocol.ClientCharset;
import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.FrameReader;
import dev.gatehouse.proxy.protocol.ProtocolException;
import dev.gatehouse.proxy.protocol.SocketInput;
import dev.gatehouse.proxy.protocol.backend.BackendKeyData;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;
import dev.gatehouse.proxy.protocol.backend.NoticeResponse;
import dev.gatehouse.proxy.protocol.backend.ReadyForQuery;
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
import dev.gatehouse.proxy.protocol.frontend.ParameterValues;
import dev.gatehouse.proxy.protocol.frontend.Parse;
import dev.gatehouse.proxy.protocol.frontend.PasswordMessage;
import dev.gatehouse.proxy.protocol.frontend.Query;
import dev.gatehouse.proxy.protocol.frontend.Sync;
import dev.gatehouse.proxy.protocol.frontend.Terminate;
import dev.gatehouse.proxy.protocol.startup.CancelRequest;
import dev.gatehouse.proxy.protocol.startup.GssEncRequest;
import dev.gatehouse.proxy.protocol.startup.SslRequest;
import dev.gatehouse.proxy.protocol.startup.StartupMessage;
import dev.gatehouse.proxy.protocol.startup.StartupRequest;
import dev.gatehouse.enforce.session.SessionEffect;
import dev.gatehouse.enforce.session.SqlScan;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client connection, client-to-server direction. Runs on the connection's own thread ({@link dev.gatehouse.proxy.SessionThreads}): startup
 * negotiation, then every client message is read, decided and forwarded (or refused) in order. The other
 * direction runs in a {@link ServerRelay} on a second thread. {@link #cancel()} runs on the thread
 * of whichever connection carried the CancelRequest.
 */
public final class ClientSession implements Runnable, ServerRelay.Listener {
    private static final byte[] REFUSE_ENCRYPTION = {'N'};
    private static final byte[] ACCEPT_TLS = {'S'};
    private static final String NOTICE_CODE = "00000";
    /**
     * The client-to-server buffers (client in, server out) and the relay's copy chunk: statements are small, and
     * PostgreSQL's own buffers are 8 kB. At 64 kB for all five buffers 1,000 idle sessions held 320 MB of heap
     * (ProxyLoadTest). Larger messages bypass the buffers.
     */
    static final int BUFFER_SIZE = 8 << 10;
    /**
     * The server-to-client buffers (server in, client out), where results stream: at 8 kB a 1 MB result of
     * 200-byte rows ran about 20% slower than at 64 kB (more reads and flushes per row); 32 kB keeps a session at
     * about 88 kB of buffers.
     */
    static final int RESULT_BUFFER_SIZE = 32 << 10;
    /** How long a check for a held statement's client waits for its socket (done about once a second). */
    private static final int CLIENT_PROBE_MILLIS = 1;
    /** Never given SQL text, parameters or passwords: statements may carry secrets. */
    private static final System.Logger LOG = System.getLogger(ClientSession.class.getName());

    private final SessionContext context;
    private final String clientAddress;
    private volatile Socket socket;
    private SocketInput in;
    private volatile ClientOutput out;
    private final long startedAt = System.nanoTime();
    /** When the last whole client message arrived; read by the timeout sweeper. */
    private volatile long lastMessageAt = startedAt;
    private volatile FrameReader frames;
    private volatile Socket serverSocket;
    private ServerOutput toServer;
    private ServerRelay relay;

    private final AtomicReference<SessionState> state = new AtomicReference<>();
    private final ResponseTracker tracker = new ResponseTracker();
    private volatile boolean ready;
    private volatile BackendKeyData serverKey;
    private volatile BackendKeyData proxyKey;

    private final ExtendedState extended;
    private final Map<String, String> sqlPrepared = new HashMap<>();
    private boolean discardUntilSync;
    /**
     * Portals whose Bind is held and not yet decided, in order. A Bind carries the values and the server
     * plans with them (constant folding runs immutable functions), so no Bind leaves before its portal is
     * decided: at its Execute, or at the Flush, Sync, Query or later Execute that must send it.
     */
    private final List<ExtendedState.Portal> undecided = new ArrayList<>();
    /** Session changes of allowed Executes, confirmed with the Sync that ends their group. */
    private final List<SessionEffect> groupEffects = new ArrayList<>();
    /** search_path or role may differ from what the proxy knows: ask the server before the next decision. */
    private boolean uncertain = true;
    /** A transaction block changed them: its end (COMMIT or ROLLBACK) may change them again. */
    private boolean touchedInBlock;
    private long refusals;

    private final HoldSite approval = new HoldSite();

    /**
     * The client's client_encoding as the server last reported it (ParameterStatus: the server is the truth),
     * for reading the client's text and writing the proxy's own messages; the relay thread writes it. Until the
     * server's report at startup, the client's startup parameter or UTF-8.
     */
    private volatile ClientCharset encoding = ClientCharset.UTF8;
    /**
     * A statement that may change client_encoding went to the server and its answer is not in: text sent after
     * it may be read by the server in another encoding. Set on this thread before sending; read by the relay
     * (a report then is expected, not a change behind the policy's back).
     */
    private volatile boolean encodingUnsettled;

    public ClientSession(Socket socket, SessionContext context) {
        this.socket = socket;
        this.context = context;
        this.clientAddress = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        this.extended = new ExtendedState(context.limits().maxStatements());
    }

    @Override
    public void run() {
        try {
            socket.setTcpNoDelay(true);
            in = new SocketInput(socket.getInputStream(), BUFFER_SIZE);
            out = new ClientOutput(socket.getOutputStream());
            StartupMessage startup = negotiate();
            if (startup != null) {
                encoding = ClientCharset.of(startup.parameters().get("client_encoding"));
            }
            if (startup != null && startup.replication()) {
                // Replication streams WAL and runs its own command language: nothing a statement policy covers.
                sendQuietly(new ErrorResponse("FATAL", "0A000",
                        "Gatehouse does not relay replication connections", null, null).encode(clientCharset()));
            } else if (startup != null && (ClientCharset.hidesQuotes(startup.parameters().get("client_encoding"))
                    || setsEncodingInOptions(startup))) {
                sendQuietly(new ErrorResponse("FATAL", "0A000", "Gatehouse refuses client encodings in which a quote"
                        + " or backslash can be part of a multibyte character (SJIS, BIG5, GBK, UHC, GB18030, JOHAB)",
                        null, "use client_encoding UTF8").encode(clientCharset()));
            } else if (startup != null) {
                connectUpstream(startup);
                serve();
            }
        } catch (ProtocolException e) {
            LOG.log(System.Logger.Level.INFO, "closing {0}: protocol violation: {1}", clientAddress, e.getMessage());
            sendQuietly(Refusals.protocolViolation(e.getMessage()).encode(clientCharset()));
        } catch (IOException e) {
            // The client or the server went away: nothing to tell anyone.
        } finally {
            close();
        }
    }

    /** Closes this session from outside (proxy shutdown). */
    public void shutdown() {
        closeQuietly(socket);
        closeQuietly(serverSocket);
    }

    private StartupMessage negotiate() throws IOException {
        boolean encrypted = false;
        while (true) {
            StartupRequest request = StartupRequest.read(in);
            if (request == null) {
                return null;
            }
            switch (request) {
                case SslRequest ssl -> {
                    if (context.ssl() == null || encrypted) {
                        out.send(REFUSE_ENCRYPTION);
                    } else {
                        if (in.buffered() > 0) {
                            // Bytes sent before our answer would be read as if they came through TLS.
                            throw new ProtocolException("received unencrypted data after SSL request");
                        }
                        out.send(ACCEPT_TLS);
                        startTls();
                        encrypted = true;
                    }
                }
                case GssEncRequest gss -> out.send(REFUSE_ENCRYPTION);
                case CancelRequest cancel -> {
                    context.cancels().cancel(cancel.processId(), cancel.secretKey());
                    return null;
                }
                case StartupMessage startup -> {
                    return startup;
                }
            }
        }
    }

    private void startTls() throws IOException {
        SSLSocket tls = (SSLSocket) context.ssl().getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        socket = tls;
        in = new SocketInput(tls.getInputStream(), BUFFER_SIZE);
        out = new ClientOutput(tls.getOutputStream());
    }

    private void connectUpstream(StartupMessage startup) throws IOException {
        String principal = context.principal() != null ? context.principal() : startup.user();
        state.set(new SessionState(Dialect.POSTGRES, Source.Channel.PROXY, principal, null, startup.user(),
                startup.database(), startup.applicationName(), clientAddress, null, null, false));
        Socket server = new Socket();
        serverSocket = server;
        try {
            if (Thread.currentThread().isVirtual()) {
                server.connect(context.upstream(), (int) context.limits().startupTimeout().toMillis());
            } else {
                // Untimed on purpose: a timed connect leaves the socket non-blocking for good, and then every read
                // of the relay that waits costs a failed read, a poll and the read again. Still bounded: the
                // proxy's sweeper closes a session that has not started within the startup timeout, and closing
                // the socket ends a pending connect.
                server.connect(context.upstream());
            }
        } catch (IOException e) {
            // The client is owed an answer, as PostgreSQL answers when it cannot serve: otherwise it sees only a
            // closed connection. The server's address stays out of it (the client need not learn the topology).
            sendQuietly(new ErrorResponse("FATAL", "08006", "Gatehouse could not connect to the database server ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", null, null).encode(clientCharset()));
            throw e;
        }
        server.setTcpNoDelay(true);
        toServer = new ServerOutput(server.getOutputStream(), context.limits().maxPendingBytes());
        relay = new ServerRelay(new SocketInput(server.getInputStream(), RESULT_BUFFER_SIZE), out, this, tracker);
        tracker.sent(ResponseTracker.SyncPoint.PLAIN);
        context.threads().builder("gatehouse-relay-" + clientAddress).start(relay);
        toServer.write(startup.packet());
        toServer.flush();
    }

    /**
     * Hot path: read, decide, forward. No socket timeout here: a timed read costs a timer per read on a
     * virtual thread (and a poll per read on a platform one), so the proxy's sweeper enforces the startup and idle timeouts instead
     * ({@link #checkTimeouts}).
     */
    private void serve() throws IOException {
        FrameReader reader = new FrameReader(in, context.limits().maxMessageSize());
        frames = reader;
        while (true) {
            Frame frame = reader.read();
            if (frame == null) {
                return;
            }
            lastMessageAt = System.nanoTime();
            FrontendMessage message = readable(frame);
            if (message != null && !handle(message)) {
                return;
            }
            if (in.buffered() == 0) {
                toServer.flush();
            }
        }
    }

    /**
     * Hot path: the message decoded in the client's current encoding. When that encoding may have just changed
     * (a SET client_encoding not yet answered), text that is not ASCII waits for the server's answer, which
     * is only possible between groups; when it cannot be read (SQL_ASCII, an encoding Java cannot map, or a
     * change inside an unanswered pipeline), the message is refused (null is returned): the proxy never decides
     * on text the server may read otherwise.
     */
    private FrontendMessage readable(Frame frame) throws IOException {
        if (!ready) {
            return FrontendMessage.decode(frame, encoding.charset()); // only a password may come: handle() checks
        }
        if (encodingUnsettled && tracker.outstanding() == 0 && toServer.betweenGroups()) {
            encodingUnsettled = false; // every answer is in, the server's report with them
        }
        ClientCharset now = encoding;
        FrontendMessage message = FrontendMessage.decode(frame, now.charset());
        // Whatever the scan of earlier statements saw, an answer still outstanding may switch the encoding (a
        // function calling set_config; the server reports it only at ReadyForQuery): text that would split
        // otherwise after such a switch waits for the answers like text after a known change.
        boolean settled = !encodingUnsettled
                && !(tracker.outstanding() > 0 && ClientCharset.couldHideBackslash(frame));
        if ((settled && now.readsAll()) || !ClientCharset.carriesNonAscii(message)) {
            return message;
        }
        if (!settled && toServer.betweenGroups() && !discardUntilSync) {
            awaitServer();
            encodingUnsettled = tracker.outstanding() > 0;
            settled = !encodingUnsettled;
            now = encoding;
            message = FrontendMessage.decode(frame, now.charset());
        }
        if (settled && now.readsAll()) {
            return message;
        }
        refuseUnreadable(message, new Refusal.Unreadable(!settled
                ? "client_encoding may have changed earlier in this pipeline; send Sync before text that is not ASCII"
                : "client_encoding " + now.name() + " gives bytes above 0x7F no meaning Gatehouse can read"
                  + ("SQL_ASCII".equals(now.name()) ? " (SQL_ASCII: the server does not convert)" : ""),
                "use client_encoding UTF8 or another encoding Gatehouse reads"));
        return null;
    }

    /** Refuses a message whose text cannot be read, where its statement would have been decided. */
    private void refuseUnreadable(FrontendMessage message, Refusal error) throws IOException {
        takeServerAnswers();
        if (discardUntilSync || !decideHeld()) {
            return;
        }
        if (message instanceof Query || message instanceof FunctionCall) {
            toServer.releaseHeld();
            refuse(error, false);
            toServer.syncSent();
        } else {
            refuse(error, true);
        }
    }

    /**
     * Called by the proxy's timeout sweeper thread. Closes a session that has not finished authenticating
     * within the startup timeout, that stopped inside a message, or that is idle (nothing in flight, no
     * statement held, no message) for the idle timeout; closing the sockets ends both of its threads.
     */
    public void checkTimeouts(long now) {
        if (!ready) {
            if (now - startedAt > context.limits().startupTimeout().toNanos()) {
                shutdown();
            }
            return;
        }
        if (now - lastMessageAt <= context.limits().idleTimeout().toNanos()) {
            return;
        }
        FrameReader reader = frames;
        if (reader != null && reader.insideMessage()) {
            sendQuietly(Refusals.protocolViolation("timed out inside a message").encode(clientCharset()));
            shutdown();
            return;
        }
        if (tracker.outstanding() > 0 || approval.active()) {
            return; // the client waits for the server or for an approval: it is not idle
        }
        sendQuietly(new ErrorResponse("FATAL", "57P05", "terminating connection due to idle-session timeout",
                null, null).encode(clientCharset()));
        shutdown();
    }

    /** Hot path: one exhaustive switch per client message. Returns false when the session ends. */
    private boolean handle(FrontendMessage message) throws IOException {
        takeServerAnswers();
        if (!ready && !(message instanceof PasswordMessage) && !(message instanceof Terminate)) {
            throw new ProtocolException("unexpected message before authentication completed");
        }
        switch (message) {
            case PasswordMessage password -> {
                if (ready) {
                    throw new ProtocolException("unexpected password message after authentication");
                }
                toServer.write(password.frame());
                toServer.flush();
            }
            case Query query -> {
                if (discardUntilSync || !decideHeld()) {
                    return true;
                }
                toServer.releaseHeld();
                probeWhenUncertain();
                SqlScan scan = SqlScan.of(query.sql());
                if (admit(execution(query.sql(), List.of(), scan, Origin.SIMPLE_QUERY, 0), false)) {
                    sessionMayChange(scan);
                    tracker.sent(scan.effects().isEmpty() ? ResponseTracker.SyncPoint.PLAIN
                            : new ResponseTracker.SyncPoint(scan.effects()));
                    toServer.write(query.frame());
                }
                toServer.syncSent(); // a Query ends any open batch, as a Sync does
            }
            case Parse parse -> {
                if (discardUntilSync) {
                    return true;
                }
                probeWhenUncertain();
                Outcome early = prepare(parse);
                if (early instanceof Outcome.Deny deny) {
                    if (decideHeld()) {
                        refuse(new Refusal.Denied(deny.reason(), deny.ruleIds()), true);
                    }
                } else if (early instanceof Outcome.Failed failed) {
                    guardFailed(failed);
                    if (decideHeld()) {
                        refuse(new Refusal.Undecided(failed.reason()), true);
                    }
                } else if (!parse.statement().isEmpty() && extended.has(parse.statement())) {
                    // The server refuses a second statement of the same name: relay it, keep the first.
                    tracker.sent(new ResponseTracker.ParseSent(parse.statement(), null));
                    toServer.hold(parse.frame());
                } else {
                    ExtendedState.Statement statement =
                            extended.parse(parse.statement(), parse.sql(), parse.parameterTypes());
                    if (statement == null) {
                        if (decideHeld()) {
                            refuse(tooMany("prepared statements"), true);
                        }
                    } else {
                        tracker.sent(new ResponseTracker.ParseSent(parse.statement(), statement));
                        toServer.hold(parse.frame());
                    }
                }
            }
            case Bind bind -> {
                if (discardUntilSync) {
                    return true;
                }
                probeWhenUncertain();
                ExtendedState.Portal portal = extended.bind(bind);
                if (portal != null) {
                    toServer.hold(bind.frame());
                    undecided.add(portal);
                } else if (decideHeld()) {
                    refuse(tooMany("portals"), true);
                }
            }
            case Describe describe -> {
                if (!discardUntilSync) {
                    toServer.hold(describe.frame());
                }
            }
            case Close close -> {
                if (!discardUntilSync) {
                    if (close.target() == 'S') {
                        extended.closeStatement(close.name());
                    } else {
                        extended.closePortal(close.name());
                    }
                    toServer.hold(close.frame());
                }
            }
            case Execute execute -> {
                if (!discardUntilSync) {
                    execute(execute);
                }
            }
            case Sync sync -> {
                if (!discardUntilSync) {
                    decideHeld(); // a refusal sets discardUntilSync and leaves nothing held
                }
                toServer.releaseHeld();
                tracker.sent(discardUntilSync || groupEffects.isEmpty() ? ResponseTracker.SyncPoint.PLAIN
                        : new ResponseTracker.SyncPoint(List.copyOf(groupEffects)));
                toServer.write(sync.frame());
                groupEffects.clear();
                discardUntilSync = false;
                toServer.syncSent();
            }
            case Flush flush -> {
                // The client wants the answers so far: the Binds among them are decided now, before they go.
                if (!discardUntilSync && decideHeld()) {
                    toServer.hold(flush.frame());
                    toServer.releaseHeld();
                }
            }
            case FunctionCall call -> {
                if (discardUntilSync || !decideHeld()) {
                    return true;
                }
                toServer.releaseHeld();
                probeWhenUncertain();
                if (admit(functionCall(call), false)) {
                    tracker.sent(ResponseTracker.SyncPoint.PLAIN);
                    toServer.write(call.frame());
                }
                toServer.syncSent();
            }
            // COPY FROM STDIN data: only meaningful after an allowed COPY; the server ignores it otherwise.
            case CopyData data -> toServer.write(data.frame());
            case CopyDone done -> toServer.write(done.frame());
            case CopyFail fail -> toServer.write(fail.frame());
            case Terminate terminate -> {
                if (toServer != null) {
                    toServer.write(terminate.frame());
                    toServer.flush();
                }
                return false;
            }
        }
        return true;
    }

    /**
     * Hot path: decides an Execute with the portal's bound values (with any other Bind held before it); the
     * held messages go first, then the Execute.
     */
    private void execute(Execute execute) throws IOException {
        ExtendedState.Portal portal = extended.portal(execute.portal());
        if (!decideHeld()) {
            return;
        }
        if (portal == null) {
            // Not created through Bind on this connection (e.g. a SQL cursor): nothing to decide on, refuse.
            refuse(notBound(execute.portal()), true);
            return;
        }
        if (!portal.allowed && !decide(portal, execute.portal())) {
            return; // its Bind went out in an earlier group and was cut by a refusal there
        }
        SqlScan scan = portal.statement.scan();
        sessionMayChange(scan);
        groupEffects.addAll(scan.effects());
        toServer.hold(execute.frame());
        toServer.releaseHeld();
    }

    /** Hot path: decides every held, undecided Bind in order. False: one was refused (already arranged). */
    private boolean decideHeld() throws IOException {
        for (int i = 0; i < undecided.size(); i++) {
            ExtendedState.Portal portal = undecided.get(i);
            if (!portal.allowed && !decide(portal, portal.bind.portal())) {
                return false; // refuse() cleared the list
            }
        }
        undecided.clear();
        return true;
    }

    /** Decides one portal as if executed now. False: refused (arranged by {@link #refuse}). */
    private boolean decide(ExtendedState.Portal portal, String name) throws IOException {
        if (portal.statement == null) {
            // Bound to a statement not parsed on this connection (e.g. SQL-level PREPARE): nothing to decide on.
            refuse(notBound(name), true);
            return false;
        }
        SqlScan scan = portal.statement.scan();
        if (!admit(execution(portal.statement.sql(), portal.values(), scan, Origin.EXTENDED_EXECUTE, 0), true)) {
            return false;
        }
        portal.allowed = true;
        return true;
    }

    private static Refusal notBound(String portal) {
        return new Refusal.Denied("the portal \"" + portal + "\" was not bound through Gatehouse", List.of());
    }

    private Execution execution(String sql, List<BoundValue> values, SqlScan scan, Origin origin, int oid)
            throws IOException {
        List<String> bodies = List.of();
        if (!scan.executed().isEmpty()) {
            bodies = preparedBodies(scan);
            if (bodies.contains(null) && tracker.outstanding() > 0) {
                // A PREPARE may still be on its way back: wait for the server's answers, then look again.
                awaitServer();
                bodies = preparedBodies(scan);
            }
        }
        return new Execution(sql, values.isEmpty() ? List.of() : new BoundValueText(values), List.of(), bodies,
                bodies.isEmpty() ? List.of() : scan.executed(), origin, oid, state.get(), false);
    }

    /**
     * The statement each {@code EXECUTE name} runs: a PREPARE before it in the same text, else one the server
     * confirmed (SQL-level and protocol-level statements share one namespace), else null (unknown).
     */
    private List<String> preparedBodies(SqlScan scan) {
        List<String> bodies = new ArrayList<>(scan.executed().size());
        for (int i = 0; i < scan.executed().size(); i++) {
            String name = scan.executed().get(i);
            String body = scan.preparedBefore(i);
            if (body == null) {
                body = sqlPrepared.get(name);
            }
            if (body == null) {
                ExtendedState.Statement protocolLevel = extended.statement(name);
                body = protocolLevel == null ? null : protocolLevel.sql();
            }
            bodies.add(body);
        }
        return bodies;
    }

    /** Bounded wait for every answer the server owes; then takes them in. */
    private void awaitServer() throws IOException {
        toServer.flush();
        try {
            tracker.awaitQuiet(context.limits().startupTimeout().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the server");
        }
        takeServerAnswers();
    }

    /** What the server confirmed or refused since the last message: failed Parses, confirmed PREPAREs. */
    private void takeServerAnswers() {
        ResponseTracker.ParseSent failed;
        while ((failed = tracker.pollFailedParse()) != null) {
            if (failed.statement() != null) {
                extended.parseFailed(failed.name(), failed.statement());
            }
        }
        List<SessionEffect> confirmed;
        while ((confirmed = tracker.pollConfirmedEffects()) != null) {
            apply(confirmed);
        }
    }

    private void sessionMayChange(SqlScan scan) {
        if (touchedInBlock) {
            encodingUnsettled = true; // this statement may end the block, and a rollback reverts client_encoding
        }
        if (scan.touchesSession()) {
            uncertain = true;
            encodingUnsettled = true;
            if (state.get().inTransaction()) {
                touchedInBlock = true;
            }
        }
    }

    /**
     * Asks the server for search_path and the current role when they may have changed, at the start of a
     * group only (a query slipped into an open pipeline would end its implicit transaction). Its answer is
     * taken off the wire by the relay and never reaches the client.
     */
    private void probeWhenUncertain() throws IOException {
        if (!toServer.betweenGroups() || discardUntilSync) {
            return;
        }
        if (!uncertain && touchedInBlock) {
            awaitServer(); // has the block ended yet?
            uncertain = !state.get().inTransaction();
        }
        if (!uncertain) {
            return;
        }
        ResponseTracker.Probe probe = new ResponseTracker.Probe();
        tracker.sent(probe);
        toServer.write(Query.encode(ResponseTracker.Probe.SQL));
        toServer.flush();
        boolean answered;
        try {
            answered = probe.await(context.limits().startupTimeout().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while asking the server");
        }
        if (answered) {
            String user = state.get().databaseUser();
            String role = user.equals(probe.role()) ? null : probe.role();
            SessionState now = state.updateAndGet(s -> s.withSearchPath(probe.searchPath()).withRole(role));
            uncertain = false;
            if (!now.inTransaction()) {
                touchedInBlock = false;
            }
        }
        // Unanswered (e.g. inside a failed block): decide with what is known and ask again next time.
    }

    private Execution functionCall(FunctionCall call) {
        List<BoundValue> values = boundValues(call.arguments(), null);
        return new Execution("FUNCTION CALL oid=" + call.functionOid(), values.isEmpty() ? List.of()
                : new BoundValueText(values), List.of(), List.of(), List.of(), Origin.FUNCTION_CALL,
                call.functionOid(), state.get(), false);
    }

    /** The values as the guard sees them; {@code types} are the Parse's declared types, or null. */
    static List<BoundValue> boundValues(ParameterValues parameters, int[] types) {
        byte[][] raw = parameters.values();
        List<BoundValue> out = new ArrayList<>(raw.length);
        for (int i = 0; i < raw.length; i++) {
            int type = types != null && i < types.length ? types[i] : 0;
            out.add(new BoundValue(type, parameters.formatOf(i), raw[i], parameters.charset()));
        }
        return out;
    }

    private Outcome prepare(Parse parse) {
        try {
            return context.guard().prepare(Execution.of(parse.sql(), List.of(), Origin.EXTENDED_EXECUTE,
                    state.get()));
        } catch (RuntimeException e) {
            // As at execute: a guard that cannot decide refuses with ZG003, which the guard's contract promises.
            return new Outcome.Failed("the guard failed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * Asks the guard and acts on its answer. Returns true when the statement may be sent now; otherwise the
     * refusal has been arranged. Fail closed: a guard that throws refuses the statement.
     */
    private boolean admit(Execution execution, boolean extendedQuery) throws IOException {
        Outcome outcome;
        try {
            outcome = context.guard().check(execution);
        } catch (RuntimeException e) {
            guardFailed(e);
            refuse(new Refusal.Undecided(null), extendedQuery);
            return false;
        }
        return switch (outcome) {
            case Outcome.Allow allow -> true;
            case Outcome.Deny deny -> {
                refuse(new Refusal.Denied(deny.reason(), deny.ruleIds()), extendedQuery);
                yield false;
            }
            case Outcome.Review review -> review(review, extendedQuery);
            case Outcome.Failed failed -> {
                guardFailed(failed);
                refuse(new Refusal.Undecided(failed.reason()), extendedQuery);
                yield false;
            }
        };
    }

    private boolean review(Outcome.Review review, boolean extendedQuery) throws IOException {
        out.send(new NoticeResponse(NOTICE_CODE, "Gatehouse holds the statement for approval: request "
                + review.requestId() + " (" + review.reason() + ")", "Approve it at " + review.approvalUrl())
                .encode(clientCharset()));
        switch (review.mode()) {
            case FAIL -> {
                refuse(new Refusal.Pending(review.requestId(), review.approvalUrl(), review.reason(),
                        review.ruleIds()), extendedQuery);
                return false;
            }
            case WAIT -> {
                return awaitApproval(review, extendedQuery);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /**
     * Waits in the core's hold loop, bounded by the maximum hold wait: the client hears now and then that it
     * still waits, and a client that went away has its request withdrawn.
     */
    private boolean awaitApproval(Outcome.Review review, boolean extendedQuery) throws IOException {
        toServer.flush(); // what was allowed before this statement must not wait with it
        long deadline = System.nanoTime() + context.limits().maxHoldWait().toNanos();
        switch (HoldLoop.await(review, approval, deadline, context.limits().holdNoticeInterval(), waiter)) {
            case HoldEnd.Run run -> {
                return true;
            }
            case HoldEnd.Refused refused -> {
                if (refused.cause() != null) {
                    guardFailed(refused.cause());
                }
                refuse(refused.refusal(), extendedQuery);
                return false;
            }
            case HoldEnd.ClientGone gone -> throw new java.io.EOFException("the client went away while it waited");
        }
    }

    /** The client of a held statement, as the hold loop asks after it. Runs on this session's reader thread. */
    private final HoldLoop.Waiter waiter = new HoldLoop.Waiter() {
        @Override
        public boolean present() {
            try {
                return !in.peerClosed(socket, CLIENT_PROBE_MILLIS);
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public boolean stillWaiting(Outcome.Review review) {
            try {
                out.send(new NoticeResponse(NOTICE_CODE, "Gatehouse is still waiting for approval of request "
                        + review.requestId(), "Approve it at " + review.approvalUrl()).encode(clientCharset()));
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    };

    /**
     * A CancelRequest for this session, on the cancelling connection's thread: withdraws a held statement,
     * otherwise forwards the cancel to this session's server backend with the server's own key.
     */
    void cancel() {
        if (approval.cancel()) {
            return;
        }
        BackendKeyData key = serverKey;
        if (key == null) {
            return;
        }
        try (Socket cancelSocket = new Socket()) {
            cancelSocket.connect(context.upstream(), (int) context.limits().startupTimeout().toMillis());
            cancelSocket.setSoTimeout((int) context.limits().startupTimeout().toMillis());
            cancelSocket.getOutputStream().write(new CancelRequest(key.processId(), key.secretKey()).encode());
            cancelSocket.getOutputStream().flush();
            cancelSocket.getInputStream().read(); // the server closes when it has taken the request
        } catch (IOException e) {
            // As with PostgreSQL, a cancel is best effort and its sender learns nothing.
        }
    }

    /**
     * Answers {@code error} in place of the statement by sending the server a deliberate failure (see
     * {@link PendingRefusal}). In the extended protocol the rest of the batch up to Sync is then discarded,
     * as PostgreSQL itself does after an error.
     */
    private void refuse(Refusal refusal, boolean extendedQuery) throws IOException {
        String token = Refusals.TOKEN_PREFIX + (++refusals);
        relay.expectRefusal(new PendingRefusal(token, Refusals.of(refusal).encode(clientCharset())));
        String sql = Refusals.failingSql(token);
        if (extendedQuery) {
            // Nothing from the first undecided Bind on reaches the server: the refusal stands where it was.
            Frame cut = null;
            for (int i = 0; i < undecided.size() && cut == null; i++) {
                if (!undecided.get(i).allowed) {
                    cut = undecided.get(i).bind.frame();
                }
            }
            undecided.clear();
            toServer.releaseHeldBefore(cut);
            tracker.sent(new ResponseTracker.ParseSent("gatehouse_refusal", null));
            toServer.write(Parse.encode("gatehouse_refusal", sql));
            discardUntilSync = true;
        } else {
            tracker.sent(ResponseTracker.SyncPoint.PLAIN);
            toServer.write(Query.encode(sql));
        }
        toServer.flush();
    }

    /**
     * The operator must learn that statements are refused; only the exception's class is logged, since a
     * parser's message may quote the statement.
     */
    private void guardFailed(RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "guard failed ({0}) for {1}; statement refused",
                e.getClass().getName(), clientAddress);
    }

    /** As above, for a guard that answered it could not decide (store down, engine failure). */
    private void guardFailed(Outcome.Failed failed) {
        LOG.log(System.Logger.Level.WARNING, "guard could not decide ({0}) for {1}; statement refused",
                failed.cause() == null ? "no cause" : failed.cause().getClass().getName(), clientAddress);
    }

    private Refusal tooMany(String what) {
        return new Refusal.TooMany(what, context.limits().maxStatements());
    }

    /**
     * Session changes the server confirmed (their group ended without an error). search_path and role are
     * not taken from the text: the probe asks the server, since a rolled-back block or a set_config call
     * changes them too.
     */
    private void apply(List<SessionEffect> effects) {
        for (SessionEffect effect : effects) {
            switch (effect) {
                case SessionEffect.Prepare p -> sqlPrepared.put(p.name(), p.body());
                case SessionEffect.Deallocate d -> {
                    if (d.name() == null) {
                        sqlPrepared.clear();
                        extended.clearStatements();
                    } else {
                        sqlPrepared.remove(d.name());
                        extended.closeStatement(d.name());
                    }
                }
                case SessionEffect.DiscardAll d -> {
                    sqlPrepared.clear();
                    extended.clearStatements();
                }
                case SessionEffect.Unreadable u -> { // what it prepared or dropped is unknown: trust none of them
                    sqlPrepared.clear();
                    extended.clearStatements();
                    uncertain = true;
                }
                case SessionEffect.Setting s -> uncertain |= s.tracked();
                case SessionEffect.ResetAll r -> uncertain = true;
            }
        }
    }

    // ServerRelay.Listener: called on the relay thread.

    @Override
    public BackendKeyData serverKey(BackendKeyData server) {
        serverKey = server;
        proxyKey = context.cancels().register(this);
        return proxyKey;
    }

    @Override
    public void readyForQuery(byte status) {
        ready = true;
        boolean open = ReadyForQuery.inTransaction(status);
        if (state.get().inTransaction() != open) { // hot path: usually unchanged, then nothing is allocated
            state.updateAndGet(s -> s.withTransaction(open));
        }
    }

    @Override
    public void parameterStatus(String name, String value) {
        if ("application_name".equals(name)) {
            state.updateAndGet(s -> s.withApplicationName(value));
        } else if ("client_encoding".equals(name)) {
            ClientCharset reported = ClientCharset.of(value);
            if (ClientCharset.hidesQuotes(value) || (ready && !encodingUnsettled && !reported.equals(encoding))) {
                // Changed to an unsafe encoding, or behind the policy's back (a function body): text the proxy
                // decided may not be the text the server read, so the session ends (fail closed).
                sendQuietly(new ErrorResponse("FATAL", "0A000", "Gatehouse ends the session: client_encoding changed to "
                        + value + (ClientCharset.hidesQuotes(value) ? ", in which a quote or backslash can be part of a"
                        + " multibyte character" : " where Gatehouse did not expect it"), null, null).encode(clientCharset()));
                closeQuietly(serverSocket);
                closeQuietly(socket);
            } else {
                encoding = reported;
            }
        }
    }

    /** Also the charset of the proxy's own messages to the client. */
    @Override
    public java.nio.charset.Charset clientCharset() {
        return encoding.charset();
    }

    /** A startup that sets anything through {@code options} mentioning client_encoding (options are not parsed). */
    private static boolean setsEncodingInOptions(StartupMessage startup) {
        String options = startup.parameters().get("options");
        return options != null && options.toLowerCase(java.util.Locale.ROOT).replace('-', '_').contains("client_encoding");
    }

    @Override
    public void relayEnded(IOException failure) {
        // The server is gone (or closed the session): a statement held for approval has no session left to run
        // in, so its request is withdrawn now and its waiter woken, instead of waiting (up to the notice
        // interval) for an approval that could only be consumed for nothing. Then the client must not keep
        // talking to nobody.
        approval.cancel();
        closeQuietly(socket);
    }

    private void sendQuietly(byte[] message) {
        try {
            if (out != null) {
                out.send(message);
            }
        } catch (IOException e) {
            // The client is already gone.
        }
    }

    private void close() {
        approval.cancel(); // the client is gone, however it went: a held statement's request is withdrawn
        context.cancels().unregister(proxyKey, this);
        closeQuietly(serverSocket);
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // Closing: nothing left to do.
            }
        }
    }
}
