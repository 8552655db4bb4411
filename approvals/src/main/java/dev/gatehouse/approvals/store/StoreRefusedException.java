package dev.gatehouse.approvals.store;

/**
 * The approvals store answered, but refused this one transaction: the data (a value the store cannot hold, a
 * packet over the server's limit), a constraint, or a serialisation conflict. Unlike
 * {@link StoreUnavailableException} the store is up, so the circuit breaker stays closed and nobody is told to
 * try again later; the caller still fails closed (the statement does not run).
 */
public final class StoreRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The SQLState the store answered with (null when the driver refused before sending, without one). */
    private final String sqlState;

    public StoreRefusedException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
