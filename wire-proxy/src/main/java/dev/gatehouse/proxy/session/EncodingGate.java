package dev.gatehouse.proxy.session;

import dev.gatehouse.enforce.refusal.Refusal;
import dev.gatehouse.proxy.protocol.ClientCharset;
import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.frontend.FrontendMessage;
import dev.gatehouse.proxy.protocol.frontend.FunctionCall;
import dev.gatehouse.proxy.protocol.frontend.Query;

import java.io.IOException;

/**
 * Decodes each client message in the encoding the server will read it in, or refuses it: the proxy never
 * decides on text the server may read otherwise. Threads: the session's client reader.
 */
final class EncodingGate {
    private final SessionSettings settings;
    private final Upstream upstream;
    private final Batch batch;
    private final ExtendedPipeline pipeline;
    private final Refusals refusals;

    EncodingGate(SessionSettings settings, Upstream upstream, Batch batch, ExtendedPipeline pipeline, Refusals refusals) {
        this.settings = settings;
        this.upstream = upstream;
        this.batch = batch;
        this.pipeline = pipeline;
        this.refusals = refusals;
    }

    /**
     * Hot path: the message decoded in the client's current encoding. When that encoding may have just changed
     * (a SET client_encoding not yet answered), text that is not ASCII waits for the server's answer, which
     * is only possible between groups; when it cannot be read (SQL_ASCII, an encoding Java cannot map, or a
     * change inside an unanswered pipeline), the message is refused (null is returned).
     */
    FrontendMessage readable(Frame frame) throws IOException {
        if (!settings.ready()) {
            return FrontendMessage.decode(frame, settings.charset()); // only a password may come: the handler checks
        }
        ResponseTracker tracker = upstream.tracker;
        if (settings.encodingUnsettled() && tracker.outstanding() == 0 && upstream.out.betweenGroups()) {
            settings.encodingSettled(true); // every answer is in, the server's report with them
        }
        ClientCharset now = settings.encoding();
        FrontendMessage message = FrontendMessage.decode(frame, now.charset());
        // Whatever the scan of earlier statements saw, an answer still outstanding may switch the encoding (a
        // function calling set_config; the server reports it only at ReadyForQuery): text that would split
        // otherwise after such a switch waits for the answers like text after a known change.
        boolean settled = !settings.encodingUnsettled()
                && !(tracker.outstanding() > 0 && ClientCharset.couldHideBackslash(frame));
        if ((settled && now.readsAll()) || !ClientCharset.carriesNonAscii(message)) {
            return message;
        }
        if (!settled && upstream.out.betweenGroups() && !batch.discarding) {
            upstream.awaitAnswers();
            settings.encodingSettled(tracker.outstanding() == 0);
            settled = !settings.encodingUnsettled();
            now = settings.encoding();
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
        upstream.takeAnswers();
        if (batch.discarding || !pipeline.decideHeld()) {
            return;
        }
        if (message instanceof Query || message instanceof FunctionCall) {
            upstream.out.releaseHeld();
            refusals.refuse(error, false);
            upstream.out.syncSent();
        } else {
            refusals.refuse(error, true);
        }
    }
}
