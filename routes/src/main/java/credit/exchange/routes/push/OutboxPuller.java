package credit.exchange.routes.push;

import credit.exchange.routes.delivery.CrashPoint;
import credit.exchange.routes.exchange.PartnerClient;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.envelope.Envelopes;
import credit.exchange.security.envelope.NodeEnvelopes;
import credit.exchange.security.envelope.OpenedEnvelope;
import credit.exchange.security.envelope.Receipt;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

/**
 * The pulling half of the provincial pull, run by the node that pulls (the provincial platform):
 * one round asks a partner for a batch, keeps each delivery once by message id, then acknowledges
 * the batch with this node's signed receipt of the answer envelope that carried it. Killed
 * between keeping and acknowledging, the batch comes again after the partner's visibility
 * timeout and is kept no second time.
 */
public final class OutboxPuller {

    /**
     * What one round did: how many deliveries came, how many were new here, and the envelope that
     * carried them (its message id; none when the batch was empty) with the deliveries themselves.
     */
    public record Round(int pulled, int stored, int alreadyHeld, String batchId, List<PushMessages.Delivery> deliveries) {
        static final Round EMPTY = new Round(0, 0, 0, null, List.of());
    }

    private final String self;
    private final PartnerClient client;
    private final NodeEnvelopes envelopes;
    private final ReceivedDeliveries received;
    private final Clock clock;

    public OutboxPuller(String self, PartnerClient client, NodeEnvelopes envelopes, ReceivedDeliveries received, Clock clock) {
        this.self = self;
        this.client = client;
        this.envelopes = envelopes;
        this.received = received;
        this.clock = clock;
    }

    /** One pull, keep and acknowledge, over the binding the partner's pull-from names. */
    public Round pullOnce(Partner partner, PartnerClient.Carrier carrier) {
        Partner.PullFrom from = partner.pullFrom().orElseThrow(() -> new IllegalArgumentException(
                "this node does not pull from " + partner.id()));
        PartnerClient.Answered batch = client.exchange(partner, Partner.ExchangeType.PULL, PushMessages.pullRequest(from.batch()), carrier);
        List<PushMessages.Delivery> deliveries = PushMessages.readBatch(batch.answer().payload(), partner.id());
        if (deliveries.isEmpty()) {
            return Round.EMPTY;
        }
        OpenedEnvelope answer = batch.answer();
        Envelopes suite = envelopes.suite(partner.suite());
        // the receipt is made first and kept with the deliveries: each received record shows the evidence its sender holds
        byte[] receipt = suite.signReceipt(new Receipt(answer.headers().messageId(), partner.id(), self, suite.digestAlgorithm(),
                answer.receivedDigest(), clock.instant(), Receipt.ACCEPTED));
        String batchId = answer.headers().messageId();
        ReceivedDeliveries.Stored stored = received.store(partner.id(), deliveries, new ReceivedDeliveries.Batch(batchId, receipt));
        CrashPoint.PULLER_BEFORE_ACKNOWLEDGE.reach();
        client.exchange(partner, Partner.ExchangeType.ACKNOWLEDGE, PushMessages.write(new PushMessages.Acknowledgement(
                batch.receipt().messageId(), deliveries.stream().map(PushMessages.Delivery::messageId).toList(),
                Base64.getEncoder().encodeToString(receipt))), carrier);
        received.acknowledged(partner.id(), batchId);
        return new Round(deliveries.size(), stored.stored(), stored.alreadyHeld(), batchId, deliveries);
    }
}
