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
import java.util.List;
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
 * <p>TLS 1.3 only, on both sides: every alliance node runs this software or a current TLS stack,
 * and TLS 1.3 has only AEAD cipher suites, forward secrecy, an encrypted certificate exchange and no
 * renegotiation. The contexts built here enable nothing else on the engines and sockets they make
 * (a JDK context of protocol "TLSv1.3" alone would still accept a TLS 1.2 ClientHello with CBC
 * suites and renegotiation); a listener that sets its own protocol list (the SOAP service's
 * Undertow) excludes {@link #REFUSED_PROTOCOLS}.
 */
public final class MutualTls {

    public static final String PROTOCOL = "TLSv1.3";
    /** The TLS 1.3 suites, all AEAD; the JDK's preference order. */
    public static final List<String> CIPHER_SUITES = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256");
    /** What a listener configured by protocol lists must exclude: everything before TLS 1.3. */
    public static final List<String> REFUSED_PROTOCOLS = List.of("SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2");

    private MutualTls() {
    }

    /** The context of the exchange listener: it asks every client for its node certificate. */
    public static SSLContext server(NodeCredentials own, CertificateValidator validator) {
        return context(own, new NodeTrustManager(validator, null));
    }

    /** Told of a refused handshake: the peer's address and the reason, for one log line. */
    @FunctionalInterface
    public interface HandshakeFailures {
        void refused(String peer, String reason);
    }

    /**
     * {@link #server} whose engines report their failed handshake to {@code failures}, for a
     * listener that makes each engine for its peer's address (Undertow) and would otherwise log
     * the refusal with a stack trace and no peer, or not at all.
     */
    public static SSLContext server(NodeCredentials own, CertificateValidator validator, HandshakeFailures failures) {
        return new Tls13Context(initialised(own, new NodeTrustManager(validator, null)), failures);
    }

    /** The context for calling one partner: the server's certificate must name {@code partnerNodeId}. */
    public static SSLContext client(NodeCredentials own, CertificateValidator validator, String partnerNodeId) {
        return context(own, new NodeTrustManager(validator, partnerNodeId));
    }

    /**
     * The key and trust managers of {@link #server}, for a TLS endpoint that builds its own
     * context from them (a test's client restricted to one protocol): the same checks, the same
     * key, none of this class's protocol restriction.
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

    /**
     * Why a handshake failed, in one line for the log (the innermost message: "no certificate
     * presented", "E_CERT_UNTRUSTED: …", "The client supported protocol versions [TLSv1.2] are not
     * accepted by server preferences [TLS13]"): a refused peer is routine, its stack trace is noise.
     */
    public static String failureReason(Throwable failure) {
        Throwable t = failure;
        String reason = null;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        reason = reason == null ? failure.getClass().getSimpleName() : reason;
        // one line, bounded: a peer chooses part of the text (its protocol list), never our log's shape
        reason = reason.replaceAll("[\\r\\n\\t]+", " ");
        return reason.length() > 300 ? reason.substring(0, 300) + "…" : reason;
    }

    private static SSLContext context(NodeCredentials own, TrustManager trust) {
        return new Tls13Context(initialised(own, trust));
    }

    private static SSLContext initialised(NodeCredentials own, TrustManager trust) {
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
