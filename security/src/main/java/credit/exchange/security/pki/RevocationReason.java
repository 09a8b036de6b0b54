package credit.exchange.security.pki;

import org.bouncycastle.asn1.x509.CRLReason;

/**
 * Why a node certificate was revoked, as RFC 5280 §5.3.1 codes it in a CRL entry. Hold and
 * remove-from-CRL are left out on purpose: an alliance revocation is final.
 */
public enum RevocationReason {
    /** No reason given; the CRL entry then carries no reason code, as RFC 5280 asks. */
    UNSPECIFIED(CRLReason.unspecified),
    /** The node's private key is known or suspected to be in other hands. */
    KEY_COMPROMISE(CRLReason.keyCompromise),
    /** The CA's own key is known or suspected to be compromised. */
    CA_COMPROMISE(CRLReason.cACompromise),
    /** The node's name or membership changed (e.g. a city left the alliance). */
    AFFILIATION_CHANGED(CRLReason.affiliationChanged),
    /** A new certificate replaces this one (key rollover). */
    SUPERSEDED(CRLReason.superseded),
    /** The node no longer operates. */
    CESSATION_OF_OPERATION(CRLReason.cessationOfOperation),
    /** The node lost the right to exchange. */
    PRIVILEGE_WITHDRAWN(CRLReason.privilegeWithdrawn);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** The RFC 5280 {@code CRLReason} value. */
    public int code() {
        return code;
    }
}
