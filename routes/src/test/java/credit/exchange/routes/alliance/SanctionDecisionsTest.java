package credit.exchange.routes.alliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.alliance.JointSanctions.Lifted;
import credit.exchange.routes.alliance.JointSanctions.ListEntry;
import credit.exchange.routes.alliance.JointSanctions.PartnerStatus;
import credit.exchange.routes.alliance.JointSanctions.Severity;
import credit.exchange.routes.alliance.JointSanctions.Status;
import credit.exchange.routes.api.Json;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Each decision of the joint sanctions alone, without a database or a clock: what list entry may
 * be recorded and how long it is published, what a notice, a response and a lift say and when
 * each is refused, how received sanction notices are answered, and who is overdue.
 */
class SanctionDecisionsTest {

    private static final String USCC = "91330100716105852F";
    private static final LocalDate LISTED = LocalDate.of(2026, 3, 1);
    private static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");
    private static final ListEntry ACTIVE = new ListEntry(UUID.randomUUID().toString(), "BLACK", USCC, "杭州演示失信企业有限公司",
            "《失信行为纠正后的信用信息修复管理办法》", "杭州市市场监督管理局", "杭市监〔2026〕12号", LISTED, LISTED.plusYears(3), Severity.SERIOUS,
            "ACTIVE");

    @Test
    void listing_isCanonicalAndStripped_andPublishedForItsSeveritysWholePeriodUnlessTheDecisionSaysLess() {
        SanctionDecisions.Listing black = listing(" black ", " 91330100716105852f ", Optional.empty(), Severity.GENERAL);
        assertEquals("BLACK", black.listType());
        assertEquals(USCC, black.uscc());
        assertEquals("party", black.partyName());
        assertEquals("decision 12", black.documentNumber());
        assertEquals(LISTED.plusYears(1), black.publicationEnd());
        assertEquals(LISTED.plusMonths(3), listing("RED", USCC, Optional.empty(), Severity.MINOR).publicationEnd());
        assertEquals(LISTED.plusMonths(2), listing("RED", USCC, Optional.of(LISTED.plusMonths(2)), Severity.MINOR).publicationEnd());
        assertEquals(LISTED, listing("RED", USCC, Optional.of(LISTED), Severity.MINOR).publicationEnd(), "published on its day only");
    }

    @Test
    void listing_onNoList_anInvalidUscc_aFieldMissing_orPublishedLongerOrBeforeItsListing_isRefusedWithItsCode() {
        refused(ErrorCode.E_FIELD_INVALID, () -> listing("GREY", USCC, Optional.empty(), Severity.MINOR));
        refused(ErrorCode.E_FIELD_INVALID, () -> listing(null, USCC, Optional.empty(), Severity.MINOR));
        refused(ErrorCode.E_IDENTIFIER_INVALID, () -> listing("BLACK", "91330100716105852E", Optional.empty(), Severity.MINOR));
        refused(ErrorCode.E_IDENTIFIER_INVALID, () -> listing("BLACK", null, Optional.empty(), Severity.MINOR));
        refused(ErrorCode.E_FIELD_MISSING, () -> SanctionDecisions.listing("BLACK", USCC, " ", "basis", "authority", "decision 12", LISTED,
                Optional.empty(), Severity.MINOR));
        refused(ErrorCode.E_FIELD_MISSING, () -> SanctionDecisions.listing("BLACK", USCC, "party", "basis", "authority", null, LISTED,
                Optional.empty(), Severity.MINOR));
        refused(ErrorCode.E_FIELD_MISSING, () -> SanctionDecisions.listing("BLACK", USCC, "party", "basis", "authority", "decision 12", null,
                Optional.empty(), Severity.MINOR));
        refused(ErrorCode.E_DATE_INVALID, () -> listing("BLACK", USCC, Optional.of(LISTED.plusMonths(3).plusDays(1)), Severity.MINOR));
        refused(ErrorCode.E_DATE_INVALID, () -> listing("BLACK", USCC, Optional.of(LISTED.minusDays(1)), Severity.SERIOUS));
    }

    @Test
    void issue_asksForTheMeasuresStripped_withTheEntryAsRecorded_responsesDueAfterTheTimeGiven() {
        SanctionDecisions.Notice notice = SanctionDecisions.notice(ACTIVE.id(), ACTIVE, List.of(" no public funding ", "stricter inspection"),
                NOW, Duration.ofDays(7));

        assertEquals(NOW.plus(Duration.ofDays(7)), notice.respondBy());
        JsonNode body = notice.body();
        assertEquals(ACTIVE.id(), body.path("entryId").asText());
        assertEquals("BLACK", body.path("listType").asText());
        assertEquals("杭市监〔2026〕12号", body.path("documentNumber").asText());
        assertEquals(LISTED.plusYears(3).toString(), body.path("publicationEnd").asText());
        assertEquals("SERIOUS", body.path("severity").asText());
        assertEquals("[\"no public funding\",\"stricter inspection\"]", body.path("measures").toString());
        assertEquals(notice.respondBy().toString(), body.path("respondBy").asText());
    }

    @Test
    void issue_ofALiftedEntry_orAskingForNoMeasure_isRefused() {
        ListEntry repaired = new ListEntry(ACTIVE.id(), "BLACK", USCC, "p", "b", "a", "d", LISTED, LISTED.plusYears(3), Severity.SERIOUS,
                "REPAIRED");
        CodedException lifted = refused(ErrorCode.E_FIELD_INVALID, () -> SanctionDecisions.notice("asked-id", repaired, List.of("m"), NOW,
                Duration.ofDays(7)));
        assertEquals("list entry asked-id is REPAIRED, not ACTIVE", lifted.getMessage(), "in the caller's words");
        refused(ErrorCode.E_FIELD_MISSING, () -> SanctionDecisions.notice(ACTIVE.id(), ACTIVE, List.of(), NOW, Duration.ofDays(7)));
        refused(ErrorCode.E_FIELD_MISSING, () -> SanctionDecisions.notice(ACTIVE.id(), ACTIVE, null, NOW, Duration.ofDays(7)));
        refused(ErrorCode.E_FIELD_MISSING, () -> SanctionDecisions.notice(ACTIVE.id(), ACTIVE, Arrays.asList("m", null), NOW,
                Duration.ofDays(7)));
        refused(ErrorCode.E_FIELD_MISSING, () -> SanctionDecisions.notice(ACTIVE.id(), ACTIVE, List.of("m", " "), NOW, Duration.ofDays(7)));
    }

    @Test
    void respond_namesTheNoticeAndTheMeasuresApplied_unlessTheInitiatorLiftedItsEntry() {
        String noticeId = UUID.randomUUID().toString();
        ObjectNode body = SanctionDecisions.response("hangzhou", noticeId, received(null), List.of(" excluded from subsidies "), NOW);
        assertEquals(noticeId, body.path("respondsTo").asText());
        assertEquals(NOW.toString(), body.path("appliedAt").asText());
        assertEquals("[\"excluded from subsidies\"]", body.path("measuresApplied").toString());

        refused(ErrorCode.E_FIELD_MISSING, () -> SanctionDecisions.response("hangzhou", noticeId, received(null), List.of(), NOW));
        CodedException lifted = refused(ErrorCode.E_FIELD_INVALID, () -> SanctionDecisions.response("hangzhou", noticeId,
                received("REPAIRED"), List.of("m"), NOW));
        assertEquals("hangzhou lifted this notice's list entry (REPAIRED); it takes no response any more", lifted.getMessage());
    }

    @Test
    void lift_namesItsBasis_andTellsTheEntryAndHowItWasLifted() {
        refused(ErrorCode.E_FIELD_MISSING, () -> SanctionDecisions.requireBasis(" "));
        refused(ErrorCode.E_FIELD_MISSING, () -> SanctionDecisions.requireBasis(null));
        SanctionDecisions.requireBasis("repair decision 7");

        ObjectNode body = SanctionDecisions.lift(ACTIVE, Lifted.REPAIRED, " repair decision 7 ");
        assertEquals(Map.of("entryId", ACTIVE.id(), "status", "REPAIRED", "basis", "repair decision 7", "listType", "BLACK",
                "authority", ACTIVE.authority(), "documentNumber", ACTIVE.documentNumber()), Json.mapper().convertValue(body, Map.class));
        assertEquals("publication ended on " + LISTED.plusYears(3), SanctionDecisions.expiryBasis(ACTIVE));
    }

    @Test
    void aReceivedNotice_isAcknowledged_orAnsweredLiftedWhenItsLiftCameFirst() {
        assertEquals("{\"status\":\"acknowledged\"}", SanctionDecisions.acknowledgement(0).toString());
        assertEquals("{\"status\":\"lifted\"}", SanctionDecisions.acknowledgement(1).toString());
    }

    @Test
    void aReceivedLift_namesItsEntry_andIsConfirmedWithTheNoticesHeld() {
        String entryId = UUID.randomUUID().toString();
        assertEquals(entryId, SanctionDecisions.liftedEntry(notice(JointSanctions.LIFT, "{\"entryId\":\"" + entryId + "\"}")));
        refused(ErrorCode.E_MALFORMED, () -> SanctionDecisions.liftedEntry(notice(JointSanctions.LIFT, "{\"entryId\":\"entry 7\"}")));
        refused(ErrorCode.E_MALFORMED, () -> SanctionDecisions.liftedEntry(notice(JointSanctions.LIFT, "{}")));
        assertEquals("{\"status\":\"lifted\",\"notices\":2}", SanctionDecisions.liftConfirmation(2).toString());
    }

    @Test
    void aReceivedResponse_isRecordedOnlyForANoticeSentToItsSender_aboutTheSameEnterprise() {
        String noticeId = UUID.randomUUID().toString();
        assertEquals(noticeId, SanctionDecisions.respondsTo(notice(JointSanctions.RESPONSE, "{\"respondsTo\":\"" + noticeId + "\"}")));
        refused(ErrorCode.E_MALFORMED, () -> SanctionDecisions.respondsTo(notice(JointSanctions.RESPONSE, "{}")));

        assertEquals("{\"status\":\"recorded\"}", SanctionDecisions.responseRecorded("huzhou", noticeId, USCC, Optional.of(USCC)).toString());
        refused(ErrorCode.E_UNKNOWN_MESSAGE, () -> SanctionDecisions.responseRecorded("huzhou", noticeId, USCC, Optional.empty()));
        refused(ErrorCode.E_UNKNOWN_MESSAGE, () -> SanctionDecisions.responseRecorded("huzhou", noticeId, USCC,
                Optional.of("914403001922038216")));
    }

    @Test
    void status_aPartnerWithoutResponseIsOverdueOnlyAfterTheDueTime_andNobodyOnceTheEntryIsLifted() {
        Instant due = NOW.plus(Duration.ofDays(7));
        AllianceNotices.Notice notice = new AllianceNotices.Notice(UUID.randomUUID().toString(), JointSanctions.NOTICE, USCC,
                Json.mapper().createObjectNode(), NOW, "officer", Optional.of(due));
        List<AllianceNotices.Delivery> deliveries = List.of(delivery(notice, "huzhou", "ANSWERED"), delivery(notice, "jiaxing", "ANSWERED"),
                delivery(notice, "shaoxing", "PENDING"));
        Map<String, SanctionDecisions.Response> responses = Map.of("huzhou",
                new SanctionDecisions.Response(NOW.plusSeconds(60), List.of("excluded from subsidies")));

        Status beforeDue = SanctionDecisions.status(notice, "ACTIVE", deliveries, responses, Map.of(), due);
        assertEquals(List.of(false, false, false), beforeDue.partners().stream().map(PartnerStatus::overdue).toList());
        assertEquals(2, beforeDue.acknowledged());
        assertEquals(1, beforeDue.responded());

        Status afterDue = SanctionDecisions.status(notice, "ACTIVE", deliveries, responses, Map.of(), due.plusMillis(1));
        assertEquals(List.of(false, true, true), afterDue.partners().stream().map(PartnerStatus::overdue).toList());
        assertEquals(2, afterDue.overdue());
        PartnerStatus huzhou = afterDue.partners().get(0);
        assertEquals(Optional.of(NOW.plusSeconds(60)), huzhou.respondedAt());
        assertEquals(List.of("excluded from subsidies"), huzhou.measuresApplied());
        assertEquals(List.of(), afterDue.partners().get(1).measuresApplied());

        Status lifted = SanctionDecisions.status(notice, "REPAIRED", deliveries, responses, Map.of("huzhou", due), due.plusSeconds(3600));
        assertEquals(0, lifted.overdue());
        assertEquals(Optional.of(due), lifted.partners().get(0).liftConfirmedAt());
        assertFalse(lifted.partners().get(2).liftConfirmedAt().isPresent());

        AllianceNotices.Notice noDueTime = new AllianceNotices.Notice(notice.id(), notice.kind(), USCC, notice.body(), NOW, "officer",
                Optional.empty());
        assertEquals(0, SanctionDecisions.status(noDueTime, "ACTIVE", deliveries, Map.of(), Map.of(), due.plusSeconds(3600)).overdue());
    }

    private static SanctionDecisions.Listing listing(String listType, String uscc, Optional<LocalDate> end, Severity severity) {
        return SanctionDecisions.listing(listType, uscc, " party ", "basis", "authority", " decision 12 ", LISTED, end, severity);
    }

    /** A received notice as ReceivedSanctions reads it: {subject, body, lifted}. */
    private static JsonNode received(String liftedAs) {
        ObjectNode received = Json.mapper().createObjectNode().put("subject", USCC);
        received.putObject("body");
        if (liftedAs == null) {
            received.putNull("lifted");
        } else {
            received.putObject("lifted").put("status", liftedAs).put("basis", "repair decision 7");
        }
        return received;
    }

    private static NoticeReceiver.Received notice(String kind, String body) {
        try {
            return new NoticeReceiver.Received(UUID.randomUUID().toString(), kind, USCC, Json.mapper().readTree(body));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AllianceNotices.Delivery delivery(AllianceNotices.Notice notice, String partner, String state) {
        boolean answered = state.equals("ANSWERED");
        return new AllianceNotices.Delivery(notice.id(), partner, state, answered ? 1 : 3, NOW, answered ? null : "E_PARTNER_UNREACHABLE",
                answered ? Optional.of(NOW.plusSeconds(1)) : Optional.empty(), Optional.empty());
    }

    private static CodedException refused(ErrorCode code, Executable decision) {
        CodedException refused = assertThrows(CodedException.class, decision);
        assertEquals(code, refused.code(), refused.getMessage());
        assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank());
        return refused;
    }
}
