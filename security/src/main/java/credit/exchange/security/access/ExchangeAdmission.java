package credit.exchange.security.access;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who may start an exchange with this node: the one place that decides it. Before any
 * cryptography, the TLS peer must be an enabled partner; once the envelope is open, its signer
 * must be that same node (the TLS identity and the signature name one sender), an enabled
 * partner, in the suite agreed with it, allowed to start this type of exchange.
 */
public final class ExchangeAdmission {

    private final Function<String, Optional<PartnerTerms>> partners;
    private final String self;

    /** @param partners the terms of a partner by node id, as configured now */
    public ExchangeAdmission(String self, Function<String, Optional<PartnerTerms>> partners) {
        this.self = self;
        this.partners = partners;
    }

    /** The TLS client, before its envelope is opened. @throws CodedException E_UNKNOWN_PARTNER */
    public PartnerTerms admitTransport(String transportPeer) {
        return enabled(transportPeer);
    }

    /**
     * The opened envelope's sender.
     *
     * @param transportPeer the TLS client's node id; empty only on a dev-mode listener without TLS
     * @throws CodedException E_TRANSPORT_MISMATCH, E_UNKNOWN_PARTNER, E_SUITE_MISMATCH
     */
    public PartnerTerms admit(Optional<String> transportPeer, String signer, Suite envelopeSuite, String exchangeType) {
        requireSameNode(transportPeer, signer);
        PartnerTerms terms = enabled(signer);
        if (envelopeSuite != terms.suite()) {
            throw new CodedException(ErrorCode.E_SUITE_MISMATCH, "partner " + signer + " is configured for the "
                    + terms.suite() + " suite but sent a " + envelopeSuite + " envelope");
        }
        if (!terms.mayStart().contains(exchangeType)) {
            throw new CodedException(ErrorCode.E_UNKNOWN_PARTNER, "partner " + signer + " may not start '" + exchangeType
                    + "' exchanges with " + self);
        }
        return terms;
    }

    /** A duplicate's sender must still be the TLS client. @throws CodedException E_TRANSPORT_MISMATCH */
    public void requireSameNode(Optional<String> transportPeer, String signer) {
        if (transportPeer.isPresent() && !transportPeer.get().equals(signer)) {
            throw new CodedException(ErrorCode.E_TRANSPORT_MISMATCH, "the TLS client is node " + transportPeer.get()
                    + " but the envelope is signed by " + signer);
        }
    }

    private PartnerTerms enabled(String nodeId) {
        return partners.apply(nodeId).filter(PartnerTerms::enabled).orElseThrow(() -> new CodedException(
                ErrorCode.E_UNKNOWN_PARTNER, "node " + nodeId + " is not an enabled partner of " + self));
    }
}
