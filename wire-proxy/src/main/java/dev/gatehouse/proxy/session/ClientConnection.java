package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.protocol.ProtocolException;
import dev.gatehouse.proxy.protocol.SocketInput;
import dev.gatehouse.proxy.protocol.startup.CancelRequest;
import dev.gatehouse.proxy.protocol.startup.GssEncRequest;
import dev.gatehouse.proxy.protocol.startup.SslRequest;
import dev.gatehouse.proxy.protocol.startup.StartupMessage;
import dev.gatehouse.proxy.protocol.startup.StartupRequest;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;

/**
 * The client's socket and its streams, and what happens on it before the StartupMessage: SSL and GSS
 * encryption requests (TLS when configured, GSS never), and a CancelRequest, which ends the connection.
 *
 * <p>Threads: the session's own thread negotiates and reads; {@link #socket} and {@link #out} are read by
 * others too (the relay writes to the client, the sweeper and shutdown close the socket).
 */
final class ClientConnection {
    private static final byte[] REFUSE_ENCRYPTION = {'N'};
    private static final byte[] ACCEPT_TLS = {'S'};

    private volatile Socket socket;
    private volatile SocketInput in;
    private volatile ClientOutput out;

    ClientConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        in = new SocketInput(socket.getInputStream(), ClientSession.BUFFER_SIZE);
        out = new ClientOutput(socket.getOutputStream());
    }

    Socket socket() {
        return socket;
    }

    SocketInput in() {
        return in;
    }

    ClientOutput out() {
        return out;
    }

    /**
     * Answers encryption requests until the StartupMessage comes. Null when there is none to serve: the client
     * left, or sent a CancelRequest (handed to {@code cancels}; PostgreSQL closes such a connection at once).
     *
     * @param ssl the TLS context for clients, or null when TLS is not configured
     */
    StartupMessage negotiate(SSLContext ssl, CancelRegistry cancels) throws IOException {
        boolean encrypted = false;
        while (true) {
            StartupRequest request = StartupRequest.read(in);
            if (request == null) {
                return null;
            }
            switch (request) {
                case SslRequest sslRequest -> {
                    if (ssl == null || encrypted) {
                        out.send(REFUSE_ENCRYPTION);
                    } else {
                        if (in.buffered() > 0) {
                            // Bytes sent before our answer would be read as if they came through TLS.
                            throw new ProtocolException("received unencrypted data after SSL request");
                        }
                        out.send(ACCEPT_TLS);
                        startTls(ssl);
                        encrypted = true;
                    }
                }
                case GssEncRequest gss -> out.send(REFUSE_ENCRYPTION);
                case CancelRequest cancel -> {
                    cancels.cancel(cancel.processId(), cancel.secretKey());
                    return null;
                }
                case StartupMessage startup -> {
                    return startup;
                }
            }
        }
    }

    private void startTls(SSLContext ssl) throws IOException {
        SSLSocket tls = (SSLSocket) ssl.getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        socket = tls;
        in = new SocketInput(tls.getInputStream(), ClientSession.BUFFER_SIZE);
        out = new ClientOutput(tls.getOutputStream());
    }
}
