package dev.gatehouse.approvals.people;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who may vote, from the policy's {@code approvers:} section (group → member names). Immutable; any thread.
 */
public final class Approvers {
    private final Map<String, Set<String>> groups;
    private final Set<String> everyone;

    public Approvers(Map<String, List<String>> groups) {
        Map<String, Set<String>> g = new TreeMap<>();
        Set<String> all = new TreeSet<>();
        groups.forEach((name, members) -> {
            g.put(name, Set.copyOf(members));
            all.addAll(members);
        });
        this.groups = Map.copyOf(g);
        this.everyone = Set.copyOf(all);
    }

    /** The verdict on one would-be voter. A closed set. */
    public sealed interface Eligibility permits Eligible, NotEligible {
    }

    public record Eligible() implements Eligibility {
    }

    /** @param reason shown to the voter with the 403 */
    public record NotEligible(String reason) implements Eligibility {
    }

    /**
     * May {@code approver} vote on a request by {@code principal} (acting for {@code actingFor}) that names
     * {@code requiredGroups}? The requester and the human an agent acts for never may, whatever their groups.
     */
    public Eligibility check(String approver, String principal, String actingFor, Set<String> requiredGroups) {
        if (approver.equals(principal)) {
            return new NotEligible(approver + " requested this statement and cannot approve their own request");
        }
        if (approver.equals(actingFor)) {
            return new NotEligible("the agent " + principal + " acts for " + approver
                    + ", who cannot approve their own request");
        }
        if (requiredGroups.isEmpty()) {
            return everyone.contains(approver) ? new Eligible()
                    : new NotEligible(approver + " is not a configured approver");
        }
        for (String group : requiredGroups) {
            Set<String> members = groups.get(group);
            if (members != null && members.contains(approver)) {
                return new Eligible();
            }
        }
        return new NotEligible(approver + " is not in any of the groups " + new TreeSet<>(requiredGroups));
    }

    public boolean isConfigured(String approver) {
        return everyone.contains(approver);
    }
}
