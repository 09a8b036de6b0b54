package credit.exchange.routes.push;

import credit.exchange.routes.exchange.ExchangeHandler;
import credit.exchange.routes.partner.Partner;
import credit.exchange.security.envelope.OpenedEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of double publicity (双公示), as the national platform's node runs it: a
 * partner allowed to deliver publicity ({@code may-start: publicity}) sends a batch of records;
 * each is kept once by message id, and the answer says how many were new. The exchange
 * listener signs the receipt and keeps the answer, so a repeated envelope is answered again
 * without being processed twice; the receipt is kept here too, as the records' source.
 */
public final class PublicityReceiver implements ExchangeHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PublicityReceiver.class);

    private final ReceivedDeliveries received;

    public PublicityReceiver(ReceivedDeliveries received) {
        this.received = received;
    }

    @Override
    public byte[] answer(Partner partner, OpenedEnvelope request) {
        ReceivedDeliveries.Stored stored = received.store(partner.id(), PushMessages.readBatch(request.payload(), partner.id()),
                new ReceivedDeliveries.Batch(request.headers().messageId(), null));
        LOG.info("publicity {} from {}: {} new, {} already held", request.headers().messageId(), partner.id(),
                stored.stored(), stored.alreadyHeld());
        return PushMessages.write(stored);
    }

    /** The receipt the listener signed for the delivery: the source of its records here. */
    @Override
    public void receipted(Partner partner, OpenedEnvelope request, byte[] receipt) {
        received.receipted(partner.id(), request.headers().messageId(), receipt);
    }
}
