package dev.gatehouse.approvals.people;

import dev.gatehouse.approvals.ApprovalRequest;
import dev.gatehouse.approvals.people.TokenStore.Credential;
import dev.gatehouse.approvals.people.TokenStore.Person;
import dev.gatehouse.approvals.people.TokenStore.Requester;

/**
 * Who sees which requests through the API, the page and the CLI:
 * <ul>
 *   <li>an approver: the requests they may vote on, in every state (so their history too), and their own
 *       (where they are the requester or the human an agent acts for);</li>
 *   <li>an admin: every request;</li>
 *   <li>a requester credential: the requests of the principals it is scoped to.</li>
 * </ul>
 * Bound values (which can be the very data a rule protects) are shown only to those who may vote on the request
 * and to the person who asked; everyone else sees how many there are. The statement text is shown to whoever
 * sees the request. Eligibility is the policy's ({@link Approvers#check}), as for a vote.
 *
 * <p>Threads: stateless; any thread.
 */
public final class Visibility {
    private Visibility() {
    }

    public static boolean sees(Credential who, ApprovalRequest r, Approvers approvers) {
        return switch (who) {
            case Person p -> p.admin() || mayVote(p, r, approvers) || asked(p, r);
            case Requester q -> q.actsFor(r.principal());
        };
    }

    public static boolean seesValues(Credential who, ApprovalRequest r, Approvers approvers) {
        return switch (who) {
            case Person p -> mayVote(p, r, approvers) || asked(p, r);
            case Requester q -> false;
        };
    }

    /** Eligible by the policy's groups, and not the requester (whatever the request's state). */
    public static boolean mayVote(Person p, ApprovalRequest r, Approvers approvers) {
        return approvers.check(p.name(), r.principal(), r.actingFor(), r.approverGroups()) instanceof Approvers.Eligible;
    }

    private static boolean asked(Person p, ApprovalRequest r) {
        return Approvers.samePerson(p.name(), r.principal()) || Approvers.samePerson(p.name(), r.actingFor());
    }
}
