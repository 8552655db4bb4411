package dev.gatehouse.proxy.session;

/**
 * A refusal waiting for the server's answer to the deliberate failure the proxy sent in its place: when the
 * server's ErrorResponse carrying {@code token} arrives, the client receives {@code errorResponse} instead.
 * Going through the server keeps both sides in step: responses stay in order behind earlier pipelined ones,
 * the server's transaction ends up aborted exactly as after a real error, and the ReadyForQuery that follows
 * carries the true transaction status.
 *
 * <p>Threads: made on the session's client reader, taken by the server relay (through the {@link ResponseTracker}).
 */
record PendingRefusal(String token, byte[] errorResponse) {
}
