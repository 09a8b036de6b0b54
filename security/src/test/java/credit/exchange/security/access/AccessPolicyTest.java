package credit.exchange.security.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.Classification;
import credit.exchange.security.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccessPolicyTest {

    private final AccessPolicy policy = new AccessPolicy();

    @ParameterizedTest
    @EnumSource(Classification.class)
    void operator_readsEveryClass_withFullDisclosure(Classification classification) {
        AccessDecision decision = policy.decide(Caller.operator(), classification);

        assertTrue(decision.allowed());
        assertEquals(new AccessDecision.Allow(Disclosure.FULL), decision);
    }

    @Test
    void anonymous_readsClassA_withPublicDisclosure() {
        AccessDecision decision = policy.decide(Caller.anonymous(), Classification.A);

        assertTrue(decision.allowed());
        assertEquals(new AccessDecision.Allow(Disclosure.PUBLIC), decision);
    }

    @Test
    void anonymous_classB_isDeniedWithE_AUTHORIZATION_REQUIRED() {
        AccessDecision decision = policy.decide(Caller.anonymous(), Classification.B);

        assertFalse(decision.allowed());
        assertEquals(new AccessDecision.Deny(ErrorCode.E_AUTHORIZATION_REQUIRED), decision);
    }

    @Test
    void anonymous_classC_isDeniedWithE_SHARING_AGREEMENT_REQUIRED() {
        AccessDecision decision = policy.decide(Caller.anonymous(), Classification.C);

        assertFalse(decision.allowed());
        assertEquals(new AccessDecision.Deny(ErrorCode.E_SHARING_AGREEMENT_REQUIRED), decision);
    }

    @Test
    void denialCodes_areForbiddenAnswers() {
        assertEquals(403, ErrorCode.E_AUTHORIZATION_REQUIRED.httpStatus());
        assertEquals(403, ErrorCode.E_SHARING_AGREEMENT_REQUIRED.httpStatus());
    }
}
