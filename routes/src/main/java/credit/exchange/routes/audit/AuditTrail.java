package credit.exchange.routes.audit;

import credit.exchange.security.audit.AuditEvent;
import credit.exchange.security.audit.AuditRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * The one way an action with a transaction of its own writes its audit event: pending, in that
 * transaction, so that the event commits only with the action and the action only with its event;
 * the chainer ({@link AuditStore#chainAll}) gives it its place in the chain. Actions without a
 * transaction to share hand their events to the {@link AuditWriter} instead.
 */
public final class AuditTrail {

    private AuditTrail() {
    }

    /** Writes the event, unchained, in the caller's transaction; its time is the database's now() unless it has one. */
    public static void pending(Connection c, AuditEvent event) throws SQLException {
        AuditRecord e = event.fields();
        try (PreparedStatement ps = c.prepareStatement("""
                insert into audit_event (at, actor_kind, actor, partner, action, subject_key, classification, dataset, purpose,
                                         authorisation_id, decision, reason, message_ids, outcome, latency_ms, detail, decisions)
                values (coalesce(?::timestamptz, now()), ?, ?, ?, ?, ?, ?, ?, ?, ?::uuid, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setTimestamp(1, e.at() == null ? null : Timestamp.from(e.at()));
            ps.setString(2, e.actorKind());
            ps.setString(3, e.actor());
            ps.setString(4, e.partner());
            ps.setString(5, e.action());
            ps.setString(6, e.subjectKey());
            ps.setString(7, e.classification());
            ps.setString(8, e.dataset());
            ps.setString(9, e.purpose());
            ps.setString(10, e.authorisationId());
            ps.setString(11, e.decision());
            ps.setString(12, e.reason());
            ps.setArray(13, e.messageIds().isEmpty() ? null : c.createArrayOf("text", e.messageIds().toArray()));
            ps.setString(14, e.outcome());
            ps.setObject(15, e.latencyMs(), Types.INTEGER);
            ps.setString(16, e.detail());
            ps.setArray(17, e.decisions().isEmpty() ? null : c.createArrayOf("text", e.decisionTexts().toArray()));
            ps.executeUpdate();
        }
    }
}
