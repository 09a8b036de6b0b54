package credit.exchange.security.access;

import credit.exchange.security.ErrorCode;

/** The answer of {@link AccessPolicy}: allow with a disclosure level, or deny with a reason code. */
public sealed interface AccessDecision {

    record Allow(Disclosure disclosure) implements AccessDecision {
    }

    record Deny(ErrorCode code) implements AccessDecision {
    }

    default boolean allowed() {
        return this instanceof Allow;
    }
}
