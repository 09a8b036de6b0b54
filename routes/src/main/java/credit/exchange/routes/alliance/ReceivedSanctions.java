package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sanction notices, responses and lifts this node received (alliance_received, kept by
 * {@link NoticeReceiver}), as the sanctions read them: a received notice comes with its lift,
 * if its initiator lifted the entry.
 */
final class ReceivedSanctions {

    /** A received sanction's lift, if its initiator lifted the entry: {status, basis, at}, or null. */
    private static final String LIFTED = """
            (select json_build_object('status', l.body->>'status', 'basis', l.body->>'basis', 'at', l.received_at)
             from alliance_received l where l.sender = r.sender and l.kind = 'sanction-lift' and l.body->>'entryId' = r.body->>'entryId'
             limit 1)""";

    private final Database database;

    ReceivedSanctions(Database database) {
        this.database = database;
    }

    /** The joint punishment notices this node received, newest first: sender, notice id, subject, what was asked, when due. */
    List<JsonNode> notices(int limit) {
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
            throw unreadable("notices", e);
        }
    }

    /** One notice received from {@code sender}: {subject, body, lifted}. */
    Optional<JsonNode> notice(String sender, String noticeId) {
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
            throw unreadable("notices", e);
        }
    }

    /** The responses to a notice this node issued, by partner; a partner that responded twice counts with its latest. */
    Map<String, SanctionDecisions.Response> responsesTo(String noticeId) {
        Map<String, SanctionDecisions.Response> responses = new LinkedHashMap<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select sender, body::text, received_at from alliance_received where kind = 'sanction-response' and body->>'respondsTo' = ?
                order by received_at""")) {
            ps.setString(1, noticeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> applied = new ArrayList<>();
                    AllianceNotices.json(rs.getString(2)).path("measuresApplied").forEach(m -> applied.add(m.asText()));
                    responses.put(rs.getString(1), new SanctionDecisions.Response(rs.getTimestamp(3).toInstant(), applied));
                }
            }
        } catch (SQLException e) {
            throw unreadable("responses", e);
        }
        return responses;
    }

    /** How many notices of this kind about this list entry the sender sent us, in the caller's transaction. */
    static int held(Connection c, String sender, String kind, String entryId) throws SQLException {
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

    private static CodedException unreadable(String what, SQLException e) {
        return new CodedException(ErrorCode.E_UNAVAILABLE, "the " + what + " cannot be read; retry later", e);
    }
}
