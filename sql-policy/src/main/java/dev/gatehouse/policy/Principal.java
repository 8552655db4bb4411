package dev.gatehouse.policy;

import java.util.Objects;

/**
 * Who submits a statement: a person, a service or an AI agent, optionally acting for a human (so an
 * approval request can name the person behind an agent). Policies match {@code principals} globs against
 * {@link #name()} only: acting for someone never widens what the submitter itself may do.
 *
 * @param name      the submitting identity, never blank
 * @param actingFor the human this principal works for, or null
 */
public record Principal(String name, String actingFor) {
    /** The principal of a submission that names none. Rules for {@code "*"} still match it. */
    public static final Principal ANONYMOUS = new Principal("anonymous", null);

    public Principal {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a principal's name must not be blank");
        }
    }

    public static Principal of(String name) {
        return new Principal(name, null);
    }
}
