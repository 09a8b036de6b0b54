package credit.exchange.routes.query;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import credit.exchange.routes.model.CreditRecord;
import java.time.Instant;

/**
 * A record another node handed this one (a city's pulled delivery, a double-publicity delivery),
 * as a local query shows it: the record's fields as the reader's disclosure allows (it has no id
 * here: this node did not store it as its own), and where it came from.
 */
public record ReceivedRecord(@JsonUnwrapped @JsonIgnoreProperties({"id"}) CreditRecord record, Source source) {

    /**
     * Where a received record came from.
     *
     * @param partner the node that handed it over
     * @param messageId the delivery's message id ({@code <partner>:outbox:<n>}), the same at the partner
     * @param batch the message id of the envelope that carried it
     * @param receivedAt when it arrived here
     * @param receipt this node's signed receipt of that envelope (base64 CMS), as the partner holds it; absent if none was made
     */
    public record Source(String partner, String messageId, String batch, Instant receivedAt, String receipt) {
    }
}
