package dev.gatehouse.adversarial;

import dev.gatehouse.adversarial.AttackCase.Channel;
import dev.gatehouse.gate.Gate;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.Principal;
import dev.gatehouse.sql.Dialect;
import dev.gatehouse.sql.analysis.Analyzer;
import dev.gatehouse.sql.analysis.StatementInfo;
import dev.gatehouse.sql.catalog.Catalog;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The adversarial table through the library: {@link Gate#decide} with the table's policy, once cold and once
 * from the cache (a cached answer must be the same answer). The session statements are decided too (they
 * must not themselves be refused), but the library keeps no session, so each case's text has to be decided
 * safely whatever the session before it did.
 */
class LibraryAttackTest {
    static final Principal AGENT = Principal.of("agent-7");
    static final String TABLE = "adv_t";

    @TestFactory
    Stream<DynamicTest> postgres() {
        return cases(Dialect.POSTGRES);
    }

    @TestFactory
    Stream<DynamicTest> mysql() {
        return cases(Dialect.MYSQL);
    }

    private static Stream<DynamicTest> cases(Dialect dialect) {
        Policy policy = AttackCase.policy();
        Gate gate = new Gate(new Analyzer(dialect, Catalog.EMPTY), policy);
        String schema = dialect == Dialect.POSTGRES ? "public" : "test";
        List<AttackCase> cases = AttackCase.forChannel(Channel.LIBRARY, dialect);
        assertFalse(cases.isEmpty());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            for (String s : c.session(TABLE)) {
                assertEquals(dev.gatehouse.policy.Action.ALLOW, gate.decide(s, schema, AGENT).verdict().action(),
                        "session statement " + s);
            }
            String sql = c.sql(TABLE);
            for (int round = 0; round < 2; round++) {
                Decision d = gate.decide(sql, schema, AGENT);
                assertEquals(c.expect(), d.verdict().action(), () -> c.name() + ": " + explain(d));
                assertEquals(c.rules(), AttackCase.firedRules(d), () -> c.name() + ": " + explain(d));
            }
        }));
    }

    /** Tables read by SQL text a function runs are in no lineage, so column and table rules must see it as incomplete. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a plain read is complete                 | SELECT id FROM adv_t WHERE id = 1                                         | true
            query_to_xml text                        | SELECT query_to_xml('SELECT secret FROM adv_t', true, true, '')           | false
            ts_stat text                             | SELECT * FROM ts_stat('SELECT secret FROM adv_t')                         | false
            dblink text                              | SELECT * FROM dblink('dbname=test', 'SELECT secret FROM adv_t') AS x(s text) | false
            """)
    void sqlRunByAFunctionLeavesLineageIncomplete(String name, String sql, boolean complete) {
        StatementInfo info = new Analyzer(Dialect.POSTGRES, Catalog.EMPTY).analyze(sql, "public").getFirst();
        assertEquals(complete, info.lineageComplete(), info.notes().toString());
    }

    static String explain(Decision d) {
        StringBuilder b = new StringBuilder(d.verdict().toString());
        d.statements().forEach(s -> b.append("\n  ").append(s.statement().kinds()).append(' ')
                .append(s.statement().functions()).append(' ').append(s.statement().notes()));
        return b.toString();
    }
}
