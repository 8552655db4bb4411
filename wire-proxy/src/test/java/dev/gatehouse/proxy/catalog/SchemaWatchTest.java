package dev.gatehouse.proxy.catalog;

import dev.gatehouse.approvals.Source;
import dev.gatehouse.enforce.guard.SessionState;
import dev.gatehouse.proxy.session.sql.SessionEffect;
import dev.gatehouse.sql.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * When a session's confirmed statements make its database's catalog be read again: scripted confirmations, each
 * with the session's transaction state at the time, and the refreshes they cause.
 */
class SchemaWatchTest {
    static final SessionEffect.SchemaEffect DDL = new SessionEffect.SchemaChange();
    static final SessionEffect.SchemaEffect COMMIT = new SessionEffect.Commit();
    static final SessionState IDLE = new SessionState(Dialect.POSTGRES, Source.Channel.PROXY, "alice", null, "alice", "shop",
            "psql", "127.0.0.1:1", null, null, false);
    static final SessionState IN_BLOCK = IDLE.withTransaction(true);

    /** One confirmation: the effect, and whether the session was in a transaction block when it was taken in. */
    record Step(SessionEffect.SchemaEffect effect, boolean inBlock) {
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("DDL outside a block: read again at once", List.of(new Step(DDL, false)), 1),
                arguments("a commit with no DDL before it reads nothing", List.of(new Step(COMMIT, false)), 0),
                arguments("DDL in a block: now, and again at its commit",
                        List.of(new Step(DDL, true), new Step(COMMIT, false)), 2),
                arguments("only the first commit after the block's DDL reads again",
                        List.of(new Step(DDL, true), new Step(COMMIT, false), new Step(COMMIT, false)), 2),
                arguments("two DDL in one block, one commit",
                        List.of(new Step(DDL, true), new Step(DDL, true), new Step(COMMIT, false)), 3),
                arguments("BEGIN; DDL; COMMIT in one text: confirmed together, after the block ended",
                        List.of(new Step(DDL, false), new Step(COMMIT, false)), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refreshes(String name, List<Step> steps, int refreshes) {
        List<String> changed = new ArrayList<>();
        SchemaWatch watch = new SchemaWatch(changed::add);
        for (Step step : steps) {
            watch.confirmed(step.effect(), step.inBlock() ? IN_BLOCK : IDLE);
        }
        assertEquals(refreshes, changed.size(), changed.toString());
        changed.forEach(database -> assertEquals("shop", database));
    }
}
