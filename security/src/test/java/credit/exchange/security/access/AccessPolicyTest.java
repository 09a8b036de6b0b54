package credit.exchange.security.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.Classification;
import credit.exchange.security.ErrorCode;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccessPolicyTest {

    private final AccessPolicy policy = new AccessPolicy();

    @ParameterizedTest
    @EnumSource(Classification.class)
    void operator_readsEveryClass_withFullDisclosure(Classification classification) {
        AccessDecision decision = policy.decide(Caller.operator(), classification, "any");

        assertTrue(decision.allowed());
        assertEquals(new AccessDecision.Allow(Disclosure.FULL), decision);
    }

    @Test
    void anonymous_readsClassA_withPublicDisclosure() {
        AccessDecision decision = policy.decide(Caller.anonymous(), Classification.A, "penalty");

        assertTrue(decision.allowed());
        assertEquals(new AccessDecision.Allow(Disclosure.PUBLIC), decision);
    }

    @Test
    void anonymous_classesBAndC_areDeniedWithE_TOKEN_MISSING_aSignInPrompt() {
        assertEquals(new AccessDecision.Deny(ErrorCode.E_TOKEN_MISSING), policy.decide(Caller.anonymous(), Classification.B, "tax"));
        assertEquals(new AccessDecision.Deny(ErrorCode.E_TOKEN_MISSING),
                policy.decide(Caller.anonymous(), Classification.C, "social-insurance"));
        assertEquals(new AccessDecision.Deny(ErrorCode.E_TOKEN_MISSING), policy.mayManageAuthorisation(Caller.anonymous(), "anyone"));
        assertEquals(401, ErrorCode.E_TOKEN_MISSING.httpStatus());
    }

    @Test
    void partner_readsOnlyTheClassesItsConfigurationGrants() {
        Caller huzhou = Caller.partner("huzhou", new PartnerGrant(Set.of(Classification.A), Set.of(), Map.of()));

        assertEquals(new AccessDecision.Allow(Disclosure.PUBLIC), policy.decide(huzhou, Classification.A, "penalty"));
        assertEquals(new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED), policy.decide(huzhou, Classification.B, "tax"));
        assertEquals(new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED), policy.decide(huzhou, Classification.C, "social-insurance"));
    }

    @Test
    void partner_withDatasets_readsOnlyThoseDatasets() {
        Caller province = Caller.partner("zhejiang", new PartnerGrant(Set.of(Classification.A), Set.of("licensing"), Map.of()));

        assertTrue(policy.decide(province, Classification.A, "licensing").allowed());
        assertEquals(new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED), policy.decide(province, Classification.A, "penalty"));
    }

    @Test
    void partner_grantedClassB_stillNeedsTheSubjectsAuthorisation() {
        Caller province = Caller.partner("zhejiang", new PartnerGrant(Set.of(Classification.A, Classification.B), Set.of(), Map.of()));

        assertEquals(new AccessDecision.Deny(ErrorCode.E_AUTHORIZATION_REQUIRED), policy.decide(province, Classification.B, "tax"));
    }

    @Test
    void partner_readsClassC_asConfiguredForTheDataset_onlyWhereASharingAgreementCoversIt() {
        Caller department = Caller.partner("zhejiang", new PartnerGrant(Set.of(Classification.C), Set.of(),
                Map.of("social-insurance", "ZJ-2026-017")));

        Disclosure shown = Disclosure.configured(Set.of("partyName", "content"), Set.of());
        AccessPolicy configured = new AccessPolicy(Map.of("social-insurance", shown));

        assertEquals(new AccessDecision.Allow(shown), configured.decide(department, Classification.C, "social-insurance"));
        assertEquals(new AccessDecision.Allow(Disclosure.PUBLIC), policy.decide(department, Classification.C, "social-insurance"),
                "without a configured disclosure: no more than class A shows");
        assertEquals(new AccessDecision.Deny(ErrorCode.E_SHARING_AGREEMENT_REQUIRED),
                policy.decide(department, Classification.C, "other-shared-dataset"));
    }

    @Test
    void denialCodes_areForbiddenAnswers() {
        assertEquals(403, ErrorCode.E_AUTHORIZATION_REQUIRED.httpStatus());
        assertEquals(403, ErrorCode.E_SHARING_AGREEMENT_REQUIRED.httpStatus());
        assertEquals(403, ErrorCode.E_NOT_GRANTED.httpStatus());
    }
}
