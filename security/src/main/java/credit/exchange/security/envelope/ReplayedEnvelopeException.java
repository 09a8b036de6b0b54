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
    private final byte[] signedDigest;

    /** @param signedDigest SHA-256 of the DER of the envelope's signed attributes, which bind its content (messageDigest) */
    public ReplayedEnvelopeException(ExchangeHeaders headers, byte[] signedDigest) {
        super(ErrorCode.E_REPLAY, "message " + headers.messageId() + " from " + headers.sender() + " was already received");
        this.headers = headers;
        this.signedDigest = signedDigest.clone();
    }

    /**
     * What the sender signed, as a digest: SHA-256 of the DER of the signed attributes (message id,
     * sender, recipient, type, signing time and the content's messageDigest). Equal for the same
     * signed message however often it is encrypted again; different for any other content.
     */
    public byte[] signedDigest() {
        return signedDigest.clone();
    }

    /** The verified headers of the duplicate. */
    public ExchangeHeaders headers() {
        return headers;
    }
}
