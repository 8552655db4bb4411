package dev.gatehouse.jdbc;

import dev.gatehouse.enforce.refusal.SqlStates;

/**
 * The SQLSTATEs the driver raises, as the enforcement core declares them ({@link SqlStates}), kept here for
 * applications that refer to the driver's own class. Gatehouse's own codes are in class {@code ZG}: the SQL standard leaves
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
    public static final String DENIED = SqlStates.DENIED;
    public static final String REVIEW_PENDING = SqlStates.REVIEW_PENDING;
    public static final String REVIEW_EXPIRED = SqlStates.REVIEW_EXPIRED;
    public static final String GUARD_FAILED = SqlStates.GUARD_FAILED;
    public static final String RAW_ACCESS_REFUSED = SqlStates.RAW_ACCESS_REFUSED;
    public static final String BAD_SETTING = SqlStates.BAD_SETTING;

    private GatehouseSqlState() {
    }
}
