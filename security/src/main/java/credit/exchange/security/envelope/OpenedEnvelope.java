package credit.exchange.security.envelope;

import java.security.cert.X509Certificate;

/**
 * An envelope that opened: decrypted with our key, signature verified, signer trusted, fresh,
 * not a replay, addressed to us.
 *
 * @param headers        the signed headers
 * @param payload        the UTF-8 JSON payload
 * @param signer         the sender's validated certificate
 * @param receivedDigest digest of the exact bytes received (SHA-256, or SM3 in the GM suite), for the receipt
 */
public record OpenedEnvelope(ExchangeHeaders headers, byte[] payload, X509Certificate signer, byte[] receivedDigest) {
}
