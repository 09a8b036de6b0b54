package credit.exchange.routes.alliance;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.audit.AuditTrail;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Red and black lists (红黑名单) and the joint incentives and punishment built on them (联合奖惩):
 * the initiating node records a list entry and issues a notice (发起) to every alliance partner,
 * with the measures it asks for and when responses are due; each partner acknowledges at once and
 * later responds (响应) with the measures it applied; the initiator tracks who acknowledged, who
 * responded with what, and who is overdue (跟踪问效). When the entry is repaired, withdrawn or
 * reaches its publication end, every partner its notices went to is told it is lifted (a
 * {@code sanction-lift} notice), confirms, and takes no response of it any more.
 */
public final class JointSanctions {

    public static final String NOTICE = "sanction";
    public static final String RESPONSE = "sanction-response";
    public static final String LIFT = "sanction-lift";

    /** How a list entry stops being in force: repaired (信用修复), withdrawn by its authority, or past its publication end. */
    public enum Lifted {
        REPAIRED, WITHDRAWN, EXPIRED
    }

    /** How long a black-list entry is published under the repair rules: minor 3 months, general 1 year, serious 3 years. */
    public enum Severity {
        MINOR(Period.ofMonths(3)), GENERAL(Period.ofYears(1)), SERIOUS(Period.ofYears(3));

        private final Period publication;

        Severity(Period publication) {
            this.publication = publication;
        }

        public Period publication() {
            return publication;
        }
    }

    /** A list entry as recorded: red (incentives) or black (punishment), on what basis, by whom, until when it is published. */
    public record ListEntry(String id, String listType, String uscc, String partyName, String legalBasis, String authority,
                            String documentNumber, LocalDate listedOn, LocalDate publicationEnd, Severity severity, String status) {
    }

    /**
     * Where a notice stands at one partner: delivered (acknowledged) or not yet, its response, if
     * any, and once the entry is lifted, when the partner confirmed the lift.
     */
    public record PartnerStatus(String partner, String delivery, int attempts, String lastError, Optional<Instant> acknowledgedAt,
                                Optional<Instant> respondedAt, List<String> measuresApplied, boolean overdue,
                                Optional<Instant> liftConfirmedAt) {
    }

    /** A notice, its list entry's status (ACTIVE, or how it was lifted) and where it stands at every partner. */
    public record Status(AllianceNotices.Notice notice, String entryStatus, List<PartnerStatus> partners, long acknowledged, long responded,
                         long overdue) {
    }

    /** A received sanction's lift, if its initiator lifted the entry: {status, basis, at}, or null. */
    private static final String LIFTED = """
            (select json_build_object('status', l.body->>'status', 'basis', l.body->>'basis', 'at', l.received_at)
             from alliance_received l where l.sender = r.sender and l.kind = 'sanction-lift' and l.body->>'entryId' = r.body->>'entryId'
             limit 1)""";

    private final Database database;
    private final AllianceNotices notices;
    private final Clock clock;

    public JointSanctions(Database database, AllianceNotices notices, Clock clock) {
        this.database = database;
        this.notices = notices;
        this.clock = clock;
    }

    /** Records a list entry; its publication ends after the severity's period unless the decision says otherwise. */
    public ListEntry record(String listType, String uscc, String partyName, String legalBasis, String authority, String documentNumber,
                            LocalDate listedOn, Optional<LocalDate> publicationEnd, Severity severity, String by) {
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
        String id = UUID.randomUUID().toString();
        try {
            database.inTransaction(c -> {
                insertEntry(c, id, type, code, partyName, legalBasis, authority, documentNumber, listedOn, end, severity, by);
                AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.OPERATOR, by, AuditEvent.Action.LIST).subject("U:" + code)
                        .outcome(AuditEvent.Outcome.RECORDED)
                        .detail(type + " list entry " + id + " (" + severity + ", " + documentNumber.strip() + ")").build());
                return null;
            });
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, authority + " already listed decision " + documentNumber);
            }
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the list entry cannot be stored; retry later", e);
        }
        return entry(id).orElseThrow();
    }

    private static void insertEntry(Connection c, String id, String type, String code, String partyName, String legalBasis,
                                    String authority, String documentNumber, LocalDate listedOn, LocalDate end, Severity severity,
                                    String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into credit_list_entry (id, list_type, uscc, party_name, legal_basis, authority, document_number, listed_on,
                                               publication_end, severity, recorded_by)
                values (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, id);
            ps.setString(2, type);
            ps.setString(3, code);
            ps.setString(4, partyName.strip());
            ps.setString(5, legalBasis.strip());
            ps.setString(6, authority.strip());
            ps.setString(7, documentNumber.strip());
            ps.setDate(8, Date.valueOf(listedOn));
            ps.setDate(9, Date.valueOf(end));
            ps.setString(10, severity.name());
            ps.setString(11, by);
            ps.executeUpdate();
        }
    }

    public Optional<ListEntry> entry(String id) {
        if (!AllianceNotices.isUuid(id)) {
            return Optional.empty();
        }
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select id::text, list_type, uscc, party_name, legal_basis, authority, document_number, listed_on, publication_end,
                       severity, status from credit_list_entry where id = ?::uuid""")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ListEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getDate(8).toLocalDate(), rs.getDate(9).toLocalDate(),
                        Severity.valueOf(rs.getString(10)), rs.getString(11)));
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the lists cannot be read; retry later", e);
        }
    }

    /**
     * Issues the joint punishment (black list) or incentive (red list) notice of an entry to the
     * partners named, asking for the measures given, responses due within {@code respondWithin}.
     */
    public AllianceNotices.Notice initiate(String entryId, List<String> measures, Duration respondWithin, Collection<Partner> partners,
                                           String actorKind, String actor) {
        ListEntry entry = entry(entryId).orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND, "no list entry " + entryId));
        if (!entry.status().equals("ACTIVE")) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "list entry " + entryId + " is " + entry.status() + ", not ACTIVE");
        }
        if (measures == null || measures.isEmpty() || measures.stream().anyMatch(m -> m == null || m.isBlank())) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a notice names the measures it asks partners to apply");
        }
        ObjectNode body = Json.mapper().valueToTree(Map.of("entryId", entry.id(), "listType", entry.listType(), "partyName", entry.partyName(),
                "legalBasis", entry.legalBasis(), "authority", entry.authority(), "documentNumber", entry.documentNumber(),
                "listedOn", entry.listedOn().toString(), "publicationEnd", entry.publicationEnd().toString(),
                "severity", entry.severity().name()));
        ArrayNode asked = body.putArray("measures");
        measures.forEach(m -> asked.add(m.strip()));
        Instant respondBy = clock.instant().plus(respondWithin);
        body.put("respondBy", respondBy.toString());
        return notices.issue(NOTICE, entry.uscc(), body, AllianceNotices.allianceCities(partners), actorKind, actor, Optional.of(respondBy));
    }

    /** At a partner: responds to a notice received from {@code initiator} with the measures applied. */
    public AllianceNotices.Notice respond(String initiator, String noticeId, List<String> measuresApplied, String actorKind, String actor) {
        JsonNode received = received(initiator, noticeId).orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND,
                "no joint punishment notice " + noticeId + " from " + initiator));
        if (measuresApplied == null || measuresApplied.isEmpty() || measuresApplied.stream().anyMatch(m -> m == null || m.isBlank())) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a response names the measures applied");
        }
        if (received.path("lifted").isObject()) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, initiator + " lifted this notice's list entry ("
                    + received.path("lifted").path("status").asText() + "); it takes no response any more");
        }
        ObjectNode body = Json.mapper().createObjectNode().put("respondsTo", noticeId).put("appliedAt", clock.instant().toString());
        ArrayNode applied = body.putArray("measuresApplied");
        measuresApplied.forEach(m -> applied.add(m.strip()));
        return notices.issue(RESPONSE, received.path("subject").asText(), body, List.of(initiator), actorKind, actor, Optional.empty());
    }

    /** The joint punishment notices this node received, newest first: sender, notice id, subject, what was asked, when due. */
    public List<JsonNode> receivedNotices(int limit) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select json_build_object('sender', r.sender, 'noticeId', r.notice_id, 'subject', r.subject, 'receivedAt', r.received_at,
                                         'notice', r.body, 'lifted', %s)::text
                from alliance_received r where r.kind = 'sanction' order by r.received_at desc limit ?""".formatted(LIFTED))) {
            ps.setInt(1, limit);
            List<JsonNode> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(AllianceNotices.json(rs.getString(1)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the notices cannot be read; retry later", e);
        }
    }

    private Optional<JsonNode> received(String sender, String noticeId) {
        if (!AllianceNotices.isUuid(noticeId)) {
            return Optional.empty();
        }
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select json_build_object('subject', r.subject, 'body', r.body, 'lifted', %s)::text from alliance_received r
                where r.sender = ? and r.notice_id = ?::uuid and r.kind = 'sanction'""".formatted(LIFTED))) {
            ps.setString(1, sender);
            ps.setString(2, noticeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(AllianceNotices.json(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the notices cannot be read; retry later", e);
        }
    }

    /**
     * Lifts an active list entry — repaired, withdrawn, or past its publication end — and tells
     * every partner any notice of it went to (delivered or still trying) with a lift notice; the
     * status change, its audit event and the notice commit together. Returns the notice, if the
     * entry was ever noticed.
     */
    public Optional<AllianceNotices.Notice> lift(String entryId, Lifted how, String basis, String actorKind, String actor) {
        ListEntry entry = entry(entryId).orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND, "no list entry " + entryId));
        if (basis == null || basis.isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a lift names its basis (the repair decision, the withdrawal, the end date)");
        }
        Optional<String> id;
        try {
            id = database.inTransaction(c -> {
                String uscc;
                try (PreparedStatement ps = c.prepareStatement(
                        "update credit_list_entry set status = ? where id = ?::uuid and status = 'ACTIVE' returning uscc")) {
                    ps.setString(1, how.name());
                    ps.setString(2, entry.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new CodedException(ErrorCode.E_FIELD_INVALID, "list entry " + entryId + " is " + entry.status() + ", not ACTIVE");
                        }
                        uscc = rs.getString(1);
                    }
                }
                AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.valueOf(actorKind), actor, AuditEvent.Action.LIST)
                        .subject("U:" + uscc).outcome(AuditEvent.Outcome.named(how.name()))
                        .detail(entry.listType() + " list entry " + entry.id() + " (" + entry.documentNumber() + "): " + basis.strip()).build());
                List<String> noticed = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("""
                        select distinct d.partner from alliance_delivery d join alliance_notice n on n.id = d.notice_id
                        where n.kind = 'sanction' and n.body->>'entryId' = ? order by d.partner""")) {
                    ps.setString(1, entry.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            noticed.add(rs.getString(1));
                        }
                    }
                }
                if (noticed.isEmpty()) {
                    return Optional.<String>empty();
                }
                ObjectNode body = Json.mapper().createObjectNode().put("entryId", entry.id()).put("status", how.name())
                        .put("basis", basis.strip()).put("listType", entry.listType()).put("authority", entry.authority())
                        .put("documentNumber", entry.documentNumber());
                return Optional.of(notices.issue(c, LIFT, entry.uscc(), body, noticed, actorKind, actor, Optional.empty()));
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the list entry cannot be lifted; retry later", e);
        }
        return id.flatMap(notices::notice);
    }

    /** Lifts the active entries whose publication ended before today (at most {@code limit}); returns how many. */
    public int expire(int limit) {
        List<ListEntry> ended = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "select id::text from credit_list_entry where status = 'ACTIVE' and publication_end < ? order by publication_end limit ?")) {
            ps.setDate(1, Date.valueOf(LocalDate.now(clock)));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entry(rs.getString(1)).ifPresent(ended::add);
                }
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the lists cannot be read; retry later", e);
        }
        for (ListEntry entry : ended) {
            lift(entry.id(), Lifted.EXPIRED, "publication ended on " + entry.publicationEnd(), "SYSTEM", "publication-expiry");
        }
        return ended.size();
    }

    /** Where a notice this node issued stands at every partner it went to. */
    public Status status(String noticeId) {
        AllianceNotices.Notice notice = notices.notice(noticeId).filter(n -> n.kind().equals(NOTICE))
                .orElseThrow(() -> new CodedException(ErrorCode.E_NOT_FOUND, "no joint punishment notice " + noticeId));
        Map<String, JsonNode> responses = new LinkedHashMap<>();
        Map<String, Instant> respondedAt = new LinkedHashMap<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select sender, body::text, received_at from alliance_received where kind = 'sanction-response' and body->>'respondsTo' = ?
                order by received_at""")) {
            ps.setString(1, noticeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    responses.put(rs.getString(1), AllianceNotices.json(rs.getString(2)));
                    respondedAt.put(rs.getString(1), rs.getTimestamp(3).toInstant());
                }
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the responses cannot be read; retry later", e);
        }
        String entryStatus = entry(notice.body().path("entryId").asText("")).map(ListEntry::status).orElse("ACTIVE");
        Map<String, Instant> liftConfirmed = new LinkedHashMap<>();
        if (!entryStatus.equals("ACTIVE")) {
            for (AllianceNotices.Notice lift : notices.ofKind(LIFT, Optional.of(notice.subject()), 100)) {
                if (lift.body().path("entryId").asText().equals(notice.body().path("entryId").asText())) {
                    for (AllianceNotices.Delivery d : notices.deliveries(lift.id())) {
                        d.answeredAt().ifPresent(at -> liftConfirmed.put(d.partner(), at));
                    }
                }
            }
        }
        Instant now = clock.instant();
        List<PartnerStatus> partners = new ArrayList<>();
        for (AllianceNotices.Delivery d : notices.deliveries(noticeId)) {
            JsonNode response = responses.get(d.partner());
            List<String> applied = new ArrayList<>();
            if (response != null) {
                response.path("measuresApplied").forEach(m -> applied.add(m.asText()));
            }
            boolean overdue = response == null && entryStatus.equals("ACTIVE") && notice.respondBy().filter(now::isAfter).isPresent();
            partners.add(new PartnerStatus(d.partner(), d.state(), d.attempts(), d.lastError(), d.answeredAt(),
                    Optional.ofNullable(respondedAt.get(d.partner())), applied, overdue, Optional.ofNullable(liftConfirmed.get(d.partner()))));
        }
        return new Status(notice, entryStatus, partners, partners.stream().filter(p -> p.delivery().equals("ANSWERED")).count(),
                partners.stream().filter(p -> p.respondedAt().isPresent()).count(), partners.stream().filter(PartnerStatus::overdue).count());
    }

    /**
     * The handlers of the kinds this workflow receives: a notice is acknowledged (or answered
     * {@code lifted} when its lift came first — the two travel independently); a lift is confirmed
     * with the number of its notices held here.
     */
    public Map<String, NoticeKind> kinds() {
        return Map.of(NOTICE, (c, sender, n) -> Json.mapper().createObjectNode()
                        .put("status", held(c, sender.id(), LIFT, n.body().path("entryId").asText("")) > 0 ? "lifted" : "acknowledged"),
                RESPONSE, this::response,
                LIFT, (c, sender, n) -> {
                    if (!AllianceNotices.isUuid(n.body().path("entryId").asText(""))) {
                        throw new CodedException(ErrorCode.E_MALFORMED, "a lift names the list entry it lifts (entryId)");
                    }
                    return Json.mapper().createObjectNode().put("status", "lifted")
                            .put("notices", held(c, sender.id(), NOTICE, n.body().get("entryId").asText()));
                });
    }

    /** How many notices of this kind about this list entry the sender sent us. */
    private static int held(Connection c, String sender, String kind, String entryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select count(*) from alliance_received where sender = ? and kind = ? and body->>'entryId' = ?")) {
            ps.setString(1, sender);
            ps.setString(2, kind);
            ps.setString(3, entryId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** A partner's response: to a notice this node issued and sent to that partner, about the same enterprise. */
    private ObjectNode response(Connection c, Partner sender, NoticeReceiver.Received n) throws SQLException {
        String respondsTo = n.body().path("respondsTo").asText("");
        if (!AllianceNotices.isUuid(respondsTo)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "a response names the notice it responds to (respondsTo)");
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select n.subject from alliance_notice n join alliance_delivery d on d.notice_id = n.id and d.partner = ?
                where n.id = ?::uuid and n.kind = 'sanction'""")) {
            ps.setString(1, sender.id());
            ps.setString(2, respondsTo);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getString(1).equals(n.subject())) {
                    throw new CodedException(ErrorCode.E_UNKNOWN_MESSAGE, "this node sent " + sender.id() + " no joint punishment notice "
                            + respondsTo + " about this enterprise");
                }
            }
        }
        return Json.mapper().createObjectNode().put("status", "recorded");
    }
}
