package credit.exchange.security.access;

import credit.exchange.security.Classification;
import credit.exchange.security.ErrorCode;

/**
 * The single place where the node decides who may read which class of credit data. Every
 * read path (local API, CLI, and later partner queries) asks this policy; nothing else decides.
 *
 * <p>Current rules: the operator reads every class in full; an unauthenticated API client reads
 * class A (public) with public disclosure only. Class B needs a subject authorisation and class
 * C a sharing agreement, neither of which an unauthenticated client can present.
 */
public final class AccessPolicy {

    public AccessDecision decide(Caller caller, Classification classification) {
        if (caller.kind() == Caller.Kind.OPERATOR) {
            return new AccessDecision.Allow(Disclosure.FULL);
        }
        return switch (classification) {
            case A -> new AccessDecision.Allow(Disclosure.PUBLIC);
            case B -> new AccessDecision.Deny(ErrorCode.E_AUTHORIZATION_REQUIRED);
            case C -> new AccessDecision.Deny(ErrorCode.E_SHARING_AGREEMENT_REQUIRED);
        };
    }
}
