package credit.exchange.routes.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.Classification;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.access.AccessContext;
import credit.exchange.security.access.AccessDecision;
import credit.exchange.security.access.AccessPolicy;
import credit.exchange.security.access.Caller;
import credit.exchange.security.access.PartnerGrant;
import credit.exchange.security.access.SubjectAuthorisation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Data subjects' authorisations as the store keeps them, and as the decision point reads them:
 * registered with evidence, found by id, revoked; a resident ID number is never kept; every
 * decision is recorded.
 */
@ExtendWith(CleanCreditStore.class)
class SubjectAuthorisationsTest {

    private static final String ENTERPRISE = "91330100716105852F";
    private static final String PERSON = "11010519491231002X";
    private static final Instant NOW = Instant.now();

    private final TestNode node;
    private final SubjectAuthorisations authorisations;
    private final AccessEvents events;
    private final AccessPolicy policy = new AccessPolicy();
    private final Caller huzhou = Caller.partner("huzhou", new PartnerGrant(Set.of(Classification.A, Classification.B), Set.of(), Map.of()));

    SubjectAuthorisationsTest(TestNode node) {
        this.node = node;
        this.authorisations = node.authorisations();
        this.events = node.accessEvents();
    }

    @Test
    void aRegisteredAuthorisation_allowsItsGranteesQuery_untilRevoked_andEveryDecisionIsRecorded() throws Exception {
        SubjectAuthorisation a = authorisations.register(registration(ENTERPRISE, "huzhou", Optional.of("consent form 2026-0042")));
        assertEquals("U:" + ENTERPRISE, a.subject());
        AccessContext query = new AccessContext("U:" + ENTERPRISE, "tender review", authorisations.find(a.id()), NOW);

        AccessDecision allowed = policy.decide(huzhou, Classification.B, "penalty", query);
        assertTrue(allowed.allowed());
        events.recordAll(huzhou, query, Map.of("penalty", Map.entry(Classification.B, allowed)));

        authorisations.revoke(a.id(), "officer-17");
        AccessContext later = new AccessContext("U:" + ENTERPRISE, "tender review", authorisations.find(a.id()), Instant.now());
        AccessDecision denied = policy.decide(huzhou, Classification.B, "penalty", later);
        assertEquals(new AccessDecision.Deny(ErrorCode.E_AUTHORIZATION_REVOKED), denied);
        events.recordAll(huzhou, later, Map.of("penalty", Map.entry(Classification.B, denied)));
        assertEquals(authorisations.revoke(a.id(), "again").revokedAt(), authorisations.find(a.id()).orElseThrow().revokedAt(),
                "revoking again changes nothing");

        assertEquals("ALLOW PARTNER huzhou penalty B ALLOW PUBLIC|DENY PARTNER huzhou penalty B DENY E_AUTHORIZATION_REVOKED", rows(
                "select decision || ' ' || actor_kind || ' ' || actor || ' ' || array_to_string(decisions, ',') from audit_event"
                        + " where action = 'access' order by id"));
        assertEquals("REGISTERED OPERATOR officer-17|REVOKED OPERATOR officer-17", rows("select outcome || ' ' || actor_kind || ' ' || actor"
                + " from audit_event where action = 'authorisation' order by id"), "registered and revoked, each with its event; revoking again is none");
        assertEquals(a.id(), rows("select distinct authorisation_id::text from audit_event"));
    }

    @Test
    void aPersonsAuthorisation_isKeyedByTheHashOfTheIdNumber_whichIsNeverStored() throws Exception {
        SubjectAuthorisation a = authorisations.register(registration(PERSON, "huzhou", Optional.of("consent 7")));
        assertTrue(a.subject().startsWith("P:"));
        assertEquals(a.subject(), authorisations.subjectKey(PERSON.toLowerCase()), "the same key however the number is written");
        assertEquals(1, authorisations.ofSubject(PERSON).size());
        assertFalse(rows("select row_to_json(s)::text from subject_authorisation s").contains(PERSON),
                "the number appears in no column");
    }

    @Test
    void incompleteRegistrations_areRefusedWithTheirCodes() {
        assertEquals(ErrorCode.E_FIELD_MISSING, refusal(registration(ENTERPRISE, "huzhou", Optional.empty())), "no evidence");
        assertEquals(ErrorCode.E_IDENTIFIER_INVALID, refusal(registration("91330100716105852E", "huzhou", Optional.of("e"))));
        assertEquals(ErrorCode.E_DATE_INVALID, refusal(new SubjectAuthorisations.Registration(ENTERPRISE, "huzhou", "p",
                Set.of("penalty"), NOW, NOW, Optional.of("e"), Optional.empty(), "officer")));
        assertEquals(ErrorCode.E_FIELD_MISSING, refusal(new SubjectAuthorisations.Registration(ENTERPRISE, "huzhou", "p",
                Set.of(), NOW, NOW.plusSeconds(60), Optional.of("e"), Optional.empty(), "officer")));
        assertEquals(Optional.empty(), authorisations.find("not-a-uuid"));
        assertEquals(ErrorCode.E_NOT_FOUND, assertThrows(CodedException.class,
                () -> authorisations.revoke("7d3f2a9e-0000-4000-8000-000000000000", "x")).code());
    }

    private ErrorCode refusal(SubjectAuthorisations.Registration r) {
        return assertThrows(CodedException.class, () -> authorisations.register(r)).code();
    }

    private static SubjectAuthorisations.Registration registration(String subject, String grantee, Optional<String> evidence) {
        return new SubjectAuthorisations.Registration(subject, grantee, "tender review", Set.of("penalty"),
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)), evidence, Optional.empty(), "officer-17");
    }

    private String rows(String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = node.database().connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : "|").append(rs.getString(1));
            }
        }
        return out.toString();
    }
}
