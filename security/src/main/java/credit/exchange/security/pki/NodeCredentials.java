package credit.exchange.security.pki;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's own identity: its private key, its certificate and the CA certificates above it. The
 * key is checked to belong to the certificate when the credentials are made, so a mismatched pair
 * fails at start-up rather than at the first message. {@link #toString()} never shows the key.
 *
 * <p>On disk: the key in an encrypted PKCS#8 PEM file ({@link PemFiles#readPrivateKey}), the
 * certificate file holding the node's certificate first, then its CA chain.
 */
public final class NodeCredentials {


    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final List<X509Certificate> caChain;
    private final Suite suite;
    private final String nodeId;

    /**
     * @throws CodedException {@link ErrorCode#E_SUITE_MISMATCH} if the certificate's key is of
     *     neither suite; {@link ErrorCode#E_MALFORMED} if the key does not belong to the certificate
     *     or the certificate names no node
     */
    public NodeCredentials(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> caChain) {
        this.suite = Suite.ofKey(certificate.getPublicKey()).orElseThrow(() -> new CodedException(
                ErrorCode.E_SUITE_MISMATCH, "the node certificate's key is neither an SM2 (GM) nor a P-256 (INTL) key"));
        requireKeyPair(privateKey, certificate, suite);
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.caChain = List.copyOf(caChain);
        this.nodeId = AllianceProfile.nodeId(certificate);
    }

    /**
     * Loads a node's credentials: the encrypted key file and a certificate file holding the node's
     * certificate followed by its CA chain.
     */
    public static NodeCredentials load(Path keyFile, Path certificateFile, char[] passphrase) throws IOException {
        List<X509Certificate> certificates = PemFiles.readCertificates(certificateFile);
        PrivateKey key = PemFiles.readPrivateKey(keyFile, passphrase);
        return new NodeCredentials(key, certificates.get(0), certificates.subList(1, certificates.size()));
    }

    /** Writes the key (encrypted, owner-only) and the certificate followed by its CA chain. */
    public void save(Path keyFile, Path certificateFile, char[] passphrase) throws IOException {
        PemFiles.writePrivateKey(keyFile, privateKey, passphrase);
        PemFiles.writeCertificates(certificateFile, certificateChain());
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificates above the node's certificate, nearest first; may be empty. */
    public List<X509Certificate> caChain() {
        return caChain;
    }

    /** The node's certificate followed by its CA chain, as sent to peers. */
    public List<X509Certificate> certificateChain() {
        List<X509Certificate> chain = new ArrayList<>(caChain.size() + 1);
        chain.add(certificate);
        chain.addAll(caChain);
        return List.copyOf(chain);
    }

    public Suite suite() {
        return suite;
    }

    /** The node ID the certificate names (its subject CN). */
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String toString() {
        return "NodeCredentials[node=" + nodeId + ", suite=" + suite + ", serial=" + certificate.getSerialNumber().toString(16)
                + ", key=redacted]";
    }

    private static void requireKeyPair(PrivateKey privateKey, X509Certificate certificate, Suite suite) {
        if (!suite.keysMatch(privateKey, certificate.getPublicKey())) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the private key does not belong to the certificate with serial "
                    + certificate.getSerialNumber().toString(16));
        }
    }
}
