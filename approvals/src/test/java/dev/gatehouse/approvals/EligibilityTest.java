package dev.gatehouse.approvals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.approvals.people.Approvers;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Who may vote: a table of named cases. */
class EligibilityTest {
    private record Case(String name, String approver, String principal, String actingFor, Set<String> groups, boolean eligible) {
    }

    @TestFactory
    Stream<DynamicTest> eligibility() {
        Approvers a = new Approvers(Submissions.APPROVERS);
        return Stream.of(
                new Case("member of the named group", "bob", "agent-7", "dave", Set.of("dba"), true),
                new Case("member of one of several groups", "sam", "agent-7", null, Set.of("dba", "security"), true),
                new Case("configured approver, wrong group", "sam", "agent-7", null, Set.of("dba"), false),
                new Case("not configured at all", "mallory", "agent-7", null, Set.of("dba"), false),
                new Case("no groups named: any configured approver", "sam", "agent-7", null, Set.of(), true),
                new Case("no groups named: unknown person", "mallory", "agent-7", null, Set.of(), false),
                new Case("requester in the group approving own request", "alice", "alice", null, Set.of("dba"), false),
                new Case("human an agent acts for, in the group", "bob", "agent-7", "bob", Set.of("dba"), false),
                new Case("acting-for human, no groups named", "alice", "agent-7", "alice", Set.of(), false),
                new Case("group named in the rule but missing from the policy", "bob", "agent-7", null, Set.of("ghosts"), false))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> assertEquals(c.eligible(),
                        a.check(c.approver(), c.principal(), c.actingFor(), c.groups()) instanceof Approvers.Eligible)));
    }
}
