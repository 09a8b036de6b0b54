package credit.exchange.routes.alliance;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.audit.AuditTrail;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The notices this node starts for the alliance's joint work (docs/protocol.md §13) and their
 * delivery to each partner, all in PostgreSQL: a notice is written with one delivery per partner
 * and its audit event in one transaction; deliveries are tried until the partner answers, each
 * failure pausing the partner's delivery longer (from the database's clock, so that a restart or
 * another replica goes on where this one stopped).
 */
public final class AllianceNotices {

    /** A notice as issued: its kind (sanction, sanction-response, …), the enterprise, what it says, who issued it. */
    public record Notice(String id, String kind, String subject, JsonNode body, Instant createdAt, String createdBy,
                         Optional<Instant> respondBy) {
    }

    /** One partner's delivery of a notice: PENDING until it answers, then ANSWERED (with its answer) or REFUSED (with its code). */
    public record Delivery(String noticeId, String partner, String state, int attempts, Instant nextAttemptAt, String lastError,
                           Optional<Instant> answeredAt, Optional<JsonNode> answer) {
    }

    /** A partner's deliveries not answered yet: how many, since when the oldest waits, and the last attempt's error, if any. */
    public record Unanswered(long deliveries, Instant oldestSince, Optional<String> lastError) {
    }

    /** A delivery due now, with its notice. */
    public record Due(Notice notice, String partner, int attempts) {
    }

    private static final String NOTICE_COLUMNS = "n.id::text, n.kind, n.subject, n.body::text, n.created_at, n.created_by, n.respond_by";

    private final Database database;

    public AllianceNotices(Database database) {
        this.database = database;
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
        try (PreparedStatement ps = c.prepareStatement("insert into alliance_delivery (notice_id, partner) values (?::uuid, ?)")) {
            for (String partner : partners) {
                ps.setString(1, id);
                ps.setString(2, partner);
                ps.addBatch();
            }
            ps.executeBatch();
        }
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

    public List<Delivery> deliveries(String noticeId) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select notice_id::text, partner, state, attempts, next_attempt_at, last_error, answered_at, answer::text
                from alliance_delivery where notice_id = ?::uuid order by partner""")) {
            ps.setString(1, noticeId);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp answeredAt = rs.getTimestamp(7);
                    out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5).toInstant(),
                            rs.getString(6), Optional.ofNullable(answeredAt).map(Timestamp::toInstant),
                            Optional.ofNullable(rs.getString(8)).map(AllianceNotices::json)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Per partner, its PENDING deliveries (partners with none are left out). */
    public java.util.Map<String, Unanswered> unansweredByPartner() {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select d.partner, count(*), min(n.created_at),
                       (array_agg(d.last_error order by d.next_attempt_at desc) filter (where d.last_error is not null))[1]
                from alliance_delivery d join alliance_notice n on n.id = d.notice_id
                where d.state = 'PENDING' group by d.partner""");
             ResultSet rs = ps.executeQuery()) {
            java.util.Map<String, Unanswered> out = new java.util.TreeMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), new Unanswered(rs.getLong(2), rs.getTimestamp(3).toInstant(), Optional.ofNullable(rs.getString(4))));
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Deliveries due now, oldest first. */
    public List<Due> due(int limit) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("select " + NOTICE_COLUMNS
                + ", d.partner, d.attempts from alliance_delivery d join alliance_notice n on n.id = d.notice_id"
                + " where d.state = 'PENDING' and d.next_attempt_at <= now() order by d.next_attempt_at limit ?")) {
            ps.setInt(1, limit);
            List<Due> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(notice(rs), rs.getString(8), rs.getInt(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The partner answered: ANSWERED, or REFUSED when its answer refuses the notice with a code. */
    public void answered(String noticeId, String partner, JsonNode answer) {
        boolean refused = answer.has("refused");
        update("""
                update alliance_delivery set state = ?, attempts = attempts + 1, answered_at = now(), answer = ?::jsonb,
                    last_error = ? where notice_id = ?::uuid and partner = ? and state = 'PENDING'""",
                refused ? "REFUSED" : "ANSWERED", answer.toString(), refused ? answer.path("refused").asText() : null, noticeId, partner);
    }

    /** The partner could not be reached or did not answer well: the delivery is tried again after {@code pause}. */
    public void failed(String noticeId, String partner, String error, Duration pause) {
        update("""
                update alliance_delivery set attempts = attempts + 1, last_error = ?,
                    next_attempt_at = now() + make_interval(secs => ?) where notice_id = ?::uuid and partner = ? and state = 'PENDING'""",
                error, pause.toMillis() / 1000.0, noticeId, partner);
    }

    private void update(String sql, Object... values) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
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
