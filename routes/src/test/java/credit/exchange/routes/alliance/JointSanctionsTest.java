package credit.exchange.routes.alliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.support.CleanCreditStore;
import credit.exchange.routes.support.TestNode;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.envelope.ExchangeHeaders;
import credit.exchange.security.envelope.OpenedEnvelope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * The joint sanctions' workflow on the real PostgreSQL, both sides in one store: the initiator
 * records an entry, issues its notice to the alliance cities, records the responses of partners
 * it sent the notice to, sees who is overdue once the due time passes (a later clock, not a wait),
 * and lifts the entry towards every partner the notice went to; a partner acknowledges, responds,
 * confirms the lift and then takes no response. Every state change is an audit event.
 */
@ExtendWith(CleanCreditStore.class)
class JointSanctionsTest {

    private static final String USCC = "91330100716105852F";
    private static final Clock CLOCK = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
    private static final LocalDate TODAY = LocalDate.now(CLOCK);
    private static final List<Partner> PARTNERS = List.of(partner("huzhou", Partner.Level.ALLIANCE_CITY),
            partner("jiaxing", Partner.Level.ALLIANCE_CITY), partner("zhejiang", Partner.Level.PROVINCIAL));

    private final TestNode node;
    private final AllianceNotices notices;
    private final JointSanctions sanctions;
    private final JointSanctions eightDaysLater;
    private final NoticeReceiver receiver;

    JointSanctionsTest(TestNode node) {
        this.node = node;
        this.notices = new AllianceNotices(node.database(), java.time.Clock.systemUTC());
        this.sanctions = new JointSanctions(node.database(), notices, CLOCK);
        this.eightDaysLater = new JointSanctions(node.database(), notices, Clock.offset(CLOCK, Duration.ofDays(8)));
        this.receiver = new NoticeReceiver(node.database(), sanctions.kinds());
    }

    @Test
    void record_keepsTheEntryPublishedForItsSeverity_audited_andRefusesADecisionItsAuthorityListedBefore() {
        ListEntry entry = record("decision 12", TODAY, Severity.SERIOUS);

        assertEquals(Optional.of(entry), sanctions.entry(entry.id()));
        assertEquals("ACTIVE", entry.status());
        assertEquals(TODAY.plusYears(3), entry.publicationEnd());
        assertEquals(List.of("officer RECORDED U:" + USCC), events("list"));
        refused(ErrorCode.E_FIELD_INVALID, () -> record("decision 12", TODAY, Severity.MINOR));
        assertEquals(Optional.empty(), sanctions.entry("not-a-uuid"));
        assertEquals(Optional.empty(), sanctions.entry(UUID.randomUUID().toString()));
    }

    @Test
    void issue_goesToTheAllianceCities_recordsResponsesOnlyFromAPartnerItWentTo_andWhoeverHasNotRespondedIsOverdueAfterTheDueTime() {
        ListEntry entry = record("decision 12", TODAY, Severity.SERIOUS);
        AllianceNotices.Notice notice = sanctions.initiate(entry.id(), List.of("no public funding"), Duration.ofDays(7), PARTNERS, "OPERATOR",
                "officer");
        assertEquals(Optional.of(CLOCK.instant().plus(Duration.ofDays(7))), notice.respondBy());
        assertEquals(List.of("huzhou", "jiaxing"), partners(sanctions.status(notice.id())), "the alliance cities, not the province");
        refused(ErrorCode.E_NOT_FOUND, () -> sanctions.initiate(UUID.randomUUID().toString(), List.of("m"), Duration.ofDays(7), PARTNERS,
                "OPERATOR", "officer"));

        answered(notice.id(), "huzhou", Json.mapper().createObjectNode().put("status", "acknowledged"));
        JsonNode recorded = receive("huzhou", JointSanctions.RESPONSE, USCC, response(notice.id()));
        JsonNode notSentThere = receive("zhejiang", JointSanctions.RESPONSE, USCC, response(notice.id()));
        JsonNode otherEnterprise = receive("jiaxing", JointSanctions.RESPONSE, "914403001922038216", response(notice.id()));

        assertEquals("recorded", recorded.path("status").asText(), recorded.toString());
        assertEquals("E_UNKNOWN_MESSAGE", notSentThere.path("refused").asText(), notSentThere.toString());
        assertEquals("E_UNKNOWN_MESSAGE", otherEnterprise.path("refused").asText(), otherEnterprise.toString());
        Status now = sanctions.status(notice.id());
        assertEquals(List.of(1L, 1L, 0L), List.of(now.acknowledged(), now.responded(), now.overdue()));
        PartnerStatus huzhou = now.partners().get(0);
        assertEquals(List.of("excluded from the 2027 subsidy round"), huzhou.measuresApplied());
        assertTrue(huzhou.acknowledgedAt().isPresent() && huzhou.respondedAt().isPresent());
        Status later = eightDaysLater.status(notice.id());
        assertEquals(List.of(false, true), later.partners().stream().map(PartnerStatus::overdue).toList(), "Jiaxing never responded");
        refused(ErrorCode.E_NOT_FOUND, () -> sanctions.status(UUID.randomUUID().toString()));
    }

    @Test
    void lift_tellsEveryPartnerTheNoticeWentTo_once_audited_andLeavesNobodyOverdue() {
        ListEntry entry = record("decision 12", TODAY, Severity.SERIOUS);
        AllianceNotices.Notice notice = sanctions.initiate(entry.id(), List.of("no public funding"), Duration.ofDays(7), PARTNERS, "OPERATOR",
                "officer");
        refused(ErrorCode.E_FIELD_MISSING, () -> sanctions.lift(entry.id(), Lifted.REPAIRED, " ", "OPERATOR", "officer"));

        AllianceNotices.Notice lift = sanctions.lift(entry.id(), Lifted.REPAIRED, " repair decision 7 ", "OPERATOR", "officer").orElseThrow();

        assertEquals(JointSanctions.LIFT, lift.kind());
        assertEquals("REPAIRED", lift.body().path("status").asText());
        assertEquals("repair decision 7", lift.body().path("basis").asText());
        assertEquals(List.of("huzhou", "jiaxing"), notices.deliveries(lift.id()).stream().map(AllianceNotices.Delivery::partner).toList());
        assertEquals("REPAIRED", sanctions.entry(entry.id()).orElseThrow().status());
        assertEquals(List.of("officer RECORDED U:" + USCC, "officer REPAIRED U:" + USCC), events("list"));
        refused(ErrorCode.E_FIELD_INVALID, () -> sanctions.lift(entry.id(), Lifted.WITHDRAWN, "again", "OPERATOR", "officer"));
        refused(ErrorCode.E_FIELD_INVALID, () -> sanctions.initiate(entry.id(), List.of("m"), Duration.ofDays(7), PARTNERS, "OPERATOR",
                "officer"));
        refused(ErrorCode.E_NOT_FOUND, () -> sanctions.lift(UUID.randomUUID().toString(), Lifted.REPAIRED, "b", "OPERATOR", "officer"));

        answered(lift.id(), "huzhou", Json.mapper().createObjectNode().put("status", "lifted").put("notices", 1));
        Status later = eightDaysLater.status(notice.id());
        assertEquals("REPAIRED", later.entryStatus());
        assertEquals(0, later.overdue(), "a lifted notice has nobody overdue");
        assertEquals(List.of(true, false), later.partners().stream().map(p -> p.liftConfirmedAt().isPresent()).toList());

        ListEntry neverNoticed = record("decision 13", TODAY, Severity.MINOR);
        assertEquals(Optional.empty(), sanctions.lift(neverNoticed.id(), Lifted.WITHDRAWN, "withdrawn", "OPERATOR", "officer"));
        assertEquals("WITHDRAWN", sanctions.entry(neverNoticed.id()).orElseThrow().status());
    }

    @Test
    void expire_liftsOnlyTheActiveEntriesWhosePublicationEnded() {
        ListEntry ended = record("decision 12", TODAY.minusMonths(4), Severity.MINOR);
        ListEntry inForce = record("decision 13", TODAY.minusMonths(2), Severity.MINOR);

        assertEquals(1, sanctions.expire(100));

        assertEquals("EXPIRED", sanctions.entry(ended.id()).orElseThrow().status());
        assertEquals("ACTIVE", sanctions.entry(inForce.id()).orElseThrow().status());
        assertEquals(List.of("publication-expiry EXPIRED U:" + USCC), node.rows("select actor || ' ' || outcome || ' ' || subject_key as e"
                + " from audit_event where action = 'list' and actor_kind = 'SYSTEM'").stream().map(r -> r.get("e").toString()).toList());
        assertEquals(0, sanctions.expire(100), "expired once");
    }

    @Test
    void atAPartner_aNoticeIsAcknowledged_respondedTo_itsLiftConfirmed_andThenItTakesNoResponse() {
        String entryId = UUID.randomUUID().toString();
        String noticeId = UUID.randomUUID().toString();
        JsonNode acknowledged = receive("hangzhou", noticeId, JointSanctions.NOTICE, USCC, sanction(entryId));
        assertEquals("acknowledged", acknowledged.path("status").asText(), acknowledged.toString());
        assertEquals(noticeId, sanctions.receivedNotices(10).get(0).path("noticeId").asText());
        refused(ErrorCode.E_NOT_FOUND, () -> sanctions.respond("jiaxing", noticeId, List.of("m"), "OPERATOR", "officer"));
        refused(ErrorCode.E_FIELD_MISSING, () -> sanctions.respond("hangzhou", noticeId, List.of(), "OPERATOR", "officer"));

        AllianceNotices.Notice response = sanctions.respond("hangzhou", noticeId, List.of("excluded"), "OPERATOR", "officer");

        assertEquals(JointSanctions.RESPONSE, response.kind());
        assertEquals(USCC, response.subject());
        assertEquals(noticeId, response.body().path("respondsTo").asText());
        assertEquals(List.of("hangzhou"), notices.deliveries(response.id()).stream().map(AllianceNotices.Delivery::partner).toList());

        JsonNode malformed = receive("hangzhou", JointSanctions.LIFT, USCC, Json.mapper().createObjectNode().put("status", "REPAIRED"));
        assertEquals("E_MALFORMED", malformed.path("refused").asText(), malformed.toString());
        JsonNode confirmed = receive("hangzhou", JointSanctions.LIFT, USCC, Json.mapper().createObjectNode().put("entryId", entryId)
                .put("status", "REPAIRED").put("basis", "repair decision 7"));
        assertEquals("lifted", confirmed.path("status").asText(), confirmed.toString());
        assertEquals(1, confirmed.path("notices").asInt());
        assertEquals("REPAIRED", sanctions.receivedNotices(10).get(0).path("lifted").path("status").asText());
        refused(ErrorCode.E_FIELD_INVALID, () -> sanctions.respond("hangzhou", noticeId, List.of("more"), "OPERATOR", "officer"));

        JsonNode afterItsLift = receive("hangzhou", JointSanctions.NOTICE, USCC, sanction(entryId));
        assertEquals("lifted", afterItsLift.path("status").asText(), "a notice arriving after its lift: " + afterItsLift);
    }

    private ListEntry record(String documentNumber, LocalDate listedOn, Severity severity) {
        return sanctions.record("BLACK", USCC, "杭州演示失信企业有限公司", "《失信行为纠正后的信用信息修复管理办法》", "杭州市市场监督管理局", documentNumber,
                listedOn, Optional.empty(), severity, "officer");
    }

    private List<String> events(String action) {
        return node.rows("select actor || ' ' || outcome || ' ' || subject_key as e from audit_event where action = ? order by id", action)
                .stream().map(r -> r.get("e").toString()).toList();
    }

    private static List<String> partners(Status status) {
        return status.partners().stream().map(PartnerStatus::partner).toList();
    }

    private static ObjectNode sanction(String entryId) {
        ObjectNode body = Json.mapper().createObjectNode().put("entryId", entryId).put("listType", "BLACK");
        body.putArray("measures").add("no public funding");
        return body;
    }

    private static ObjectNode response(String noticeId) {
        ObjectNode body = Json.mapper().createObjectNode().put("respondsTo", noticeId);
        body.putArray("measuresApplied").add("excluded from the 2027 subsidy round");
        return body;
    }

    private JsonNode receive(String sender, String kind, String subject, ObjectNode body) {
        return receive(sender, UUID.randomUUID().toString(), kind, subject, body);
    }

    private JsonNode receive(String sender, String noticeId, String kind, String subject, ObjectNode body) {
        ObjectNode notice = Json.mapper().createObjectNode().put("noticeId", noticeId).put("kind", kind).put("subject", subject);
        notice.set("body", body);
        OpenedEnvelope envelope = new OpenedEnvelope(new ExchangeHeaders(UUID.randomUUID().toString(), sender, "here", "notice", null,
                CLOCK.instant()), notice.toString().getBytes(StandardCharsets.UTF_8), null, new byte[0]);
        try {
            return Json.mapper().readTree(receiver.answer(partner(sender, Partner.Level.ALLIANCE_CITY), envelope));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Partner partner(String id, Partner.Level level) {
        return new Partner(id, id, level, true, URI.create("https://127.0.0.1:1"), Suite.GM, null, Optional.empty(),
                Set.of(Partner.ExchangeType.NOTICE), false, Set.of(JointSanctions.NOTICE, JointSanctions.RESPONSE, JointSanctions.LIFT),
                Optional.empty(), Optional.empty(), new Partner.RateLimit(1, 1), Duration.ofSeconds(1), Duration.ofSeconds(4),
                Path.of(id + ".yaml"));
    }

    private static void refused(ErrorCode code, Executable call) {
        CodedException refused = assertThrows(CodedException.class, call);
        assertEquals(code, refused.code(), refused.getMessage());
    }

    /** The partner answered the notice: its answer kept with the notice and its delivery DELIVERED, as the engine records it. */
    private void answered(String noticeId, String partner, com.fasterxml.jackson.databind.JsonNode answer) {
        try {
            node.database().inTransaction(c -> {
                AllianceNotices.keepAnswer(c, noticeId, partner, answer, java.time.Instant.now());
                try (var ps = c.prepareStatement("update outbox set state = 'DELIVERED', finished_at = now(), attempts = attempts + 1"
                        + " where kind = 'NOTICE' and payload_ref = ? and destination = ?")) {
                    ps.setString(1, noticeId);
                    ps.setString(2, partner);
                    ps.executeUpdate();
                }
                return null;
            });
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
