package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.refusal.SqlStates;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.approvals.Source;
import dev.gatehouse.enforce.guard.SessionState;
import dev.gatehouse.enforce.hold.HoldSite;
import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.FrameReader;
import dev.gatehouse.proxy.protocol.ProtocolException;
import dev.gatehouse.proxy.protocol.SocketInput;
import dev.gatehouse.proxy.protocol.backend.BackendKeyData;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;
import dev.gatehouse.proxy.protocol.startup.CancelRequest;
import dev.gatehouse.proxy.protocol.startup.StartupMessage;
import dev.gatehouse.proxy.catalog.SchemaWatch;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.Charset;

/**
 * One client connection from accept to close: the transport and the threads around the session's protocol.
 *
 * <pre>
 * NEGOTIATING   SSL/GSS requests, TLS (ClientConnection) --CancelRequest or client gone--> CLOSED
 *   --StartupMessage--> CHECKING   replication, client encoding, and the startup settings decided as SET
 *                                  statements (StartupCheck) --refused: FATAL--> CLOSED
 *   --allowed--> CONNECTING        upstream socket, relay thread started, StartupMessage forwarded
 *   --> SERVING                    every client frame to the FrontendHandler (whose states are mapped there)
 *   --Terminate, either side gone, timeout, shutdown--> CLOSED (a held statement withdrawn)
 * </pre>
 *
 * <p>Threads: {@link #run} on the connection's own thread ({@link dev.gatehouse.proxy.SessionThreads}), which
 * reads the client; the server-to-client direction runs in a {@link ServerRelay} on a second thread and calls
 * the {@link ServerRelay.Listener} methods; {@link #cancel()} runs on the thread of whichever connection
 * carried the CancelRequest; {@link #checkTimeouts} on the proxy's sweeper; {@link #shutdown} on any thread.
 */
public final class ClientSession implements Runnable, ServerRelay.Listener {
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
    /** Never given SQL text, parameters or passwords: statements may carry secrets. */
    private static final System.Logger LOG = System.getLogger(ClientSession.class.getName());

    private final SessionContext context;
    private final String clientAddress;
    private final Socket accepted;
    private volatile ClientConnection client;
    private final long startedAt = System.nanoTime();
    /** When the last whole client message arrived; read by the timeout sweeper. */
    private volatile long lastMessageAt = startedAt;
    private volatile FrameReader frames;
    private volatile Socket serverSocket;

    private final ResponseTracker tracker = new ResponseTracker();
    private final SessionSettings settings;
    private final HoldSite approval = new HoldSite();
    /** Live catalog (issue 12): the DDL the server ran here, passed on to the database's catalog once committed. */
    private final SchemaWatch schemaWatch;
    /** How long a check for a held statement's client waits for its socket. */
    private static final int CLIENT_PROBE_MILLIS = 1;
    private volatile BackendKeyData serverKey;
    private volatile BackendKeyData proxyKey;

    public ClientSession(Socket socket, SessionContext context) {
        this.accepted = socket;
        this.context = context;
        this.clientAddress = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        this.settings = new SessionSettings(context.limits().startupTimeout().toNanos());
        this.schemaWatch = new SchemaWatch(context.schemaChanges());
    }

    @Override
    public void run() {
        try {
            client = new ClientConnection(accepted);
            StartupMessage startup = client.negotiate(context.ssl(), context.cancels());
            if (startup == null) {
                return;
            }
            String principal = context.principal() != null ? context.principal() : startup.user();
            settings.begin(new SessionState(Dialect.POSTGRES, Source.Channel.PROXY, principal, null, startup.user(),
                    startup.database(), startup.applicationName(), clientAddress, null, null, false),
                    startup.parameters().get("client_encoding"));
            ErrorResponse refused = StartupCheck.refusal(startup, context, settings.state());
            if (refused != null) {
                sendQuietly(refused.encode(clientCharset()));
                return;
            }
            serve(connectUpstream(startup));
        } catch (ProtocolException e) {
            LOG.log(System.Logger.Level.INFO, "closing {0}: protocol violation: {1}", clientAddress, e.getMessage());
            sendQuietly(Refusals.protocolViolation(e.getMessage()).encode(clientCharset()));
        } catch (IOException e) {
            // The client or the server went away: nothing to tell anyone.
        } finally {
            close();
        }
    }

    /**
     * Whether the client is still connected, asked by the hold loop about once a second while one of its
     * statements waits for approval (nothing else reads the client then): a one-millisecond look at its socket.
     */
    private boolean clientPresent() {
        try {
            return !client.in().peerClosed(client.socket(), CLIENT_PROBE_MILLIS);
        } catch (IOException e) {
            return false;
        }
    }

    /** Closes this session from outside (proxy shutdown). */
    public void shutdown() {
        closeQuietly(socket());
        closeQuietly(serverSocket);
    }

    private FrontendHandler connectUpstream(StartupMessage startup) throws IOException {
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
            sendQuietly(new ErrorResponse("FATAL", SqlStates.CONNECTION_FAILURE, "Gatehouse could not connect to the database server ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", null, null)
                    .encode(clientCharset()));
            throw e;
        }
        server.setTcpNoDelay(true);
        ServerOutput toServer = new ServerOutput(server.getOutputStream(), context.limits().maxPendingBytes(), tracker);
        FrontendHandler handler = new FrontendHandler(context, client.out(), toServer, tracker, settings, approval,
                clientAddress, this::clientPresent);
        ServerRelay relay = new ServerRelay(new SocketInput(server.getInputStream(), RESULT_BUFFER_SIZE), client.out(),
                this, tracker);
        tracker.sent(ResponseTracker.SyncPoint.PLAIN);
        context.threads().builder("gatehouse-relay-" + clientAddress).start(relay);
        toServer.write(startup.packet());
        toServer.flush();
        return handler;
    }

    /**
     * Hot path: read, hand over, flush once the client has nothing more buffered. No socket timeout here: a
     * timed read costs a timer per read on a virtual thread (and a poll per read on a platform one), so the
     * proxy's sweeper enforces the startup and idle timeouts instead ({@link #checkTimeouts}).
     */
    private void serve(FrontendHandler handler) throws IOException {
        SocketInput in = client.in();
        FrameReader reader = new FrameReader(in, context.limits().maxMessageSize());
        frames = reader;
        while (true) {
            Frame frame = reader.read();
            if (frame == null) {
                return;
            }
            lastMessageAt = System.nanoTime();
            if (!handler.accept(frame)) {
                return;
            }
            if (in.buffered() == 0) {
                handler.flush();
            }
        }
    }

    /**
     * Called by the proxy's timeout sweeper thread. Closes a session that has not finished authenticating
     * within the startup timeout, that stopped inside a message, or that is idle (nothing in flight, no
     * statement held, no message) for the idle timeout; closing the sockets ends both of its threads.
     */
    public void checkTimeouts(long now) {
        if (!settings.ready()) {
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
        sendQuietly(new ErrorResponse("FATAL", SqlStates.IDLE_SESSION_TIMEOUT, "terminating connection due to idle-session timeout",
                null, null).encode(clientCharset()));
        shutdown();
    }

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

    // ServerRelay.Listener: called on the relay thread.

    @Override
    public BackendKeyData serverKey(BackendKeyData server) {
        serverKey = server;
        proxyKey = context.cancels().register(this);
        return proxyKey;
    }

    @Override
    public void readyForQuery(byte status) {
        settings.readyForQuery(status);
        schemaWatch.ready(status, settings.state().database()); // live catalog (issue 12)
    }

    @Override
    public void commandComplete(byte[] tag, int length) {
        schemaWatch.completed(tag, length); // live catalog (issue 12)
    }

    @Override
    public void parameterStatus(String name, String value) {
        ErrorResponse fatal = settings.parameterStatus(name, value);
        if (fatal != null) {
            sendQuietly(fatal.encode(clientCharset()));
            closeQuietly(serverSocket);
            closeQuietly(socket());
        }
    }

    /** Also the charset of the proxy's own messages to the client. */
    @Override
    public Charset clientCharset() {
        return settings.charset();
    }

    @Override
    public void relayEnded(IOException failure) {
        // The server is gone (or closed the session): a statement held for approval has no session left to run
        // in, so its request is withdrawn now and its waiter woken, instead of waiting (up to the notice
        // interval) for an approval that could only be consumed for nothing. Then the client must not keep
        // talking to nobody.
        approval.cancel();
        closeQuietly(socket());
    }

    private Socket socket() {
        ClientConnection c = client;
        return c == null ? accepted : c.socket();
    }

    private void sendQuietly(byte[] message) {
        ClientConnection c = client;
        try {
            if (c != null) {
                c.out().send(message);
            }
        } catch (IOException e) {
            // The client is already gone.
        }
    }

    private void close() {
        approval.cancel(); // the client is gone, however it went: a held statement's request is withdrawn
        context.cancels().unregister(proxyKey, this);
        closeQuietly(serverSocket);
        closeQuietly(socket());
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
