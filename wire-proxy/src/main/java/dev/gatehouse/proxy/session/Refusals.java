package dev.gatehouse.proxy.session;

import dev.gatehouse.proxy.protocol.Frame;
import dev.gatehouse.proxy.protocol.backend.ErrorResponse;
import dev.gatehouse.proxy.protocol.frontend.Parse;
import dev.gatehouse.proxy.protocol.frontend.Query;

import java.io.IOException;

/**
 * Puts a refusal where a statement stood by sending the server a deliberate failure in its place (see
 * {@link PendingRefusal}): the relay gives the client the refusal instead of the server's error, so answers stay
 * in order and the server's transaction ends up as after a real error. Threads: the session's client reader.
 */
final class Refusals {
    private final Upstream upstream;
    private final Batch batch;
    private final SessionSettings settings;
    private long count;

    Refusals(Upstream upstream, Batch batch, SessionSettings settings) {
        this.upstream = upstream;
        this.batch = batch;
        this.settings = settings;
    }

    /**
     * Answers {@code error} in place of the statement. In the extended protocol nothing from the first
     * undecided Bind on reaches the server, and the rest of the batch up to Sync is then discarded, as
     * PostgreSQL itself does after an error.
     */
    void refuse(ErrorResponse error, boolean extendedQuery) throws IOException {
        String token = Refusal.TOKEN_PREFIX + (++count);
        upstream.tracker.expectRefusal(new PendingRefusal(token, error.encode(settings.charset())));
        String sql = Refusal.failingSql(token);
        if (extendedQuery) {
            Frame cut = batch.firstUndecidedBind();
            batch.undecided.clear();
            upstream.out.releaseHeldBefore(cut);
            upstream.changing(NamespaceChange.REFUSAL);
            upstream.out.write(Parse.encode("gatehouse_refusal", sql));
            batch.discarding = true;
        } else {
            upstream.tracker.sent(batch.end(false)); // a Query ends any open batch, as a Sync does
            upstream.out.write(Query.encode(sql));
        }
        upstream.out.flush();
    }
}
