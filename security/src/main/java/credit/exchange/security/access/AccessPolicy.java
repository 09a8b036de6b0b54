package credit.exchange.security.access;

import credit.exchange.security.Classification;
import credit.exchange.security.ErrorCode;
import java.util.Map;
import java.util.Optional;

/**
 * The single place where the node decides who may read which class of credit data. Every
 * read path (local API, CLI, partner queries) asks this policy; nothing else decides.
 *
 * <p>The operator reads every class in full; an unauthenticated API client reads class A with
 * public disclosure only, and is told to sign in (E_TOKEN_MISSING) for anything else. A partner node, a person or a platform reads what its grant allows (a
 * partner's configuration; a person's or platform's realm roles, {@link Caller#of}): the classes
 * and datasets named there, class A with public disclosure; class B with the data subject's
 * authorisation for the query — the subject's, granted to this caller, for this purpose and
 * dataset, valid and not revoked, each failure with its own code; class C under a sharing
 * agreement for the dataset, to government departments only.
 *
 * <p>Every allow carries its field filter ({@link Disclosure}): the operator sees every field;
 * class A is shown with personal data masked (natural persons' names; the representative's ID);
 * what a class B or C reader sees is configured per dataset, and a dataset without a configured
 * disclosure shows no more than class A would (minimum disclosure by default).
 */
public final class AccessPolicy {

    private final Map<String, Disclosure> configured;

    /** A policy without configured disclosures: class B and C datasets show what class A would. */
    public AccessPolicy() {
        this(Map.of());
    }

    /** @param configured what readers of each class B or C dataset see, by dataset */
    public AccessPolicy(Map<String, Disclosure> configured) {
        this.configured = Map.copyOf(configured);
    }

    /** What a reader other than the operator sees of an allowed record of this dataset. */
    public Disclosure disclosure(Classification classification, String dataset) {
        return classification == Classification.A ? Disclosure.PUBLIC : configured.getOrDefault(dataset, Disclosure.PUBLIC);
    }

    /** The decision for one dataset (record category) of the given class, for a query that relies on no authorisation. */
    public AccessDecision decide(Caller caller, Classification classification, String dataset) {
        return decide(caller, classification, dataset, Optional.empty());
    }

    /** The decision for one dataset of the given class, for a query with its context (subject, purpose, authorisation). */
    public AccessDecision decide(Caller caller, Classification classification, String dataset, AccessContext context) {
        return decide(caller, classification, dataset, Optional.of(context));
    }

    private AccessDecision decide(Caller caller, Classification classification, String dataset,
                                         Optional<AccessContext> context) {
        return switch (caller.kind()) {
            case OPERATOR -> new AccessDecision.Allow(Disclosure.FULL);
            case ANONYMOUS -> classification == Classification.A ? new AccessDecision.Allow(Disclosure.PUBLIC)
                    : new AccessDecision.Deny(ErrorCode.E_TOKEN_MISSING); // not public: sign in first
            case PARTNER, PERSON, PLATFORM -> granted(caller, classification, dataset, context);
            case SCRAPER -> new AccessDecision.Deny(ErrorCode.E_ROLE_REQUIRED); // reads metrics, never records
        };
    }

    private AccessDecision granted(Caller caller, Classification classification, String dataset,
                                          Optional<AccessContext> context) {
        PartnerGrant grant = caller.grant();
        if (!grant.classes().contains(classification)) {
            return new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED);
        }
        if (!grant.datasets().isEmpty() && !grant.datasets().contains(dataset)) {
            return new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED);
        }
        return switch (classification) {
            case A -> new AccessDecision.Allow(Disclosure.PUBLIC);
            case B -> authorised(caller, dataset, context);
            case C -> grant.sharingAgreements().containsKey(dataset) ? new AccessDecision.Allow(disclosure(classification, dataset))
                    : new AccessDecision.Deny(ErrorCode.E_SHARING_AGREEMENT_REQUIRED);
        };
    }

    /**
     * The decision for records a partner answered to this node, before they are shown to the
     * local caller who asked (a mutual query): the partner decided what this node may read —
     * class B on the subject's authorisation granted to this node, which the partner checked —
     * and this decides who here sees it. The operator sees all; the anonymous public class A;
     * a person or platform the classes and datasets its roles grant, class C only under a
     * sharing agreement for the dataset. Nothing more is shown than the partner disclosed.
     */
    public AccessDecision decideRelayed(Caller caller, Classification classification, String dataset) {
        if (caller.kind() == Caller.Kind.PARTNER) {
            return new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED);
        }
        if (classification != Classification.B || caller.kind() != Caller.Kind.PERSON && caller.kind() != Caller.Kind.PLATFORM) {
            return decide(caller, classification, dataset);
        }
        // class B: the partner checked the subject's authorisation; here the caller needs the class and dataset
        PartnerGrant grant = caller.grant();
        return grant.classes().contains(Classification.B) && (grant.datasets().isEmpty() || grant.datasets().contains(dataset))
                ? new AccessDecision.Allow(disclosure(Classification.B, dataset)) : new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED);
    }

    /**
     * Who may register a data subject's authorisation for a grantee: a person who vouches for the
     * evidence of the subject's consent — the registrar (授权登记) or operator realm role — for a
     * grantee other than their own department. Never the grantee for itself: a reader that could
     * register its own authorisations would need no consent at all. The anonymous public is asked
     * to sign in (E_TOKEN_MISSING), a registrar for its own department refused with
     * E_AUTHORIZATION_GRANTEE, anyone else with E_ROLE_REQUIRED.
     */
    public AccessDecision mayRegisterAuthorisation(Caller caller, String grantee) {
        if (caller.kind() == Caller.Kind.ANONYMOUS) {
            return new AccessDecision.Deny(ErrorCode.E_TOKEN_MISSING);
        }
        if (!caller.duties().contains(Caller.Duty.REGISTER) && !caller.duties().contains(Caller.Duty.OPERATE)) {
            return new AccessDecision.Deny(ErrorCode.E_ROLE_REQUIRED);
        }
        return caller.grantee().filter(g -> g.equals(grantee)).isPresent() ? new AccessDecision.Deny(ErrorCode.E_AUTHORIZATION_GRANTEE)
                : new AccessDecision.Allow(Disclosure.FULL);
    }

    /**
     * Who may read or revoke a registered authorisation: the registrar and the operator, for any
     * grantee; a person or platform that reads class B, for the authorisations granted to itself
     * (a grantee may give up what it was granted). Nobody else (E_NOT_GRANTED).
     */
    public AccessDecision mayManageAuthorisation(Caller caller, String grantee) {
        if (caller.kind() == Caller.Kind.ANONYMOUS) {
            return new AccessDecision.Deny(ErrorCode.E_TOKEN_MISSING);
        }
        if (caller.duties().contains(Caller.Duty.OPERATE) || caller.duties().contains(Caller.Duty.REGISTER)) {
            return new AccessDecision.Allow(Disclosure.FULL);
        }
        boolean readsB = (caller.kind() == Caller.Kind.PERSON || caller.kind() == Caller.Kind.PLATFORM)
                && caller.grant().classes().contains(Classification.B);
        return readsB && caller.grantee().filter(g -> g.equals(grantee)).isPresent()
                ? new AccessDecision.Allow(Disclosure.FULL) : new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED);
    }

    /** Class B: the query relies on an authorisation of this subject, to this caller, for this purpose and dataset, in force. */
    private AccessDecision authorised(Caller caller, String dataset, Optional<AccessContext> context) {
        Optional<SubjectAuthorisation> presented = context.flatMap(AccessContext::authorisation);
        if (presented.isEmpty()) {
            return new AccessDecision.Deny(ErrorCode.E_AUTHORIZATION_REQUIRED);
        }
        SubjectAuthorisation a = presented.get();
        AccessContext query = context.get();
        ErrorCode refusal = !a.subject().equals(query.subject()) ? ErrorCode.E_AUTHORIZATION_SUBJECT
                : caller.grantee().filter(a.grantee()::equals).isEmpty() ? ErrorCode.E_AUTHORIZATION_GRANTEE
                : a.revokedAt().filter(r -> !r.isAfter(query.at())).isPresent() ? ErrorCode.E_AUTHORIZATION_REVOKED
                : query.at().isBefore(a.validFrom()) || !query.at().isBefore(a.validUntil()) ? ErrorCode.E_AUTHORIZATION_EXPIRED
                : !a.purpose().equals(query.purpose()) ? ErrorCode.E_AUTHORIZATION_PURPOSE
                : !a.datasets().contains(dataset) ? ErrorCode.E_AUTHORIZATION_DATASET
                : null;
        return refusal == null ? new AccessDecision.Allow(disclosure(Classification.B, dataset)) : new AccessDecision.Deny(refusal);
    }
}
