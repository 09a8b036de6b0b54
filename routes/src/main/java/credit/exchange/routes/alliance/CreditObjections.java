package credit.exchange.routes.alliance;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.audit.AuditTrail;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.push.ReceivedDeliveries;
import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.RecordDocument;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Objections (异议处理). A subject's objection to a record marks its document UNDER_OBJECTION here
 * (still served, with that status) and at every partner it was handed to, by an {@code objection}
 * notice. Rejected: the flag is cleared here and everywhere. Upheld: the department's corrected
 * version (imported as a new version, which the push flows carry to the same partners) replaces
 * it; the objected versions are withdrawn here and at every holder.
 */
public final class CreditObjections {

    public static final String NOTICE = "objection";

    /** An objection and where its latest notice stands at each holder. */
    public record Objection(String id, String category, String sourceDepartment, String documentNumber, String uscc,
                            int objectedVersion, String basis, String state, Optional<String> resolution,
                            List<AllianceNotices.Delivery> holders) {
    }

    private final Database database;
    private final AllianceNotices notices;
    private final String self;

    public CreditObjections(Database database, AllianceNotices notices, String self) {
        this.database = database;
        this.notices = notices;
        this.self = self;
    }

    /** Opens an objection to the document of record {@code recordId}. */
    public Objection object(long recordId, String basis, String actorKind, String actor) {
        if (basis == null || basis.isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "an objection states its grounds");
        }
        String id = UUID.randomUUID().toString();
        try {
            database.inTransaction(c -> {
                RecordDocument d = RecordDocument.of(c, recordId);
                if (d.uscc() == null) {
                    throw new CodedException(ErrorCode.E_FIELD_INVALID, "objections to records of natural persons are handled by the department");
                }
                if (d.setStatus(c, "ACTIVE", "UNDER_OBJECTION") == 0) {
                    throw new CodedException(ErrorCode.E_FIELD_INVALID, "record " + recordId + " is not ACTIVE (under objection, repaired or withdrawn)");
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into credit_objection (id, category, source_department, document_number, uscc, objected_version, basis,
                                                      opened_by)
                        values (?::uuid, ?, ?, ?, ?, ?, ?, ?)""")) {
                    ps.setString(1, id);
                    ps.setString(2, d.category());
                    ps.setString(3, d.department());
                    ps.setString(4, d.document());
                    ps.setString(5, d.uscc());
                    ps.setInt(6, d.latestVersion());
                    ps.setString(7, basis.strip());
                    ps.setString(8, actor);
                    ps.executeUpdate();
                }
                event(c, actorKind, actor, d, "OPEN", basis.strip());
                tell(c, id, d, "OPEN", actorKind, actor);
                return null;
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the objection cannot be stored; retry later", e);
        }
        return status(id);
    }

    /**
     * Resolves an objection: REJECTED clears the flag; UPHELD needs the corrected version imported
     * first (a version newer than the objected ones) and withdraws the objected versions.
     */
    public Objection resolve(String id, String outcome, String note, String actorKind, String actor) {
        String resolution = outcome == null ? "" : outcome.strip().toUpperCase(Locale.ROOT);
        if (!resolution.equals("UPHELD") && !resolution.equals("REJECTED")) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "an objection is UPHELD or REJECTED");
        }
        Objection o = status(id);
        if (!o.state().equals("OPEN")) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "objection " + id + " is " + o.state() + " already");
        }
        // the document as it was objected to: its versions up to then are the objected ones
        RecordDocument d = new RecordDocument(o.category(), o.sourceDepartment(), o.documentNumber(), o.uscc(), o.objectedVersion());
        try {
            database.inTransaction(c -> {
                if (resolution.equals("REJECTED")) {
                    d.setStatus(c, "UNDER_OBJECTION", "ACTIVE");
                } else if (!d.hasNewerVersion(c)) {
                    throw new CodedException(ErrorCode.E_FIELD_INVALID, "an upheld objection needs the department's corrected version"
                            + " imported first (a newer version of " + d.document() + ")");
                } else {
                    d.setStatus(c, "UNDER_OBJECTION", "WITHDRAWN");
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        update credit_objection set state = ?, resolution = ?, resolved_at = now(), resolved_by = ? where id = ?::uuid""")) {
                    ps.setString(1, resolution);
                    ps.setString(2, note == null ? "" : note.strip());
                    ps.setString(3, actor);
                    ps.setString(4, id);
                    ps.executeUpdate();
                }
                event(c, actorKind, actor, d, resolution, note == null ? "" : note.strip());
                tell(c, id, d, resolution, actorKind, actor);
                return null;
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the resolution cannot be stored; retry later", e);
        }
        return status(id);
    }

    public Objection status(String id) {
        if (!AllianceNotices.isUuid(id)) {
            throw new CodedException(ErrorCode.E_NOT_FOUND, "no objection " + id);
        }
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select id::text, category, source_department, document_number, uscc, objected_version, basis, state, resolution,
                       notice_id::text
                from credit_objection where id = ?::uuid""")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new CodedException(ErrorCode.E_NOT_FOUND, "no objection " + id);
                }
                Optional<String> notice = Optional.ofNullable(rs.getString(10));
                return new Objection(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                        rs.getString(7), rs.getString(8), Optional.ofNullable(rs.getString(9)), notice.map(notices::deliveries).orElse(List.of()));
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the objections cannot be read; retry later", e);
        }
    }

    /**
     * At a holder: OPEN flags the sender's deliveries named as under objection; REJECTED clears the
     * flag; UPHELD withdraws them (the corrected version arrives as a delivery of its own).
     */
    public Map<String, NoticeKind> kinds() {
        return Map.of(NOTICE, (c, sender, n) -> {
            String state = n.body().path("state").asText("");
            if (!List.of("OPEN", "REJECTED", "UPHELD").contains(state)) {
                throw new CodedException(ErrorCode.E_MALFORMED, "an objection notice's state is OPEN, REJECTED or UPHELD");
            }
            String objection = n.body().path("objectionId").asText();
            int held = RecordHolders.atHolder(c, sender, n.body().path("messageIds"), messageId -> {
                if (state.equals("OPEN")) {
                    ReceivedDeliveries.flagObjected(c, sender.id(), messageId, objection);
                } else {
                    ReceivedDeliveries.clearObjected(c, sender.id(), messageId, objection);
                }
                if (state.equals("UPHELD")) {
                    ReceivedDeliveries.withdraw(c, sender.id(), messageId, "objection upheld: corrected by a newer version");
                }
            });
            return Json.mapper().createObjectNode().put("status", switch (state) {
                case "OPEN" -> "flagged";
                case "REJECTED" -> "cleared";
                default -> "withdrawn";
            }).put("held", held);
        });
    }

    private static void event(Connection c, String actorKind, String actor, RecordDocument d, String outcome, String detail) throws SQLException {
        AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.valueOf(actorKind), actor, AuditEvent.Action.OBJECTION)
                .subject("U:" + d.uscc()).outcome(AuditEvent.Outcome.named(outcome)).detail(d.describe() + ": " + detail).build());
    }

    /** Sends the objection's state to every partner the objected versions were handed to, and keeps the notice's id. */
    /** Tells every holder of the objected versions the objection's state, in the caller's transaction. */
    private void tell(Connection c, String objectionId, RecordDocument d, String state, String actorKind, String actor) throws SQLException {
        RecordHolders.Holders holders = RecordHolders.of(c, self, d, d.latestVersion());
        if (holders.partners().isEmpty()) {
            return;
        }
        ObjectNode body = Json.mapper().createObjectNode().put("objectionId", objectionId).put("state", state)
                .put("category", d.category()).put("documentNumber", d.document());
        ArrayNode ids = body.putArray("messageIds");
        holders.messageIds().forEach(ids::add);
        String noticeId = notices.issue(c, NOTICE, d.uscc(), body, holders.partners(), actorKind, actor, Optional.empty());
        try (PreparedStatement ps = c.prepareStatement("update credit_objection set notice_id = ?::uuid where id = ?::uuid")) {
            ps.setString(1, noticeId);
            ps.setString(2, objectionId);
            ps.executeUpdate();
        }
    }
}
