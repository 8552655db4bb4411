package dev.gatehouse.approvals.store;

/**
 * The approvals store could not be used (unreachable, failing, or its schema is wrong). Reviews fail closed:
 * the driver and the proxy map this to a denial of the held statement, never to an allow.
 */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
