package credit.exchange.routes.alliance;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.audit.AuditTrail;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.delivery.Deliveries;
import credit.exchange.routes.delivery.DeliveryKind;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The notices this node starts for the alliance's joint work (docs/protocol.md §13) and the
 * partners' answers: a notice is written with one delivery per partner (the delivery engine's,
 * kind {@code NOTICE}) and its audit event in one transaction; the engine carries each delivery
 * until the partner answers ({@link NoticeCourier}), and the answer is kept here with the notice.
 */
public final class AllianceNotices {

    /** A notice as issued: its kind (sanction, sanction-response, …), the enterprise, what it says, who issued it. */
    public record Notice(String id, String kind, String subject, JsonNode body, Instant createdAt, String createdBy,
                         Optional<Instant> respondBy) {
    }

    /**
     * One partner's delivery of a notice: PENDING until it answers, then ANSWERED (with its answer)
     * or REFUSED (with its code); the attempts and the last failed attempt's error are the engine's.
     */
    public record Delivery(String noticeId, String partner, String state, int attempts, Instant nextAttemptAt, String lastError,
                           Optional<Instant> answeredAt, Optional<JsonNode> answer) {
    }

    /** A partner's deliveries not answered yet: how many, since when the oldest waits, and the last attempt's error, if any. */
    public record Unanswered(long deliveries, Instant oldestSince, Optional<String> lastError) {
    }

    private static final String NOTICE_COLUMNS = "n.id::text, n.kind, n.subject, n.body::text, n.created_at, n.created_by, n.respond_by";

    private final Database database;
    private final Clock clock;

    public AllianceNotices(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * The alliance cities among these partners that this node sends notices to (enabled, {@code
     * notice} in their we-send): where the alliance's joint work goes. The province and the nation
     * take only what concerns the records they were handed (repairs, objections).
     */
    public static List<String> allianceCities(Collection<Partner> partners) {
        return partners.stream().filter(Partner::enabled).filter(p -> p.level() == Partner.Level.ALLIANCE_CITY)
                .filter(p -> p.weStart(Partner.ExchangeType.NOTICE)).map(Partner::id).sorted().toList();
    }

    /** Issues a notice to the partners named; returns it. The notice, its deliveries and its audit event commit together. */
    public Notice issue(String kind, String subject, ObjectNode body, Collection<String> partners, String actorKind, String actor,
                        Optional<Instant> respondBy) {
        String id;
        try {
            id = database.inTransaction(c -> issue(c, kind, subject, body, partners, actorKind, actor, respondBy));
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the notice cannot be stored; nothing was sent", e);
        }
        return notice(id).orElseThrow();
    }

    /**
     * Writes a notice, its deliveries and its audit event in the caller's transaction, so that they
     * commit with whatever the notice tells the partners of; returns its id.
     */
    public String issue(Connection c, String kind, String subject, ObjectNode body, Collection<String> partners, String actorKind,
                        String actor, Optional<Instant> respondBy) throws SQLException {
        if (partners.isEmpty()) {
            throw new CodedException(ErrorCode.E_UNKNOWN_PARTNER, "no enabled partner takes alliance notices from this node");
        }
        String id = UUID.randomUUID().toString();
        try (PreparedStatement ps = c.prepareStatement("""
                insert into alliance_notice (id, kind, subject, body, created_by, respond_by) values (?::uuid, ?, ?, ?::jsonb, ?, ?)""")) {
            ps.setString(1, id);
            ps.setString(2, kind);
            ps.setString(3, subject);
            ps.setString(4, body.toString());
            ps.setString(5, actor);
            ps.setTimestamp(6, respondBy.map(Timestamp::from).orElse(null));
            ps.executeUpdate();
        }
        Deliveries.enqueue(c, DeliveryKind.NOTICE, partners, id, clock.instant());
        AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.valueOf(actorKind), actor, AuditEvent.Action.NOTICE_OUT)
                .subject("U:" + subject).outcome(AuditEvent.Outcome.ISSUED)
                .detail(kind + " " + id + " to " + String.join(",", partners)).build());
        return id;
    }

    public Optional<Notice> notice(String id) {
        if (!isUuid(id)) {
            return Optional.empty();
        }
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("select " + NOTICE_COLUMNS + " from alliance_notice n where n.id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(notice(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The notices of a kind, newest first; about one enterprise only, if one is named. */
    public List<Notice> ofKind(String kind, Optional<String> subject, int limit) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("select " + NOTICE_COLUMNS
                + " from alliance_notice n where n.kind = ? and (n.subject = ? or ?::text is null) order by n.created_at desc limit ?")) {
            ps.setString(1, kind);
            ps.setString(2, subject.orElse(null));
            ps.setString(3, subject.orElse(null));
            ps.setInt(4, limit);
            List<Notice> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(notice(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Each partner's delivery of a notice, with its answer once it came, by partner. */
    public List<Delivery> deliveries(String noticeId) {
        try (Connection c = database.connection()) {
            return deliveries(c, noticeId);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** As {@link #deliveries(String)}, in the caller's transaction. */
    static List<Delivery> deliveries(Connection c, String noticeId) throws SQLException {
        Map<String, Answer> answers = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select partner, answered_at, answer::text from alliance_notice_answer where notice_id = ?::uuid")) {
            ps.setString(1, noticeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    answers.put(rs.getString(1), new Answer(rs.getTimestamp(2).toInstant(), json(rs.getString(3))));
                }
            }
        }
        List<Delivery> out = new ArrayList<>();
        for (Deliveries.OfPayload d : Deliveries.ofPayloads(c, DeliveryKind.NOTICE, List.of(noticeId))) {
            Optional<Answer> answer = Optional.ofNullable(answers.get(d.destination()));
            boolean refused = answer.map(x -> x.answer().has("refused")).orElse(false);
            out.add(new Delivery(noticeId, d.destination(), answer.isEmpty() ? "PENDING" : refused ? "REFUSED" : "ANSWERED",
                    d.attempts(), d.nextAttemptAt(), refused ? answer.get().answer().path("refused").asText() : d.lastError(),
                    answer.map(Answer::at), answer.map(Answer::answer)));
        }
        return out;
    }

    private record Answer(Instant at, JsonNode answer) {
    }

    /** The partners the notices were sent to, sorted, in the caller's transaction. */
    static List<String> recipients(Connection c, List<String> noticeIds) throws SQLException {
        return Deliveries.ofPayloads(c, DeliveryKind.NOTICE, noticeIds).stream().map(Deliveries.OfPayload::destination)
                .distinct().sorted().toList();
    }

    /** Per partner, its notices not answered yet (partners with none are left out). */
    public Map<String, Unanswered> unansweredByPartner() {
        Map<String, Unanswered> out = new TreeMap<>();
        new Deliveries(database, clock).unfinished(DeliveryKind.NOTICE).forEach((partner, u) ->
                out.put(partner, new Unanswered(u.deliveries(), u.oldestSince(), u.lastError())));
        return out;
    }

    /**
     * Keeps a partner's answer to a notice, in the transaction that records its delivery (the
     * first answer kept stays: a delivery answered twice was answered once).
     */
    static void keepAnswer(Connection c, String noticeId, String partner, JsonNode answer, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into alliance_notice_answer (notice_id, partner, answered_at, answer) values (?::uuid, ?, ?, ?::jsonb)
                on conflict (notice_id, partner) do nothing""")) {
            ps.setString(1, noticeId);
            ps.setString(2, partner);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setString(4, answer.toString());
            ps.executeUpdate();
        }
    }

    /** A notice by id, in the caller's transaction. */
    static Optional<Notice> notice(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + NOTICE_COLUMNS + " from alliance_notice n where n.id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(notice(rs)) : Optional.empty();
            }
        }
    }

    private static Notice notice(ResultSet rs) throws SQLException {
        Timestamp respondBy = rs.getTimestamp(7);
        return new Notice(rs.getString(1), rs.getString(2), rs.getString(3), json(rs.getString(4)), rs.getTimestamp(5).toInstant(),
                rs.getString(6), Optional.ofNullable(respondBy).map(Timestamp::toInstant));
    }

    static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("a stored notice is not JSON", e);
        }
    }

    static boolean isUuid(String id) {
        try {
            UUID.fromString(id);
            return id != null;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    private static CodedException unavailable(SQLException e) {
        return new CodedException(ErrorCode.E_UNAVAILABLE, "the alliance notices cannot be read; retry later", e);
    }
}
