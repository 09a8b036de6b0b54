package credit.exchange.security.pki;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.util.IPAddress;

/**
 * The alliance root CA: one self-signed certificate of one {@link Suite}, which issues node
 * certificates and revokes them by CRL. The hierarchy is flat on purpose (root → node, path length
 * 0): the alliance has a handful of members and one operator of the CA, so intermediates would add
 * keys to guard without adding control.
 *
 * <p>Certificate profile (RFC 5280):
 * <ul>
 *   <li>root: subject {@code CN=<name>, O=Credit City Alliance}; basicConstraints {@code CA:true,
 *       pathlen:0} (critical); keyUsage {@code keyCertSign, cRLSign} (critical); subject key
 *       identifier.</li>
 *   <li>node: subject {@code CN=<nodeId>, O=Credit City Alliance}; basicConstraints {@code CA:false}
 *       (critical); keyUsage {@code digitalSignature} plus {@code keyEncipherment} (GM: SM2 key
 *       transport) or {@code keyAgreement} (INTL: ECDH) (critical); extendedKeyUsage
 *       {@code clientAuth, serverAuth} (mutual TLS); subjectAltName {@code DNS:<nodeId>} plus any
 *       extra DNS names; authority and subject key identifiers; cRLDistributionPoints: one
 *       distribution point whose full name is the CRL's {@code http} URLs ({@link #crlUrls}), when
 *       the CA has any (RFC 5280 §4.2.1.13; plain HTTP, as the CRL protects itself by its signature).</li>
 *   <li>serials: 128 random bits, unique among this CA's certificates.</li>
 *   <li>notBefore is backdated by {@link #BACKDATE} to absorb clock skew between nodes; a node
 *       certificate never outlives the CA certificate.</li>
 *   <li>CRL: v2, signed by the CA, with CRL number (incremented per CRL) and authority key
 *       identifier; entries carry a reason code unless the reason is unspecified.</li>
 * </ul>
 *
 * <p>State on disk ({@link #save}/{@link #load}), one directory per CA:
 * <pre>
 *   ca.key.pem    the CA private key, encrypted PKCS#8 (see {@link PemFiles}), rw-------
 *   ca.cert.pem   the CA certificate: the trust anchor partners configure
 *   issued.txt    one line per issued certificate: serial (hex) TAB notAfter (ISO-8601) TAB node ID
 *   revoked.txt   one line per revocation: serial (hex) TAB revocation time (ISO-8601) TAB reason
 *   crlnumber     the number the next CRL gets (decimal)
 *   crl.pem       the latest CRL, if one was made
 *   crl-urls.txt  where the CRL is published, one URL a line, if set ({@link #publishCrlAt})
 * </pre>
 * An instance is safe for use by several threads; the directory is not locked, so one operator at
 * a time changes it.
 */
public final class AllianceCa {

    /** How far notBefore lies before the moment of issue, so a node with a slow clock accepts a fresh certificate. */
    public static final Duration BACKDATE = Duration.ofMinutes(5);

    /** One certificate this CA issued. */
    public record Issued(BigInteger serial, String nodeId, Instant notAfter) {
    }

    /** One revocation this CA recorded. */
    public record Revoked(BigInteger serial, Instant revokedAt, RevocationReason reason) {
    }

    private final Suite suite;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final byte[] keyIdentifier;
    private final Clock clock;
    private final Map<BigInteger, Issued> issued;
    private final Map<BigInteger, Revoked> revoked;
    private BigInteger nextCrlNumber;
    private X509CRL latestCrl;
    private List<URI> crlUrls = List.of();

    AllianceCa(Suite suite, PrivateKey key, X509Certificate certificate, Clock clock, Map<BigInteger, Issued> issued,
            Map<BigInteger, Revoked> revoked, BigInteger nextCrlNumber, X509CRL latestCrl) {
        this.suite = suite;
        this.key = key;
        this.certificate = certificate;
        this.keyIdentifier = CaProfile.subjectKeyIdentifier(certificate.getPublicKey());
        this.clock = clock;
        this.issued = issued;
        this.revoked = revoked;
        this.nextCrlNumber = nextCrlNumber;
        this.latestCrl = latestCrl;
    }

    // ---- creating and persisting ----------------------------------------------------------------

    /** A new root CA with a fresh key, valid from now (less {@link #BACKDATE}) for {@code validity}. */
    public static AllianceCa init(Suite suite, String name, Duration validity) {
        return init(suite, name, validity, Clock.systemUTC());
    }

    /** As {@link #init(Suite, String, Duration)}, with the clock the CA dates everything by. */
    public static AllianceCa init(Suite suite, String name, Duration validity, Clock clock) {
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "a CA name must be 1 to 64 characters");
        }
        requirePositive(validity);
        KeyPair keyPair = suite.generateKeyPair();
        Instant now = now(clock);
        X500Name subject = AllianceProfile.subject(name);
        BigInteger serial = CaProfile.randomSerial();
        X509Certificate certificate = CaProfile.root(suite, keyPair, subject, serial, now.minus(BACKDATE), now.plus(validity));
        return new AllianceCa(suite, keyPair.getPrivate(), certificate, clock, new TreeMap<>(), new TreeMap<>(), BigInteger.ONE, null);
    }

    /** Loads a CA saved by {@link #save}, dating new work by the system clock. */
    public static AllianceCa load(Path dir, char[] passphrase) throws IOException {
        return load(dir, passphrase, Clock.systemUTC());
    }

    /**
     * Loads a CA saved by {@link #save}.
     *
     * @throws CodedException {@link ErrorCode#E_MALFORMED} if a file is damaged, the passphrase is
     *     wrong or the key does not belong to the certificate
     */
    public static AllianceCa load(Path dir, char[] passphrase, Clock clock) throws IOException {
        return CaDirectory.load(dir, passphrase, clock);
    }

    /**
     * Saves the CA's state into {@code dir} (created if missing), each file replaced atomically;
     * the key encrypted under {@code passphrase}, owner read/write only. The public files are
     * written first and the key last, so an interrupted save never leaves a key without its
     * certificate.
     */
    public synchronized void save(Path dir, char[] passphrase) throws IOException {
        CaDirectory.save(dir, passphrase, key, certificate, issued.values(), revoked.values(), nextCrlNumber, latestCrl, crlUrls);
    }

    // ---- issuing -----------------------------------------------------------------------------------

    /**
     * The host names a node certificate carries when none are given: the loopback's, by name and by
     * address, so that a client checking host names reaches a node of one host (and the demo, whose
     * URLs say {@code 127.0.0.1}) by either.
     */
    public static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1");

    /** Issues a node certificate for a fresh key pair of the CA's suite, for the loopback names ({@link #LOOPBACK_NAMES}). */
    public NodeCredentials issueNode(String nodeId, Duration validity) {
        return issueNode(nodeId, validity, List.of());
    }

    /**
     * Issues a node certificate for a fresh key pair of the CA's suite. {@code hostNames} (DNS names
     * or IP addresses the node answers TLS at) are added to the subjectAltName after the node ID;
     * none given, the loopback's ({@link #LOOPBACK_NAMES}).
     */
    public NodeCredentials issueNode(String nodeId, Duration validity, List<String> hostNames) {
        return issueNode(nodeId, validity, hostNames, crlUrls());
    }

    /**
     * As {@link #issueNode(String, Duration, List)}, the certificate naming {@code crlUrls} as its CRL
     * distribution point instead of the CA's own {@link #crlUrls} (none: no distribution point).
     */
    public NodeCredentials issueNode(String nodeId, Duration validity, List<String> hostNames, List<URI> crlUrls) {
        KeyPair keyPair = suite.generateKeyPair();
        X509Certificate nodeCertificate = issueNode(nodeId, keyPair.getPublic(), validity, hostNames, crlUrls);
        return new NodeCredentials(keyPair.getPrivate(), nodeCertificate, List.of(certificate));
    }

    /** As {@link #issueNode(String, PublicKey, Duration, List, List)} with the CA's own {@link #crlUrls}. */
    public X509Certificate issueNode(String nodeId, PublicKey nodeKey, Duration validity, List<String> hostNames) {
        return issueNode(nodeId, nodeKey, validity, hostNames, crlUrls());
    }

    /**
     * Issues a node certificate for a key the node generated itself (its private key never leaves
     * the node). {@code hostNames} as in {@link #issueNode(String, Duration, List)}: an IPv4 or IPv6
     * address is an iPAddress name, anything else a dNSName. {@code crlUrls}, if any, become the
     * certificate's CRL distribution point: the {@code http} URLs where partners fetch this CA's CRL.
     *
     * @throws CodedException {@link ErrorCode#E_SUITE_MISMATCH} if the key is not of the CA's suite;
     *     {@link ErrorCode#E_FIELD_INVALID} for a bad node ID, DNS name or CRL URL, or a validity that
     *     would outlive the CA certificate; {@link ErrorCode#E_CERT_EXPIRED} if the CA certificate is
     *     not valid now
     */
    public synchronized X509Certificate issueNode(String nodeId, PublicKey nodeKey, Duration validity, List<String> hostNames,
            List<URI> crlUrls) {
        AllianceProfile.requireNodeId(nodeId);
        List<URI> distributionPoint = requireCrlUrls(crlUrls);
        requirePositive(validity);
        if (Suite.ofKey(nodeKey).orElse(null) != suite) {
            throw new CodedException(ErrorCode.E_SUITE_MISMATCH, "the node key is not a key of the CA's suite " + suite);
        }
        Set<GeneralName> altNames = new LinkedHashSet<>();
        altNames.add(new GeneralName(GeneralName.dNSName, nodeId));
        for (String host : hostNames.isEmpty() ? LOOPBACK_NAMES : hostNames) {
            // a client matches an address against iPAddress names only (RFC 6125), never a dNSName spelling it
            altNames.add(IPAddress.isValid(host) ? new GeneralName(GeneralName.iPAddress, host)
                    : new GeneralName(GeneralName.dNSName, AllianceProfile.requireNodeId(host)));
        }
        Instant now = now(clock);
        Instant notAfter = now.plus(validity);
        if (now.isBefore(certificate.getNotBefore().toInstant()) || now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new CodedException(ErrorCode.E_CERT_EXPIRED, "the CA certificate is not valid now; it cannot issue");
        }
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "a node certificate valid until " + notAfter
                    + " would outlive the CA certificate (valid until " + certificate.getNotAfter().toInstant() + ")");
        }
        BigInteger serial = CaProfile.randomSerial();
        while (issued.containsKey(serial) || serial.equals(certificate.getSerialNumber())) {
            serial = CaProfile.randomSerial();
        }
        X509Certificate nodeCertificate = CaProfile.node(suite, key, certificate, keyIdentifier, serial, now.minus(BACKDATE), notAfter,
                nodeId, nodeKey, altNames.toArray(GeneralName[]::new), distributionPoint);
        issued.put(serial, new Issued(serial, nodeId, nodeCertificate.getNotAfter().toInstant()));
        return nodeCertificate;
    }

    // ---- revoking ----------------------------------------------------------------------------------

    /**
     * Records the revocation of a certificate this CA issued; it appears in every later
     * {@link #crl}. Revoking a revoked certificate again keeps the first revocation.
     *
     * @throws CodedException {@link ErrorCode#E_NOT_FOUND} if this CA issued no such serial
     */
    public synchronized Revoked revoke(BigInteger serial, RevocationReason reason) {
        if (!issued.containsKey(serial)) {
            throw new CodedException(ErrorCode.E_NOT_FOUND, "this CA issued no certificate with serial " + serial.toString(16));
        }
        return revoked.computeIfAbsent(serial, s -> new Revoked(s, now(clock), reason));
    }

    /**
     * A new CRL listing every revocation, valid from now until now + {@code nextUpdate}; it becomes
     * {@link #latestCrl()} and is written by the next {@link #save}. Publish a new one well before
     * the previous one's nextUpdate: validators refuse certificates of a CA whose CRL is stale.
     */
    public synchronized X509CRL crl(Duration nextUpdate) {
        requirePositive(nextUpdate);
        Instant now = now(clock);
        X509CRL crl = CaProfile.crl(suite, key, certificate, keyIdentifier, now, now.plus(nextUpdate), revoked.values(), nextCrlNumber);
        nextCrlNumber = nextCrlNumber.add(BigInteger.ONE);
        latestCrl = crl;
        return crl;
    }

    /**
     * Sets where this CA's CRL is published: the CRL distribution point of the node certificates
     * issued from now on (those issued before keep theirs). Saved with the CA.
     *
     * @throws CodedException {@link ErrorCode#E_FIELD_INVALID} for a URL that is not an absolute
     *     {@code http} URL with a host
     */
    public synchronized void publishCrlAt(List<URI> urls) {
        crlUrls = requireCrlUrls(urls);
    }

    /** Where this CA's CRL is published ({@link #publishCrlAt}); empty if not set. */
    public synchronized List<URI> crlUrls() {
        return crlUrls;
    }

    // ---- reading -----------------------------------------------------------------------------------

    public Suite suite() {
        return suite;
    }

    /** The CA certificate: the trust anchor every partner configures. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The latest CRL made by {@link #crl} (or loaded), if any. */
    public synchronized Optional<X509CRL> latestCrl() {
        return Optional.ofNullable(latestCrl);
    }

    /** Every certificate issued, by serial. */
    public synchronized List<Issued> issued() {
        return List.copyOf(issued.values());
    }

    /** Every revocation, by serial. */
    public synchronized List<Revoked> revoked() {
        return List.copyOf(revoked.values());
    }

    public synchronized boolean isRevoked(BigInteger serial) {
        return revoked.containsKey(serial);
    }

    /** The CA's private key, for tests that craft certificates outside the profile. */
    PrivateKey privateKey() {
        return key;
    }

    @Override
    public String toString() {
        return "AllianceCa[" + certificate.getSubjectX500Principal().getName() + ", suite=" + suite + ", key=redacted]";
    }

    // ---- plumbing ----------------------------------------------------------------------------------

    private static Instant now(Clock clock) {
        // certificates and CRLs carry whole seconds; truncating keeps the in-memory state equal to what is saved
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static void requirePositive(Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "a validity period must be positive");
        }
    }

    /**
     * CRL URLs must be plain {@code http}: a CRL is signed and needs no channel security, and an
     * {@code https} URL would need the very revocation check it serves (RFC 5280 §8).
     */
    private static List<URI> requireCrlUrls(List<URI> urls) {
        for (URI u : urls) {
            if (!u.isAbsolute() || !"http".equals(u.getScheme()) || u.getHost() == null || u.getRawPath() == null
                    || u.getRawPath().isEmpty() || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                throw new CodedException(ErrorCode.E_FIELD_INVALID, "a CRL URL must be an absolute http URL with a host and a path,"
                        + " without query, fragment or user: " + u);
            }
        }
        return List.copyOf(new LinkedHashSet<>(urls));
    }




}
