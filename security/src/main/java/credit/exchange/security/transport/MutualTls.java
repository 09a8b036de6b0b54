package credit.exchange.security.transport;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.pki.AllianceProfile;
import credit.exchange.security.pki.CertificateValidator;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Usage;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Mutual TLS between alliance nodes. Both sides present their node's INTL certificate (ECDSA
 * P-256): JSSE has no SM2 cipher suites, so the GM suite applies to the envelope, which carries
 * the end-to-end protection, and TLS always uses the INTL credential. A peer's certificate is
 * trusted by the same {@link CertificateValidator} as an envelope signer (chain to an alliance
 * anchor, validity, digitalSignature key usage, a current CRL without its serial); a client
 * additionally requires the server to be the very node it meant to call.
 *
 * <p>TLS 1.3 only: every alliance node runs this software or a current TLS stack.
 */
public final class MutualTls {

    public static final String PROTOCOL = "TLSv1.3";

    private MutualTls() {
    }

    /** The context of the exchange listener: it asks every client for its node certificate. */
    public static SSLContext server(NodeCredentials own, CertificateValidator validator) {
        return context(own, new NodeTrustManager(validator, null));
    }

    /** The context for calling one partner: the server's certificate must name {@code partnerNodeId}. */
    public static SSLContext client(NodeCredentials own, CertificateValidator validator, String partnerNodeId) {
        return context(own, new NodeTrustManager(validator, partnerNodeId));
    }

    /**
     * The key and trust managers of {@link #server}, for a TLS listener that builds its own
     * context from them (the SOAP service's Undertow engine): the same checks, the same key.
     */
    public record ServerManagers(KeyManager[] keyManagers, TrustManager[] trustManagers) {
    }

    public static ServerManagers serverManagers(NodeCredentials own, CertificateValidator validator) {
        return new ServerManagers(keyManagers(own), new TrustManager[] {new NodeTrustManager(validator, null)});
    }

    /** The node id of the peer of an established session (its certificate's CN), if it presented one. */
    public static Optional<String> peerNodeId(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(AllianceProfile.nodeId(x)) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private static SSLContext context(NodeCredentials own, TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keyManagers(own), new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new CodedException(ErrorCode.E_INTERNAL, "the TLS context cannot be built: " + e.getClass().getSimpleName(), e);
        }
    }

    private static KeyManager[] keyManagers(NodeCredentials own) {
        if (own.suite() != Suite.INTL) {
            throw new CodedException(ErrorCode.E_SUITE_MISMATCH, "TLS needs the node's INTL (P-256) credential; JSSE has no SM2");
        }
        try {
            char[] transientPassword = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("node", own.privateKey(), transientPassword, own.certificateChain().toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keys, transientPassword);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new CodedException(ErrorCode.E_INTERNAL, "the TLS context cannot be built: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Trusts what the alliance PKI trusts; optionally only one named node. */
    private static final class NodeTrustManager extends X509ExtendedTrustManager {

        private final CertificateValidator validator;
        private final String requiredNode;

        NodeTrustManager(CertificateValidator validator, String requiredNode) {
            this.validator = validator;
            this.requiredNode = requiredNode;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no certificate presented");
            }
            try {
                X509Certificate trusted = validator.validate(chain[0], Suite.INTL, Usage.SIGNING);
                if (requiredNode != null && !requiredNode.equals(AllianceProfile.nodeId(trusted))) {
                    throw new CertificateException(ErrorCode.E_CERT_UNTRUSTED + ": the server is node "
                            + AllianceProfile.nodeId(trusted) + ", not " + requiredNode);
                }
            } catch (CodedException e) {
                throw new CertificateException(e.code() + ": " + e.getMessage());
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return validator.trustAnchors().toArray(new X509Certificate[0]);
        }
    }
}
