package credit.exchange.security.envelope;

import java.time.Instant;
import java.util.Objects;

/**
 * What an envelope says about itself, carried as signed attributes of its SignedData so that
 * the sender's signature covers them: who sent it to whom, what kind of exchange it is, which
 * message it answers, and when it was signed.
 *
 * @param messageId     unique per sender; the receiver refuses a second message with the same id
 * @param sender        the sending node's id; must match the signer certificate's common name
 * @param recipient     the receiving node's id
 * @param exchangeType  e.g. {@code query}, {@code query-answer}, {@code push}, {@code receipt}
 * @param correlationId the message id this one answers, or null
 * @param signingTime   when the sender signed; checked against the receiver's freshness window
 */
public record ExchangeHeaders(String messageId, String sender, String recipient, String exchangeType,
                              String correlationId, Instant signingTime) {

    public ExchangeHeaders {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(exchangeType, "exchangeType");
        Objects.requireNonNull(signingTime, "signingTime");
    }
}
