package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.push.PushMessages;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who holds a record (信用修复, 异议处理 tell them): the partners its document's versions were
 * handed to, from the outbox whatever the delivery's state, and the message ids they went under.
 */
record RecordHolders(SortedSet<String> partners, List<String> messageIds) {

    /** The holders of the versions up to {@code maxVersion} of a document. */
    static RecordHolders of(Connection c, String self, RecordDocument d, int maxVersion) throws SQLException {
        SortedSet<String> partners = new TreeSet<>();
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select o.id, o.destination from outbox o join credit_record r on r.id = o.record_id
                where r.category = ? and r.source_department = ? and r.document_number = ? and r.version <= ? order by o.id""")) {
            ps.setString(1, d.category());
            ps.setString(2, d.department());
            ps.setString(3, d.document());
            ps.setInt(4, maxVersion);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(PushMessages.messageId(self, rs.getLong(1)));
                    partners.add(rs.getString(2));
                }
            }
        }
        return new RecordHolders(partners, ids);
    }

    /** What a holder does with one of the sender's message ids a notice names. */
    @FunctionalInterface
    interface MessageAction {
        void apply(String messageId) throws SQLException;
    }

    /**
     * At a holder: applies {@code action} to each message id the notice names that is the sender's
     * own (another node's deliveries are not the sender's to change), held yet or not (a delivery
     * arriving later is looked up against what was applied); returns how many of them it holds.
     */
    static int atHolder(Connection c, Partner sender, JsonNode messageIds, MessageAction action) throws SQLException {
        int held = 0;
        for (JsonNode id : messageIds) {
            String messageId = id.asText();
            if (!messageId.startsWith(sender.id() + ":outbox:")) {
                continue;
            }
            action.apply(messageId);
            try (PreparedStatement ps = c.prepareStatement("select count(*) from received_delivery where sender = ? and message_id = ?")) {
                ps.setString(1, sender.id());
                ps.setString(2, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    held += rs.getInt(1);
                }
            }
        }
        return held;
    }
}
