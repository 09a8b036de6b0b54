package credit.exchange.routes.alliance;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.routes.audit.AuditTrail;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import credit.exchange.routes.api.Json;
import credit.exchange.routes.model.RecordStatus;
import credit.exchange.routes.push.ReceivedDeliveries;
import credit.exchange.routes.store.Database;
import credit.exchange.routes.store.RecordDocument;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Credit repair (信用修复). A record repaired, withdrawn, or past its publication end is no longer
 * served here (every version of its document takes that status), and every partner it was handed
 * to — known from the outbox, whatever the delivery's state — receives a repair notice naming the
 * message ids it was delivered under. The holder withdraws them (and any that arrives later) and
 * confirms; {@link #status} shows each partner's confirmation.
 */
public final class CreditRepairs {

    public static final String NOTICE = "repair";

    /** A repair as recorded, with where its notice stands at each holder. */
    public record Repair(String id, String category, String sourceDepartment, String documentNumber, String uscc, String reason,
                         String basis, String repairedBy, Optional<String> noticeId, List<AllianceNotices.Delivery> holders) {
    }

    private final Database database;
    private final AllianceNotices notices;
    private final String self;
    private final Clock clock;

    public CreditRepairs(Database database, AllianceNotices notices, String self, Clock clock) {
        this.database = database;
        this.notices = notices;
        this.self = self;
        this.clock = clock;
    }

    /**
     * Repairs the document of record {@code recordId} (any of its versions) for a reason (REPAIRED,
     * WITHDRAWN, EXPIRED) on a basis, and notifies every partner it was handed to.
     */
    public Repair repair(long recordId, String reason, String basis, String actorKind, String actor) {
        String why = reason == null ? "" : reason.strip().toUpperCase(Locale.ROOT);
        if (!List.of("REPAIRED", "WITHDRAWN", "EXPIRED").contains(why)) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "a repair's reason is REPAIRED, WITHDRAWN or EXPIRED");
        }
        if (basis == null || basis.isBlank()) {
            throw new CodedException(ErrorCode.E_FIELD_MISSING, "a repair names its basis (the repair decision, the withdrawal, the rule)");
        }
        String id = UUID.randomUUID().toString();
        try {
            database.inTransaction(c -> {
                RecordDocument d = RecordDocument.of(c, recordId);
                if (!d.close(c, why.equals("EXPIRED") ? "WITHDRAWN" : why)) {
                    throw new CodedException(ErrorCode.E_FIELD_INVALID, "record " + recordId + " is repaired or withdrawn already");
                }
                RecordHolders.Holders holders = RecordHolders.of(c, self, d, Integer.MAX_VALUE);
                Optional<String> noticeId = Optional.empty();
                if (!holders.partners().isEmpty() && d.uscc() != null) {
                    ObjectNode body = Json.mapper().createObjectNode().put("reason", why).put("basis", basis.strip())
                            .put("category", d.category()).put("documentNumber", d.document());
                    ArrayNode ids = body.putArray("messageIds");
                    holders.messageIds().forEach(ids::add);
                    noticeId = Optional.of(notices.issue(c, NOTICE, d.uscc(), body, holders.partners(), actorKind, actor, Optional.empty()));
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        insert into credit_repair (id, category, source_department, document_number, uscc, reason, basis, repaired_by,
                                                   notice_id)
                        values (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?::uuid)""")) {
                    ps.setString(1, id);
                    ps.setString(2, d.category());
                    ps.setString(3, d.department());
                    ps.setString(4, d.document());
                    ps.setString(5, d.uscc());
                    ps.setString(6, why);
                    ps.setString(7, basis.strip());
                    ps.setString(8, actor);
                    ps.setString(9, noticeId.orElse(null));
                    ps.executeUpdate();
                }
                AuditTrail.pending(c, AuditEvent.by(AuditEvent.ActorKind.valueOf(actorKind), actor, AuditEvent.Action.REPAIR)
                        .subject(d.uscc() == null ? null : "U:" + d.uscc()).outcome(AuditEvent.Outcome.named(why))
                        .detail(d.describe() + ": " + basis.strip() + "; held by " + holders.partners()).build());
                return null;
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the repair cannot be stored; retry later", e);
        }
        return status(id);
    }

    /** A repair and each holder's confirmation. */
    public Repair status(String id) {
        if (!AllianceNotices.isUuid(id)) {
            throw new CodedException(ErrorCode.E_NOT_FOUND, "no repair " + id);
        }
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                select id::text, category, source_department, document_number, uscc, reason, basis, repaired_by, notice_id::text
                from credit_repair where id = ?::uuid""")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new CodedException(ErrorCode.E_NOT_FOUND, "no repair " + id);
                }
                Optional<String> notice = Optional.ofNullable(rs.getString(9));
                return new Repair(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getString(8), notice, notice.map(notices::deliveries).orElse(List.of()));
            }
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the repairs cannot be read; retry later", e);
        }
    }

    /** Records whose publication ended before today and are still served: each is repaired as EXPIRED. */
    public int expire(int limit) {
        List<Long> due;
        try (Connection c = database.connection()) {
            due = RecordDocument.pastPublicationEnd(c, RecordStatus.today(clock), limit);
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the publication ends cannot be read; retry later", e);
        }
        for (long record : due) {
            repair(record, "EXPIRED", "publication end date reached", "OPERATOR", "publication-end");
        }
        return due.size();
    }

    /**
     * The handler of repair notices at a holder: the message ids named, of this sender, are
     * withdrawn — those it holds, and any that arrives later; the answer says how many it held.
     */
    public Map<String, NoticeKind> kinds() {
        return Map.of(NOTICE, (c, sender, n) -> {
            int held = RecordHolders.atHolder(c, sender, n.body().path("messageIds"), messageId -> {
                ReceivedDeliveries.withdraw(c, sender.id(), messageId,
                        n.body().path("reason").asText("REPAIRED") + ": " + n.body().path("basis").asText(""));
            });
            return Json.mapper().createObjectNode().put("status", "confirmed").put("withdrawn", held);
        });
    }
}
