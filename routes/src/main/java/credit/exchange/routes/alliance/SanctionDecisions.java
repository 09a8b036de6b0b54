package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.alliance.JointSanctions.Lifted;
import credit.exchange.routes.alliance.JointSanctions.ListEntry;
import credit.exchange.routes.alliance.JointSanctions.PartnerStatus;
import credit.exchange.routes.alliance.JointSanctions.Severity;
import credit.exchange.routes.alliance.JointSanctions.Status;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the joint sanctions decide, as functions of what is recorded and of the time they are
 * given: whether a list entry may be recorded and until when it is published; what a notice, a
 * response and a lift say, and when each is refused; how this node answers the sanction notices it
 * receives; and where a notice stands at each partner. No database and no clock, so that each
 * decision is tested alone; {@link JointSanctions} reads, decides here, and writes.
 */
final class SanctionDecisions {

    /** A list entry as checked for recording: its list and USCC in canonical form, its texts stripped, its publication end. */
    record Listing(String listType, String uscc, String partyName, String legalBasis, String authority, String documentNumber,
                   LocalDate listedOn, LocalDate publicationEnd, Severity severity) {
    }

    /** A notice's body, and when responses to it are due. */
    record Notice(ObjectNode body, Instant respondBy) {
    }

    /** A partner's response as received: when, and the measures it says it applied. */
    record Response(Instant receivedAt, List<String> measuresApplied) {
    }

    private SanctionDecisions() {
    }

    /**
     * A red or black list entry about a valid USCC, naming its party, legal basis, authority and
     * decision, published from its listed date for at most its severity's period (the whole
     * period unless the decision says otherwise).
     */
    static Listing listing(String listType, String uscc, String partyName, String legalBasis, String authority, String documentNumber,
                           LocalDate listedOn, Optional<LocalDate> publicationEnd, Severity severity) {
        String type = listType == null ? "" : listType.strip().toUpperCase(Locale.ROOT);
        if (!type.equals("RED") && !type.equals("BLACK")) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "a list entry is on the RED or the BLACK list");
        }
        String code = uscc == null ? "" : uscc.strip().toUpperCase(Locale.ROOT);
        if (!Uscc.check(code).valid()) {
            throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "the listed enterprise's USCC is not valid");
        }
        for (String[] field : new String[][] {{"partyName", partyName}, {"legalBasis", legalBasis}, {"authority", authority},
                {"documentNumber", documentNumber}}) {
            if (field[1] == null || field[1].isBlank()) {
                throw new CodedException(ErrorCode.E_FIELD_MISSING, "a list entry names its " + field[0]);
            }
        }
        if (listedOn == null) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a list entry has its listed date");
        }
        LocalDate end = publicationEnd.orElse(listedOn.plus(severity.publication()));
        if (end.isAfter(listedOn.plus(severity.publication())) || end.isBefore(listedOn)) {
            throw new CodedException(ErrorCode.E_DATE_INVALID, "a " + severity + " entry is published for at most "
                    + severity.publication() + " from its listed date");
        }
        return new Listing(type, code, partyName.strip(), legalBasis.strip(), authority.strip(), documentNumber.strip(), listedOn, end,
                severity);
    }

    /** Only an ACTIVE entry is noticed or lifted; {@code asked} is the entry id as the caller gave it. */
    static void requireActive(String asked, ListEntry entry) {
        if (!entry.status().equals("ACTIVE")) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "list entry " + asked + " is " + entry.status() + ", not ACTIVE");
        }
    }

    /**
     * A joint punishment (black list) or incentive (red list) notice of an ACTIVE entry, issued at
     * {@code now}: the entry as recorded, the measures asked for, and responses due within
     * {@code respondWithin}.
     */
    static Notice notice(String asked, ListEntry entry, List<String> measures, Instant now, Duration respondWithin) {
        requireActive(asked, entry);
        if (blank(measures)) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a notice names the measures it asks partners to apply");
        }
        ObjectNode body = Json.mapper().valueToTree(Map.of("entryId", entry.id(), "listType", entry.listType(), "partyName", entry.partyName(),
                "legalBasis", entry.legalBasis(), "authority", entry.authority(), "documentNumber", entry.documentNumber(),
                "listedOn", entry.listedOn().toString(), "publicationEnd", entry.publicationEnd().toString(),
                "severity", entry.severity().name()));
        ArrayNode asks = body.putArray("measures");
        measures.forEach(m -> asks.add(m.strip()));
        Instant respondBy = now.plus(respondWithin);
        body.put("respondBy", respondBy.toString());
        return new Notice(body, respondBy);
    }

    /**
     * At a partner, the body of its response to a notice received from {@code initiator}: the
     * measures applied, and when. A notice whose entry the initiator lifted takes no response.
     */
    static ObjectNode response(String initiator, String noticeId, JsonNode received, List<String> measuresApplied, Instant appliedAt) {
        if (blank(measuresApplied)) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a response names the measures applied");
        }
        if (received.path("lifted").isObject()) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, initiator + " lifted this notice's list entry ("
                    + received.path("lifted").path("status").asText() + "); it takes no response any more");
        }
        ObjectNode body = Json.mapper().createObjectNode().put("respondsTo", noticeId).put("appliedAt", appliedAt.toString());
        ArrayNode applied = body.putArray("measuresApplied");
        measuresApplied.forEach(m -> applied.add(m.strip()));
        return body;
    }

    /** A lift names its basis: the repair decision, the withdrawal, the end date. */
    static void requireBasis(String basis) {
        if (basis == null || basis.isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a lift names its basis (the repair decision, the withdrawal, the end date)");
        }
    }

    /** The body of a lift notice: which entry, how it was lifted and on what basis. */
    static ObjectNode lift(ListEntry entry, Lifted how, String basis) {
        return Json.mapper().createObjectNode().put("entryId", entry.id()).put("status", how.name()).put("basis", basis.strip())
                .put("listType", entry.listType()).put("authority", entry.authority()).put("documentNumber", entry.documentNumber());
    }

    /** The basis of a lift at the end of an entry's publication. */
    static String expiryBasis(ListEntry entry) {
        return "publication ended on " + entry.publicationEnd();
    }

    /** A received notice is acknowledged, or answered {@code lifted} when its lift arrived first (the two travel independently). */
    static ObjectNode acknowledgement(int liftsHeld) {
        return Json.mapper().createObjectNode().put("status", liftsHeld > 0 ? "lifted" : "acknowledged");
    }

    /** The list entry a received lift names; a lift naming none is malformed. */
    static String liftedEntry(NoticeReceiver.Received lift) {
        String entryId = lift.body().path("entryId").asText("");
        if (!AllianceNotices.isUuid(entryId)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "a lift names the list entry it lifts (entryId)");
        }
        return entryId;
    }

    /** A received lift is confirmed with the number of its entry's notices held here. */
    static ObjectNode liftConfirmation(int noticesHeld) {
        return Json.mapper().createObjectNode().put("status", "lifted").put("notices", noticesHeld);
    }

    /** The notice a received response answers; a response naming none is malformed. */
    static String respondsTo(NoticeReceiver.Received response) {
        String respondsTo = response.body().path("respondsTo").asText("");
        if (!AllianceNotices.isUuid(respondsTo)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "a response names the notice it responds to (respondsTo)");
        }
        return respondsTo;
    }

    /**
     * A partner's response is recorded if it answers a notice this node sent that partner about
     * the same enterprise; {@code subjectSent} is that notice's subject, if this node sent it one.
     */
    static ObjectNode responseRecorded(String sender, String respondsTo, String subject, Optional<String> subjectSent) {
        if (subjectSent.filter(subject::equals).isEmpty()) {
            throw new CodedException(ErrorCode.E_UNKNOWN_MESSAGE, "this node sent " + sender + " no joint punishment notice "
                    + respondsTo + " about this enterprise");
        }
        return Json.mapper().createObjectNode().put("status", "recorded");
    }

    /**
     * Where a notice stands at every partner it went to, at {@code now}: a partner that has not
     * responded by the notice's due time is overdue while the entry is ACTIVE; once it is lifted,
     * nobody is.
     */
    static Status status(AllianceNotices.Notice notice, String entryStatus, List<AllianceNotices.Delivery> deliveries,
                         Map<String, Response> responses, Map<String, Instant> liftConfirmed, Instant now) {
        List<PartnerStatus> partners = new ArrayList<>();
        for (AllianceNotices.Delivery d : deliveries) {
            Optional<Response> response = Optional.ofNullable(responses.get(d.partner()));
            boolean overdue = response.isEmpty() && entryStatus.equals("ACTIVE") && notice.respondBy().filter(now::isAfter).isPresent();
            partners.add(new PartnerStatus(d.partner(), d.state(), d.attempts(), d.lastError(), d.answeredAt(),
                    response.map(Response::receivedAt), response.map(Response::measuresApplied).orElse(List.of()), overdue,
                    Optional.ofNullable(liftConfirmed.get(d.partner()))));
        }
        return new Status(notice, entryStatus, partners, partners.stream().filter(p -> p.delivery().equals("ANSWERED")).count(),
                partners.stream().filter(p -> p.respondedAt().isPresent()).count(), partners.stream().filter(PartnerStatus::overdue).count());
    }

    private static boolean blank(List<String> measures) {
        return measures == null || measures.isEmpty() || measures.stream().anyMatch(m -> m == null || m.isBlank());
    }
}
