package dev.gatehouse.jdbc.policy;

import dev.gatehouse.enforce.guard.PolicyGuard;
import dev.gatehouse.enforce.checkpoint.ClientCheckpoint;
import dev.gatehouse.jdbc.GatehouseSqlState;
import dev.gatehouse.jdbc.guard.GuardContext;
import dev.gatehouse.enforce.guard.StatementGuard;
import dev.gatehouse.jdbc.guard.StatementGuardFactory;

import java.sql.SQLException;

/**
 * The production guard, named {@code policy}: the policy file's rules through the shared checkpoint, reviews
 * through the approvals store shared with {@code gatehouse serve}. The driver picks it whenever
 * {@code gatehouse.policy} is given.
 *
 * <p>Threads: called on the thread that opens a connection; the checkpoint it hands out is shared by every
 * connection of the JVM with the same policy and store.
 */
public final class PolicyGuardFactory implements StatementGuardFactory {
    public static final String NAME = "policy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StatementGuard create(GuardContext context) throws SQLException {
        if (context.policyFile() == null || context.policyFile().isBlank()) {
            throw new SQLException("gatehouse: no policy given; set gatehouse.policy to the policy file",
                    GatehouseSqlState.BAD_SETTING);
        }
        GuardSettings settings = GuardSettings.of(context);
        ClientCheckpoint checkpoint = SharedCheckpoints.get(settings).forClient(context.dialect(), context.catalog());
        return new PolicyGuard(checkpoint, checkpoint.policy(), context.holdMode(), context.rows());
    }
}
