package dev.gatehouse.enforce.refusal;

/**
 * Every SQLSTATE a Gatehouse front end answers with, declared once. Gatehouse's own codes are in class
 * {@code ZG}: the SQL standard leaves classes beginning with I-Z to implementations, and neither PostgreSQL nor
 * MySQL/MariaDB uses {@code ZG}, so an application tells a Gatehouse refusal from a database error by the class.
 * The others are the databases' own codes for the same situation, so clients already handle them.
 *
 * <p>Threads: constants only.
 */
public final class SqlStates {
    /** Denied by a policy rule or by an approver: the standard's "insufficient privilege". */
    public static final String DENIED = "42501";
    /** Held for review in {@code fail} mode: re-run the identical statement once approved. */
    public static final String REVIEW_PENDING = "ZG001";
    /** The review request expired or was withdrawn undecided. */
    public static final String REVIEW_EXPIRED = "ZG002";
    /** Gatehouse could not decide (policy engine, catalog or approvals store failed): refused, failing closed. */
    public static final String GUARD_FAILED = "ZG003";
    /** JDBC: {@code unwrap} to a vendor object, or an updatable result set, would bypass the policy. */
    public static final String RAW_ACCESS_REFUSED = "ZG004";
    /** JDBC: a {@code gatehouse.*} setting is unknown or has a bad value. */
    public static final String BAD_SETTING = "ZG005";
    /** PostgreSQL's query_canceled: a held statement was cancelled or its wait ran out. */
    public static final String QUERY_CANCELED = "57014";
    /** MySQL/MariaDB's code for a statement interrupted by a cancel or timeout. */
    public static final String MYSQL_QUERY_INTERRUPTED = "70100";
    /** PostgreSQL's program_limit_exceeded: a per-session bound of the proxy was reached. */
    public static final String PROGRAM_LIMIT = "54000";
    /** PostgreSQL's protocol_violation. */
    public static final String PROTOCOL_VIOLATION = "08P01";
    /** PostgreSQL's character_not_in_repertoire: text Gatehouse cannot read as the server will. */
    public static final String UNREADABLE = "22021";

    /** PostgreSQL's feature_not_supported: a connection the proxy does not serve (replication, unsafe encodings). */
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    /** PostgreSQL's connection_failure: the proxy could not reach the server. */
    public static final String CONNECTION_FAILURE = "08006";
    /** PostgreSQL's idle_session_timeout. */
    public static final String IDLE_SESSION_TIMEOUT = "57P05";
    /** PostgreSQL's too_many_connections. */
    public static final String TOO_MANY_CONNECTIONS = "53300";

    private SqlStates() {
    }
}
