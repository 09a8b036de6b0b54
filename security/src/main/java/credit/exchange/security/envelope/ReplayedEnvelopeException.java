package credit.exchange.security.envelope;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;

/**
 * {@link ErrorCode#E_REPLAY}: an authentic, fresh envelope whose message id this node already
 * received from its sender. It carries the verified headers, so that the exchange can answer a
 * duplicate with the answer it already gave rather than process it twice.
 */
public final class ReplayedEnvelopeException extends CodedException {

    private final transient ExchangeHeaders headers;

    public ReplayedEnvelopeException(ExchangeHeaders headers) {
        super(ErrorCode.E_REPLAY, "message " + headers.messageId() + " from " + headers.sender() + " was already received");
        this.headers = headers;
    }

    /** The verified headers of the duplicate. */
    public ExchangeHeaders headers() {
        return headers;
    }
}
