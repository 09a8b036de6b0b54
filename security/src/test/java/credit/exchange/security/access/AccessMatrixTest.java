package credit.exchange.security.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import credit.exchange.security.Classification;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.auth.BearerIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision point as a matrix: kinds of caller (people by their realm roles, a platform, partner
 * nodes, anonymous, the operator) × classes × the state of the data subject's authorisation ×
 * datasets, each cell with the one decision it must give. The expectations are written out per
 * row, not computed by a second copy of the policy.
 */
class AccessMatrixTest {

    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");
    private static final String SUBJECT = "91330100716105852F";
    private static final String DEPARTMENT = "11330100002493622M";
    private static final String PURPOSE = "tender review";
    private static final Allow PUBLIC = new Allow(Disclosure.PUBLIC);
    private static final Allow FULL = new Allow(Disclosure.FULL);

    /** What readers of class B and C see of dataset "penalty", as a node configures it. */
    private static final Disclosure PENALTY_SHOWN = Disclosure.configured(Set.of("partyName", "decisionDate", "content"), Set.of("CF_JE"));
    private static final Allow CONFIGURED = new Allow(PENALTY_SHOWN);

    private static final AccessPolicy POLICY = new AccessPolicy(Map.of("penalty", PENALTY_SHOWN));

    /** Expected decisions, as the matrix writes them. */
    private sealed interface Expected permits Allow, Deny {
    }

    private record Allow(Disclosure disclosure) implements Expected {
    }

    private record Deny(ErrorCode code) implements Expected {
    }

    private static Deny deny(ErrorCode code) {
        return new Deny(code);
    }

    /** The states of the authorisation a class B query relies on. */
    enum AuthorisationState { NONE, VALID, EXPIRED, NOT_YET_VALID, REVOKED, OTHER_GRANTEE, OTHER_PURPOSE, OTHER_DATASET, OTHER_SUBJECT }

    private static Optional<SubjectAuthorisation> authorisation(AuthorisationState state, String grantee) {
        Instant from = NOW.minus(Duration.ofDays(10));
        Instant until = NOW.plus(Duration.ofDays(10));
        return switch (state) {
            case NONE -> Optional.empty();
            case VALID -> Optional.of(new SubjectAuthorisation("a1", SUBJECT, grantee, PURPOSE, Set.of("penalty"), from, until, Optional.empty()));
            case EXPIRED -> Optional.of(new SubjectAuthorisation("a2", SUBJECT, grantee, PURPOSE, Set.of("penalty"), from,
                    NOW.minusSeconds(1), Optional.empty()));
            case NOT_YET_VALID -> Optional.of(new SubjectAuthorisation("a3", SUBJECT, grantee, PURPOSE, Set.of("penalty"),
                    NOW.plusSeconds(60), until, Optional.empty()));
            case REVOKED -> Optional.of(new SubjectAuthorisation("a4", SUBJECT, grantee, PURPOSE, Set.of("penalty"), from, until,
                    Optional.of(NOW.minusSeconds(60))));
            case OTHER_GRANTEE -> Optional.of(new SubjectAuthorisation("a5", SUBJECT, "someone-else", PURPOSE, Set.of("penalty"), from,
                    until, Optional.empty()));
            case OTHER_PURPOSE -> Optional.of(new SubjectAuthorisation("a6", SUBJECT, grantee, "marketing", Set.of("penalty"), from,
                    until, Optional.empty()));
            case OTHER_DATASET -> Optional.of(new SubjectAuthorisation("a7", SUBJECT, grantee, PURPOSE, Set.of("licensing"), from,
                    until, Optional.empty()));
            case OTHER_SUBJECT -> Optional.of(new SubjectAuthorisation("a8", "914403001922038216", grantee, PURPOSE,
                    Set.of("penalty"), from, until, Optional.empty()));
        };
    }

    private static Caller person(String name, Optional<String> department, String... roles) {
        return Caller.of(new BearerIdentity("id-" + name, name, "officer-console", Set.of(roles), department, NOW.plusSeconds(300)));
    }

    private static Caller platform(String... roles) {
        return Caller.of(new BearerIdentity("id-province", "service-account-zhejiang-platform", "zhejiang-platform", Set.of(roles),
                Optional.empty(), NOW.plusSeconds(300)));
    }

    /** What each kind of caller gets for class A, B (by authorisation state) and C, on dataset "penalty". */
    static Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        Caller publicReader = person("public-reader", Optional.empty(), "reader-public");
        Caller authorisedReader = person("authorised-reader", Optional.of(DEPARTMENT), "reader-public", "reader-authorised");
        Caller departmentReader = person("department-reader", Optional.of(DEPARTMENT), "reader-public", "reader-shared",
                "agreement-penalty");
        Caller sharedWithoutAgreement = person("no-agreement", Optional.of(DEPARTMENT), "reader-public", "reader-shared");
        Caller sharedWithoutDepartment = person("no-department", Optional.empty(), "reader-public", "reader-shared",
                "agreement-penalty");
        Caller noRoles = person("nobody", Optional.of(DEPARTMENT));
        Caller province = platform("reader-public", "reader-authorised");
        Caller provinceWithShared = platform("reader-public", "reader-shared", "agreement-penalty");
        Caller partnerAb = Caller.partner("huzhou", new PartnerGrant(Set.of(Classification.A, Classification.B), Set.of(), Map.of()));
        Caller partnerAbc = Caller.partner("zhejiang", new PartnerGrant(Set.of(Classification.A, Classification.B, Classification.C),
                Set.of(), Map.of("penalty", "ZJ-2025-007")));
        Caller partnerOtherDataset = Caller.partner("jiaxing", new PartnerGrant(Set.of(Classification.A), Set.of("licensing"), Map.of()));

        Deny notGranted = deny(ErrorCode.E_NOT_GRANTED);
        Deny needsAgreement = deny(ErrorCode.E_SHARING_AGREEMENT_REQUIRED);
        // caller, A, C
        Object[][] ac = {
                {Caller.operator(), FULL, FULL},
                {Caller.anonymous(), PUBLIC, deny(ErrorCode.E_TOKEN_MISSING)},
                {noRoles, notGranted, notGranted},
                {publicReader, PUBLIC, notGranted},
                {authorisedReader, PUBLIC, notGranted},
                {departmentReader, PUBLIC, CONFIGURED},
                {sharedWithoutAgreement, PUBLIC, needsAgreement},
                {sharedWithoutDepartment, PUBLIC, notGranted},
                {province, PUBLIC, notGranted},
                {provinceWithShared, PUBLIC, notGranted},
                {partnerAb, PUBLIC, notGranted},
                {partnerAbc, PUBLIC, CONFIGURED},
                {partnerOtherDataset, notGranted, notGranted},
        };
        for (Object[] row : ac) {
            Caller caller = (Caller) row[0];
            rows.add(Arguments.of(caller.name(), caller, Classification.A, AuthorisationState.NONE, row[1]));
            rows.add(Arguments.of(caller.name(), caller, Classification.C, AuthorisationState.NONE, row[2]));
        }
        // class B: only callers granted B, and only with the subject's valid authorisation to them
        Map<AuthorisationState, Expected> forGranted = Map.of(
                AuthorisationState.NONE, deny(ErrorCode.E_AUTHORIZATION_REQUIRED),
                AuthorisationState.VALID, CONFIGURED,
                AuthorisationState.EXPIRED, deny(ErrorCode.E_AUTHORIZATION_EXPIRED),
                AuthorisationState.NOT_YET_VALID, deny(ErrorCode.E_AUTHORIZATION_EXPIRED),
                AuthorisationState.REVOKED, deny(ErrorCode.E_AUTHORIZATION_REVOKED),
                AuthorisationState.OTHER_GRANTEE, deny(ErrorCode.E_AUTHORIZATION_GRANTEE),
                AuthorisationState.OTHER_PURPOSE, deny(ErrorCode.E_AUTHORIZATION_PURPOSE),
                AuthorisationState.OTHER_DATASET, deny(ErrorCode.E_AUTHORIZATION_DATASET),
                AuthorisationState.OTHER_SUBJECT, deny(ErrorCode.E_AUTHORIZATION_SUBJECT));
        for (AuthorisationState state : AuthorisationState.values()) {
            for (Caller granted : List.of(authorisedReader, province, partnerAb, partnerAbc)) {
                rows.add(Arguments.of(granted.name(), granted, Classification.B, state, forGranted.get(state)));
            }
            for (Caller notB : List.of(noRoles, publicReader, departmentReader, provinceWithShared, partnerOtherDataset)) {
                rows.add(Arguments.of(notB.name(), notB, Classification.B, state, notGranted));
            }
            rows.add(Arguments.of("operator", Caller.operator(), Classification.B, state, FULL));
            rows.add(Arguments.of("anonymous", Caller.anonymous(), Classification.B, state, deny(ErrorCode.E_TOKEN_MISSING)));
        }
        return rows.stream();
    }

    @Test
    void aClassBOrCDatasetWithoutConfiguredDisclosure_showsNoMoreThanClassA() {
        Caller department = person("department-reader", Optional.of(DEPARTMENT), "reader-shared", "agreement-fines");
        assertEquals(new AccessDecision.Allow(Disclosure.PUBLIC), POLICY.decide(department, Classification.C, "fines"));
        assertEquals(new AccessDecision.Allow(PENALTY_SHOWN), POLICY.decide(
                person("department-reader", Optional.of(DEPARTMENT), "reader-shared", "agreement-penalty"), Classification.C, "penalty"));
        assertEquals(Disclosure.PUBLIC, POLICY.disclosure(Classification.A, "penalty"), "class A is always shown as public");
    }

    @Test
    void authorisationsAreManaged_byTheOperator_orByAClassBReaderForItselfOnly() {
        Caller officer = person("officer", Optional.of(DEPARTMENT), "reader-public", "reader-authorised");
        Caller province = platform("reader-public", "reader-authorised");
        Caller publicReader = person("public-reader", Optional.of(DEPARTMENT), "reader-public");
        Caller partner = Caller.partner("huzhou", new PartnerGrant(Set.of(Classification.B), Set.of(), Map.of()));
        assertEquals(true, POLICY.mayManageAuthorisation(Caller.operator(), "anyone").allowed());
        assertEquals(true, POLICY.mayManageAuthorisation(officer, DEPARTMENT).allowed());
        assertEquals(false, POLICY.mayManageAuthorisation(officer, "another-department").allowed());
        assertEquals(true, POLICY.mayManageAuthorisation(province, "zhejiang-platform").allowed());
        assertEquals(false, POLICY.mayManageAuthorisation(province, DEPARTMENT).allowed());
        assertEquals(new AccessDecision.Deny(ErrorCode.E_NOT_GRANTED), POLICY.mayManageAuthorisation(publicReader, DEPARTMENT));
        assertEquals(false, POLICY.mayManageAuthorisation(partner, "huzhou").allowed(), "a partner registers at its own node");
        assertEquals(false, POLICY.mayManageAuthorisation(Caller.anonymous(), "anyone").allowed());
        Caller nodeOperator = person("node-operator", Optional.empty(), "operator");
        assertEquals(true, POLICY.mayManageAuthorisation(nodeOperator, "huzhou").allowed(), "the operator role registers for partners");
        assertEquals(false, POLICY.decide(nodeOperator, Classification.A, "penalty").allowed(), "operating the node reads no record");
        assertEquals(false, POLICY.mayManageAuthorisation(person("officer", Optional.empty(), "auditor"), "huzhou").allowed());
    }

    @Test
    void onlyTheAuditorRole_readsTheAuditTrail_throughItsDoors() {
        for (DoorPolicy.Door door : DoorPolicy.DOORS) {
            if (!door.routeId().startsWith("audit-")) {
                continue;
            }
            assertEquals(true, DoorPolicy.admit(door.routeId(), person("officer", Optional.empty(), "auditor")).allowed());
            assertEquals(new AccessDecision.Deny(ErrorCode.E_TOKEN_MISSING), DoorPolicy.admit(door.routeId(), Caller.anonymous()));
            for (Caller other : List.of(person("node-operator", Optional.empty(), "operator"),
                    person("department-reader", Optional.of(DEPARTMENT), "reader-public", "reader-authorised", "reader-shared"),
                    platform("reader-public", "reader-authorised", "reader-shared", "auditor"), Caller.scraper())) {
                assertEquals(new AccessDecision.Deny(ErrorCode.E_ROLE_REQUIRED), DoorPolicy.admit(door.routeId(), other), other.name());
            }
        }
    }

    @Test
    void thePartnersStatus_isReadByOperatorsAndAuditors_only() {
        assertEquals(true, DoorPolicy.admit("partners-status", person("node-operator", Optional.empty(), "operator")).allowed());
        assertEquals(true, DoorPolicy.admit("partners-status", person("officer", Optional.empty(), "auditor")).allowed());
        assertEquals(new AccessDecision.Deny(ErrorCode.E_TOKEN_MISSING), DoorPolicy.admit("partners-status", Caller.anonymous()));
        for (Caller other : List.of(person("department-reader", Optional.of(DEPARTMENT), "reader-public", "reader-authorised", "reader-shared",
                "importer", "registrar"), platform("reader-public", "reader-authorised", "reader-shared"), Caller.scraper())) {
            assertEquals(new AccessDecision.Deny(ErrorCode.E_ROLE_REQUIRED), DoorPolicy.admit("partners-status", other), other.name());
        }
    }

    @Test
    void registering_vouchesForConsent_byARegistrarOrOperator_neverForItsOwnDepartment() {
        Caller registrar = person("registrar", Optional.of(DEPARTMENT), "registrar");
        assertEquals(true, POLICY.mayRegisterAuthorisation(registrar, "another-department").allowed());
        assertEquals(new AccessDecision.Deny(ErrorCode.E_AUTHORIZATION_GRANTEE), POLICY.mayRegisterAuthorisation(registrar, DEPARTMENT));
        assertEquals(true, POLICY.mayRegisterAuthorisation(person("node-operator", Optional.empty(), "operator"), "huzhou").allowed());
        assertEquals(new AccessDecision.Deny(ErrorCode.E_ROLE_REQUIRED), POLICY.mayRegisterAuthorisation(
                person("officer", Optional.of(DEPARTMENT), "reader-public", "reader-authorised"), DEPARTMENT), "a reader never for itself");
        assertEquals(new AccessDecision.Deny(ErrorCode.E_ROLE_REQUIRED), POLICY.mayRegisterAuthorisation(
                platform("reader-public", "reader-authorised"), "zhejiang-platform"), "a platform never for itself");
        assertEquals(new AccessDecision.Deny(ErrorCode.E_TOKEN_MISSING), POLICY.mayRegisterAuthorisation(Caller.anonymous(), "anyone"));
    }

    @ParameterizedTest(name = "{0} reads class {2} with authorisation {3}: {4}")
    @MethodSource("matrix")
    void everyCellOfTheMatrix_hasItsOneDecision(String name, Caller caller, Classification classification,
                                                 AuthorisationState state, Expected expected) {
        String grantee = caller.grantee().orElse("nobody");
        AccessContext context = new AccessContext(SUBJECT, PURPOSE, authorisation(state, grantee), NOW);
        AccessDecision decision = POLICY.decide(caller, classification, "penalty", context);
        Expected actual = decision instanceof AccessDecision.Allow allow ? new Allow(allow.disclosure())
                : new Deny(((AccessDecision.Deny) decision).code());
        assertEquals(expected, actual);
    }
}
