package dev.gatehouse.policy;

/**
 * A policy (or policy test) file that cannot be used. The message always starts with
 * {@code file:line:column: field.path:} so an editor can jump to the problem, e.g.
 * {@code policy.yaml:7:9: rules[1].match.kindz: unknown field (expected one of kinds, ...)}.
 */
public final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
