package credit.exchange.routes.push;

import credit.exchange.routes.delivery.PublicityDeliveries;
import credit.exchange.routes.exchange.ExchangeHandler;
import credit.exchange.routes.exchange.ExchangeMessages;
import credit.exchange.routes.partner.Partner;
import credit.exchange.routes.store.Database;
import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving half of the provincial pull, behind the exchange listener (REST) and the SOAP
 * service alike: a {@code pull} is answered with a batch of the partner's deliveries from the
 * outbox (PULLED until acknowledged or the visibility timeout passes); an {@code acknowledge}
 * names the delivered message ids and carries the partner's signed receipt of the batch's answer
 * envelope, which must verify against the answer we keep for that pull before anything changes.
 */
public final class PullService {

    private static final Logger LOG = LoggerFactory.getLogger(PullService.class);

    private final String self;
    private final PublicityDeliveries outbox;
    private final Database database;
    private final ExchangeMessages messages;
    private final NodeEnvelopes envelopes;

    public PullService(String self, Database database, PublicityDeliveries outbox, ExchangeMessages messages, NodeEnvelopes envelopes) {
        this.database = database;
        this.self = self;
        this.outbox = outbox;
        this.messages = messages;
        this.envelopes = envelopes;
    }

    /** The handlers of the exchange types this service answers. */
    public Map<Partner.ExchangeType, ExchangeHandler> handlers() {
        return Map.of(Partner.ExchangeType.PULL, this::pull, Partner.ExchangeType.ACKNOWLEDGE, this::acknowledge);
    }

    private byte[] pull(Partner partner, OpenedEnvelope request) {
        Partner.Push push = partner.push().filter(Partner.Push::pull).orElseThrow(() -> new CodedException(
                ErrorCode.E_NOT_GRANTED, "partner " + partner.id() + " pulls nothing from this node"));
        int max = Math.min(PushMessages.readPullRequest(request.payload()), push.maxBatch());
        List<PublicityDeliveries.Pulled> pulled = outbox.handOut(partner.id(), max, push.visibility());
        List<PushMessages.Delivery> batch = new ArrayList<>(pulled.size());
        for (PublicityDeliveries.Pulled p : pulled) {
            batch.add(new PushMessages.Delivery(PushMessages.messageId(self, p.outboxId()), null, null, p.recordJson()));
        }
        LOG.debug("pull {} by {}: {} deliveries", request.headers().messageId(), partner.id(), batch.size());
        return PushMessages.batch(batch);
    }

    private byte[] acknowledge(Partner partner, OpenedEnvelope request) {
        PushMessages.Acknowledgement ack = PushMessages.readAcknowledgement(request.payload());
        byte[] batchEnvelope = messages.answerTo(partner.id(), ack.batch())
                .map(ExchangeMessages.StoredAnswer::answer)
                .orElseThrow(() -> new CodedException(ErrorCode.E_UNKNOWN_MESSAGE, "no batch answered pull " + ack.batch()
                        + " of " + partner.id() + " (unknown, or forgotten since: pull again)"));
        byte[] receiptBytes;
        try {
            receiptBytes = Base64.getDecoder().decode(ack.receipt());
        } catch (IllegalArgumentException e) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the receipt is not base64");
        }
        Receipt receipt = envelopes.suite(partner.suite()).verifyReceipt(receiptBytes, batchEnvelope, partner.id());
        List<Long> ids = new ArrayList<>(ack.messageIds().size());
        for (String id : ack.messageIds()) {
            ids.add(PushMessages.outboxId(self, id).orElseThrow(() -> new CodedException(ErrorCode.E_UNKNOWN_MESSAGE,
                    "'" + id + "' is not a message id of this node's outbox; nothing was acknowledged")));
        }
        acknowledge(database, outbox, partner.id(), ids, receipt.messageId(), receiptBytes);
        return ("{\"acknowledged\":" + ids.size() + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Keeps the partner's signed receipt of the batch (pull_receipt) and acknowledges its deliveries
     * with it, all or none: a delivery it was never handed refuses the whole acknowledgement.
     */
    public static void acknowledge(Database database, PublicityDeliveries outbox, String partner, List<Long> outboxIds, String batchId,
                                   byte[] receipt) {
        try {
            database.inTransaction(c -> {
                try (PreparedStatement keep = c.prepareStatement("""
                        insert into pull_receipt (destination, batch_id, receipt) values (?, ?, ?)
                        on conflict (destination, batch_id) do nothing""")) {
                    keep.setString(1, partner);
                    keep.setString(2, batchId);
                    keep.setBytes(3, receipt);
                    keep.executeUpdate();
                }
                outbox.acknowledge(c, partner, outboxIds, batchId);
                return null;
            });
        } catch (SQLException e) {
            throw new CodedException(ErrorCode.E_UNAVAILABLE, "the outbox cannot be written; retry later", e);
        }
    }
}
