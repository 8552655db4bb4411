package dev.gatehouse.approvals.hooks;

import java.time.Duration;

/**
 * What one HTTP attempt of a delivery came to. A closed set so the retry loop handles every case.
 *
 * <p>Immutable values; made and read on a delivery's virtual thread.
 */
sealed interface AttemptOutcome {

    /** The receiver answered 2xx. */
    record Delivered(int status) implements AttemptOutcome {
    }

    /** Worth trying again: timeout, connection error, 408, 425, 429 or 5xx. {@code retryAfter} may be null. */
    record Retryable(String reason, Duration retryAfter) implements AttemptOutcome {
    }

    /** Trying again would not help: another 4xx, a redirect (never followed), or an unsendable body. */
    record Refused(String reason) implements AttemptOutcome {
    }

    /** The status classification; public receivers and Slack/Teams all follow these HTTP conventions. */
    static AttemptOutcome ofStatus(int status, Duration retryAfter) {
        if (status >= 200 && status < 300) {
            return new Delivered(status);
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new Retryable("HTTP " + status, retryAfter);
        }
        if (status >= 300 && status < 400) {
            // Following a redirect would send the signed body (and Slack/Teams tokens) somewhere unvetted.
            return new Refused("HTTP " + status + " (redirects are not followed)");
        }
        return new Refused("HTTP " + status);
    }
}
