package dev.gatehouse.policy;

/** What a rule asks for. Declared from least to most strict: the strictest of all matching rules wins. */
public enum Action {
    ALLOW, REVIEW, DENY;

    public Action strictest(Action other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
