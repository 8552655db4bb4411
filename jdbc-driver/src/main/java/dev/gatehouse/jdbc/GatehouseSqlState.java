package dev.gatehouse.jdbc;

/**
 * The SQLSTATEs the driver raises. Gatehouse's own codes are in class {@code ZG}: the SQL standard leaves
 * classes beginning with I-Z to implementations, and neither PostgreSQL nor MySQL/MariaDB uses {@code ZG},
 * so an application can tell a Gatehouse refusal from a database error by the class alone.
 *
 * <ul>
 *   <li>{@code 42501} ({@link #DENIED}): denied by a policy rule or by an approver; the message names the rule
 *       ids and the reason. The standard's "insufficient privilege", as the databases use it.</li>
 *   <li>{@code ZG001} ({@link #REVIEW_PENDING}): held for review in {@code fail} mode; the message carries the
 *       request id and the approval URL. Re-run the identical statement once it is approved.</li>
 *   <li>{@code ZG002} ({@link #REVIEW_EXPIRED}): the review request expired or was withdrawn undecided.</li>
 *   <li>{@code ZG003} ({@link #GUARD_FAILED}): Gatehouse could not decide (policy engine or approvals store
 *       failed); the statement was refused, failing closed.</li>
 *   <li>{@code ZG004} ({@link #RAW_ACCESS_REFUSED}): {@code unwrap} to a vendor object, or an updatable result
 *       set, would bypass the policy; refused unless {@code gatehouse.allow-unwrap=true}.</li>
 *   <li>{@code ZG005} ({@link #BAD_SETTING}): a {@code gatehouse.*} setting is unknown or has a bad value.</li>
 *   <li>{@code 57014} (PostgreSQL) / {@code 70100} (MySQL): a held statement was cancelled or timed out
 *       ({@code setQueryTimeout}, {@code gatehouse.max-wait}); the codes those databases use for the same.</li>
 * </ul>
 *
 * <p>Threads: Constants only.
 */
public final class GatehouseSqlState {
    public static final String DENIED = "42501";
    public static final String REVIEW_PENDING = "ZG001";
    public static final String REVIEW_EXPIRED = "ZG002";
    public static final String GUARD_FAILED = "ZG003";
    public static final String RAW_ACCESS_REFUSED = "ZG004";
    public static final String BAD_SETTING = "ZG005";

    private GatehouseSqlState() {
    }
}
