package credit.exchange.security.envelope;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.cms.AttributeTable;

/**
 * The cryptographic content of an envelope: decrypted with our key, its one signature verified,
 * its signer trusted by the alliance PKI. Exchange checks (headers, freshness, replay) are not
 * yet applied; {@link Envelopes#open} adds them.
 */
public record VerifiedContent(byte[] payload, X509Certificate signer, AttributeTable signedAttributes, byte[] receivedDigest) {
}
