package credit.exchange.routes.alliance;

import com.fasterxml.jackson.databind.JsonNode;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.delivery.PublicityDeliveries;
import credit.exchange.routes.push.PushMessages;
import credit.exchange.routes.push.ReceivedDeliveries;
import credit.exchange.routes.store.RecordDocument;
import java.sql.Connection;
import java.sql.SQLException;

/** Who holds a document's versions (信用修复, 异议处理 tell them), and what a holder does with a notice's message ids. */
final class RecordHolders {

    private RecordHolders() {
    }

    /**
     * Who holds records: the partners they were handed to, whatever the delivery's state, and the
     * message ids they went under, in outbox order.
     */
    record Holders(java.util.SortedSet<String> partners, java.util.List<String> messageIds) {
    }

    /** The holders of the versions up to {@code maxVersion} of a document, in the caller's transaction. */
    static Holders of(Connection c, String self, RecordDocument d, int maxVersion) throws SQLException {
        java.util.SortedSet<String> partners = new java.util.TreeSet<>();
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (PublicityDeliveries.Holder h : PublicityDeliveries.holders(c, d.versionIds(c, maxVersion))) {
            partners.add(h.destination());
            ids.add(PushMessages.messageId(self, h.outboxId()));
        }
        return new Holders(partners, ids);
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
            if (!PushMessages.isOutboxMessageOf(sender.id(), messageId)) {
                continue;
            }
            action.apply(messageId);
            held += ReceivedDeliveries.held(c, sender.id(), messageId);
        }
        return held;
    }
}
