package dev.gatehouse.approvals.people;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
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
        if (samePerson(approver, principal)) {
            return new NotEligible(approver + " requested this statement and cannot approve their own request");
        }
        if (samePerson(approver, actingFor)) {
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

    /**
     * Whether two names may be one person. Requester names come from database users, URL settings and startup
     * packets that fold or pad differently from approver names ({@code Alice}, {@code alice }, full-width
     * letters), so self-approval is refused on a loose match: Unicode compatibility form, trimmed, case folded.
     * Loose only in this direction: it can refuse a vote, never grant one.
     */
    static boolean samePerson(String approver, String requester) {
        if (requester == null) {
            return false;
        }
        return fold(approver).equals(fold(requester));
    }

    private static String fold(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT).toUpperCase(Locale.ROOT);
    }

    public boolean isConfigured(String approver) {
        return everyone.contains(approver);
    }
}
