package dev.gatehouse.approvals.http;

/** A client mistake or refusal answered with a status and a reason, never a stack trace. Any thread. */
final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Reply reply;
    final int status;
    final String error;

    HttpError(int status, String error, String reason) {
        super(error, null, false, false);
        this.status = status;
        this.error = error;
        this.reply = Reply.error(status, error, reason);
    }
}
