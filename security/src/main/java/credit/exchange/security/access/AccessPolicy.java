package credit.exchange.security.access;

import credit.exchange.security.Classification;
import credit.exchange.security.ErrorCode;

/**
 * The single place where the node decides who may read which class of credit data. Every
 * read path (local API, CLI, partner queries) asks this policy; nothing else decides.
 *
 * <p>Current rules: the operator reads every class in full; an unauthenticated API client reads
 * class A (public) with public disclosure only. A partner node reads what its configuration
 * grants: the classes and datasets named there, class A with public disclosure; class B still
 * needs the subject's authorisation for each query, which no partner can present yet; class C
 * needs a sharing agreement for the dataset, read in full under it.
 */
public final class AccessPolicy {

    /** The decision for one dataset (record category) of the given class. */
    public AccessDecision decide(Caller caller, Classification classification, String dataset) {
        return switch (caller.kind()) {
            case OPERATOR -> new AccessDecision.Allow(Disclosure.FULL);
            case ANONYMOUS -> byClass(classification);
            case PARTNER -> forPartner(caller.grant(), classification, dataset);
        };
    }

    private static AccessDecision forPartner(PartnerGrant grant, Classification classification, String dataset) {
        if (!grant.classes().contains(classification)) {
            return new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED);
        }
        if (!grant.datasets().isEmpty() && !grant.datasets().contains(dataset)) {
            return new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED);
        }
        if (classification == Classification.C) {
            return grant.sharingAgreements().containsKey(dataset) ? new AccessDecision.Allow(Disclosure.FULL)
                    : new AccessDecision.Deny(ErrorCode.E_SHARING_AGREEMENT_REQUIRED);
        }
        return byClass(classification);
    }

    private static AccessDecision byClass(Classification classification) {
        return switch (classification) {
            case A -> new AccessDecision.Allow(Disclosure.PUBLIC);
            case B -> new AccessDecision.Deny(ErrorCode.E_AUTHORIZATION_REQUIRED);
            case C -> new AccessDecision.Deny(ErrorCode.E_SHARING_AGREEMENT_REQUIRED);
        };
    }
}
