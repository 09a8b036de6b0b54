package credit.exchange.security.pki;

import credit.exchange.security.Suite;

/**
 * What a peer's certificate is about to be trusted for; each maps to the key-usage bit the
 * alliance CA sets for it.
 */
public enum Usage {
    /** Verifying the peer's signatures (envelope signer, receipts, audit checkpoints): {@code digitalSignature}. */
    SIGNING,
    /**
     * Encrypting to the peer: {@code keyEncipherment} for GM (SM2 key transport) and
     * {@code keyAgreement} for INTL (ECDH).
     */
    ENCRYPTION;

    /** The index of the required bit in {@link java.security.cert.X509Certificate#getKeyUsage()}. */
    int keyUsageBit(Suite suite) {
        if (this == SIGNING) {
            return KeyUsageBits.DIGITAL_SIGNATURE;
        }
        return suite == Suite.GM ? KeyUsageBits.KEY_ENCIPHERMENT : KeyUsageBits.KEY_AGREEMENT;
    }

    /** Bit positions of {@code X509Certificate.getKeyUsage()}, as RFC 5280 §4.2.1.3 numbers them. */
    static final class KeyUsageBits {
        static final int DIGITAL_SIGNATURE = 0;
        static final int KEY_ENCIPHERMENT = 2;
        static final int KEY_AGREEMENT = 4;
        static final int KEY_CERT_SIGN = 5;
        static final int CRL_SIGN = 6;

        private KeyUsageBits() {
        }
    }
}
