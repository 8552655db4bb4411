package dev.gatehouse.proxy.protocol.frontend;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.PayloadReader;
import dev.gatehouse.proxy.protocol.ProtocolException;

import java.nio.charset.Charset;

/**
 * A message from the client after startup. A closed set: the session switches over it exhaustively, so a
 * new message type cannot slip through undecided. Each keeps its {@link Frame} so forwarding re-sends the
 * exact bytes. Decoded on the session's client-reader thread.
 */
public sealed interface FrontendMessage
        permits Query, Parse, Bind, Describe, Execute, Close, Sync, Flush, FunctionCall, CopyData, CopyDone,
        CopyFail, Terminate, PasswordMessage {

    Frame frame();

    /**
     * Hot path: one switch on the type byte; unknown types are a protocol violation. Text (SQL, names) is read
     * in {@code charset}, the session's client_encoding.
     */
    static FrontendMessage decode(Frame frame, Charset charset) throws ProtocolException {
        PayloadReader body = new PayloadReader(frame.body(), 0, charset);
        return switch (frame.type()) {
            case 'Q' -> Query.decode(frame, body);
            case 'P' -> Parse.decode(frame, body);
            case 'B' -> Bind.decode(frame, body);
            case 'D' -> Describe.decode(frame, body);
            case 'E' -> Execute.decode(frame, body);
            case 'C' -> Close.decode(frame, body);
            case 'S' -> new Sync(frame);
            case 'H' -> new Flush(frame);
            case 'F' -> FunctionCall.decode(frame, body);
            case 'd' -> new CopyData(frame);
            case 'c' -> new CopyDone(frame);
            case 'f' -> new CopyFail(frame);
            case 'X' -> new Terminate(frame);
            case 'p' -> new PasswordMessage(frame);
            default -> throw new ProtocolException("invalid frontend message type " + (frame.type() & 0xff));
        };
    }
}
