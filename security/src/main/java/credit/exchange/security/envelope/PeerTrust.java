package credit.exchange.security.envelope;

import credit.exchange.security.Suite;
import java.security.cert.X509Certificate;

/**
 * Decides whether a certificate presented inside an envelope may sign for its holder: chain to
 * an alliance trust anchor, validity, key usage, revocation, suite. The PKI's certificate
 * validator is the implementation; it throws a coded exception for a certificate it refuses.
 */
@FunctionalInterface
public interface PeerTrust {

    /** The presented certificate, once trusted for signing in the given suite. */
    X509Certificate trustedSigner(X509Certificate presented, Suite suite);
}
