package credit.exchange.routes.alliance;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.audit.AuditTrail;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.exchange.ExchangeHandler;
import credit.exchange.routes.identifier.Uscc;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.envelope.OpenedEnvelope;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * The receiving side of every alliance notice (exchange type {@code notice}, docs/protocol.md §13).
 * In order: the payload must be a notice ({@code E_MALFORMED}); the sender's partner configuration
 * must let it send this kind ({@code E_NOT_GRANTED}); the subject must be a valid USCC
 * ({@code E_IDENTIFIER_INVALID}); this node must take the kind ({@code E_UNKNOWN_TYPE}). A notice
 * id the sender already sent is answered as it was the first time if it says the same, and refused
 * ({@code E_REPLAY}) if it says anything else. Otherwise the kind's handler applies it, and the
 * notice, the answer and an audit event commit together. Refusals are answers
 * ({@code {"refused": code, "message": …}}) and audit events too.
 */
public final class NoticeReceiver implements ExchangeHandler {

    /** A notice as received. */
    public record Received(String noticeId, String kind, String subject, JsonNode body) {
    }

    private final Database database;
    private final Map<String, NoticeKind> kinds;

    public NoticeReceiver(Database database, Map<String, NoticeKind> kinds) {
        this.database = database;
        this.kinds = Map.copyOf(kinds);
    }

    @Override
    public byte[] answer(Partner sender, OpenedEnvelope request) {
        Received notice = null;
        try {
            notice = parse(request.payload());
            if (!sender.noticeKinds().contains(notice.kind())) {
                throw new CodedException(ErrorCode.E_NOT_GRANTED, "partner " + sender.id() + " may not send '" + notice.kind()
                        + "' notices to this node");
            }
            if (!Uscc.check(notice.subject()).valid()) {
                throw new CodedException(ErrorCode.E_IDENTIFIER_INVALID, "the notice's subject is not a valid USCC");
            }
            NoticeKind kind = kinds.get(notice.kind());
            if (kind == null) {
                throw new CodedException(ErrorCode.E_UNKNOWN_TYPE, "this node takes no '" + notice.kind() + "' notice");
            }
            return Json.mapper().writeValueAsBytes(keep(sender, notice, kind));
        } catch (CodedException refused) {
            if (refused.code().httpStatus() >= 500) {
                throw refused; // unanswered: the sender tries the same notice again
            }
            ObjectNode answer = Json.mapper().createObjectNode().put("refused", refused.code().name()).put("message", refused.getMessage());
            refusal(sender, notice, refused.code());
            return answer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("an answer cannot be rendered", e);
        }
    }

    private static Received parse(byte[] payload) {
        try {
            JsonNode n = Json.mapper().readTree(payload);
            String id = n.path("noticeId").asText("");
            if (!AllianceNotices.isUuid(id) || !n.path("kind").isTextual() || !n.path("subject").isTextual() || !n.path("body").isObject()) {
                throw new CodedException(ErrorCode.E_MALFORMED, "a notice is {noticeId (UUID), kind, subject, body (object)}");
            }
            return new Received(id, n.get("kind").asText(), n.get("subject").asText().strip(), n.get("body"));
        } catch (IOException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "a notice is JSON");
        }
    }

    /** Applies a new notice and keeps it with its answer; a notice kept before gets its first answer again. */
    private JsonNode keep(Partner sender, Received notice, NoticeKind kind) {
        try {
            return database.inTransaction(c -> {
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext(? || ?))")) {
                    lock.setString(1, sender.id());
                    lock.setString(2, notice.noticeId());
                    lock.execute(); // the same notice delivered twice at once is applied once
                }
                Optional<JsonNode> earlier = earlierAnswer(c, sender, notice);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
                ObjectNode answer = kind.receive(c, sender, notice);
                answer.put("noticeId", notice.noticeId());
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into alliance_received (sender, notice_id, kind, subject, body, answer) values (?, ?::uuid, ?, ?, ?::jsonb, ?::jsonb)""")) {
                    ps.setString(1, sender.id());
                    ps.setString(2, notice.noticeId());
                    ps.setString(3, notice.kind());
                    ps.setString(4, notice.subject());
                    ps.setString(5, notice.body().toString());
                    ps.setString(6, answer.toString());
                    ps.executeUpdate();
                }
                event(c, sender, notice, null, AuditEvent.Outcome.named(answer.path("status").asText("ACCEPTED")));
                return (JsonNode) answer;
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the notice cannot be kept; send it again", e);
        }
    }

    private static Optional<JsonNode> earlierAnswer(Connection c, Partner sender, Received notice) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select kind, subject, body::text, answer::text from alliance_received where sender = ? and notice_id = ?::uuid")) {
            ps.setString(1, sender.id());
            ps.setString(2, notice.noticeId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                if (!rs.getString(1).equals(notice.kind()) || !rs.getString(2).equals(notice.subject())
                        || !AllianceNotices.json(rs.getString(3)).equals(notice.body())) {
                    throw new CodedException(ErrorCode.E_REPLAY, "notice " + notice.noticeId() + " was received before with other content");
                }
                return Optional.of(AllianceNotices.json(rs.getString(4)));
            }
        }
    }

    private void refusal(Partner sender, Received notice, ErrorCode code) {
        try (Connection c = database.connection()) {
            event(c, sender, notice, code, AuditEvent.Outcome.REFUSED);
        } catch (SQLException e) {
            // the refusal stands without its event; the sender learns why either way
        }
    }

    private static void event(Connection c, Partner sender, Received notice, ErrorCode refused, AuditEvent.Outcome outcome)
            throws SQLException {
        boolean validSubject = notice != null && Uscc.check(notice.subject()).valid();
        AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.PARTNER, sender.id(), AuditEvent.Action.NOTICE_IN).partner(sender.id())
                .subject(validSubject ? "U:" + notice.subject() : null)
                .decision(refused == null ? AuditEvent.Decision.ALLOW : AuditEvent.Decision.DENY)
                .reason(refused == null ? notice.kind() : refused.name()).outcome(outcome)
                .detail(notice == null ? null : notice.kind() + " " + notice.noticeId()).build());
    }
}
