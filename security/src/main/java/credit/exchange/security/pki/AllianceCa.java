package credit.exchange.security.pki;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
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

    static final String KEY_FILE = "ca.key.pem";
    static final String CERT_FILE = "ca.cert.pem";
    static final String ISSUED_FILE = "issued.txt";
    static final String REVOKED_FILE = "revoked.txt";
    static final String CRL_NUMBER_FILE = "crlnumber";
    static final String CRL_FILE = "crl.pem";
    static final String CRL_URLS_FILE = "crl-urls.txt";

    private static final SecureRandom RANDOM = new SecureRandom();

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

    private AllianceCa(Suite suite, PrivateKey key, X509Certificate certificate, Clock clock, Map<BigInteger, Issued> issued,
            Map<BigInteger, Revoked> revoked, BigInteger nextCrlNumber, X509CRL latestCrl) {
        this.suite = suite;
        this.key = key;
        this.certificate = certificate;
        this.keyIdentifier = subjectKeyIdentifier(certificate.getPublicKey());
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
        BigInteger serial = randomSerial();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, keyPair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new SubjectKeyIdentifier(subjectKeyIdentifier(keyPair.getPublic())));
            X509Certificate certificate = toCertificate(builder.build(signer(suite, keyPair.getPrivate())));
            return new AllianceCa(suite, keyPair.getPrivate(), certificate, clock, new TreeMap<>(), new TreeMap<>(),
                    BigInteger.ONE, null);
        } catch (IOException e) {
            throw new IllegalStateException("the CA certificate cannot be built", e);
        }
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
        X509Certificate certificate = PemFiles.readCertificate(dir.resolve(CERT_FILE));
        if (certificate.getBasicConstraints() < 0) {
            throw new CodedException(ErrorCode.E_MALFORMED, dir.resolve(CERT_FILE) + " is not a CA certificate");
        }
        Suite suite = Suite.ofKey(certificate.getPublicKey()).orElseThrow(() -> new CodedException(ErrorCode.E_MALFORMED,
                dir.resolve(CERT_FILE) + " holds a key of neither suite"));
        PrivateKey key = PemFiles.readPrivateKey(dir.resolve(KEY_FILE), passphrase);
        requireKeyPair(suite, key, certificate.getPublicKey(), dir.resolve(KEY_FILE));

        Map<BigInteger, Issued> issued = new TreeMap<>();
        for (String[] f : readTable(dir.resolve(ISSUED_FILE))) {
            BigInteger serial = new BigInteger(f[0], 16);
            issued.put(serial, new Issued(serial, f[2], Instant.parse(f[1])));
        }
        Map<BigInteger, Revoked> revoked = new TreeMap<>();
        for (String[] f : readTable(dir.resolve(REVOKED_FILE))) {
            BigInteger serial = new BigInteger(f[0], 16);
            RevocationReason reason;
            try {
                reason = RevocationReason.valueOf(f[2]);
            } catch (IllegalArgumentException e) {
                throw new CodedException(ErrorCode.E_MALFORMED, dir.resolve(REVOKED_FILE) + " names an unknown revocation reason");
            }
            revoked.put(serial, new Revoked(serial, Instant.parse(f[1]), reason));
        }
        BigInteger nextCrlNumber = BigInteger.ONE;
        Path crlNumberFile = dir.resolve(CRL_NUMBER_FILE);
        if (Files.exists(crlNumberFile)) {
            try {
                nextCrlNumber = new BigInteger(Files.readString(crlNumberFile, StandardCharsets.US_ASCII).trim());
            } catch (NumberFormatException e) {
                throw new CodedException(ErrorCode.E_MALFORMED, crlNumberFile + " does not hold a number");
            }
        }
        Path crlFile = dir.resolve(CRL_FILE);
        X509CRL crl = Files.exists(crlFile) ? PemFiles.readCrl(crlFile) : null;
        AllianceCa ca = new AllianceCa(suite, key, certificate, clock, issued, revoked, nextCrlNumber, crl);
        Path crlUrlsFile = dir.resolve(CRL_URLS_FILE);
        if (Files.exists(crlUrlsFile)) {
            List<URI> urls = new ArrayList<>();
            for (String line : Files.readAllLines(crlUrlsFile, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    try {
                        urls.add(new URI(line.trim()));
                    } catch (java.net.URISyntaxException e) {
                        throw new CodedException(ErrorCode.E_MALFORMED, crlUrlsFile + " holds a line that is no URL");
                    }
                }
            }
            ca.crlUrls = requireCrlUrls(urls);
        }
        return ca;
    }

    /**
     * Saves the CA's state into {@code dir} (created if missing), each file replaced atomically;
     * the key encrypted under {@code passphrase}, owner read/write only. The public files are
     * written first and the key last, so an interrupted save never leaves a key without its
     * certificate.
     */
    public synchronized void save(Path dir, char[] passphrase) throws IOException {
        Files.createDirectories(dir);
        StringBuilder issuedText = new StringBuilder("# serial(hex)\tnotAfter\tnodeId\n");
        for (Issued i : issued.values()) {
            issuedText.append(i.serial().toString(16)).append('\t').append(i.notAfter()).append('\t').append(i.nodeId()).append('\n');
        }
        StringBuilder revokedText = new StringBuilder("# serial(hex)\trevokedAt\treason\n");
        for (Revoked r : revoked.values()) {
            revokedText.append(r.serial().toString(16)).append('\t').append(r.revokedAt()).append('\t').append(r.reason()).append('\n');
        }
        PemFiles.writeAtomically(dir.resolve(ISSUED_FILE), issuedText.toString().getBytes(StandardCharsets.UTF_8), false);
        PemFiles.writeAtomically(dir.resolve(REVOKED_FILE), revokedText.toString().getBytes(StandardCharsets.UTF_8), false);
        PemFiles.writeAtomically(dir.resolve(CRL_NUMBER_FILE), (nextCrlNumber + "\n").getBytes(StandardCharsets.US_ASCII), false);
        if (latestCrl != null) {
            PemFiles.writeCrl(dir.resolve(CRL_FILE), latestCrl);
        }
        if (!crlUrls.isEmpty()) {
            StringBuilder urls = new StringBuilder("# where this CA's CRL is published; node certificates name these URLs\n");
            crlUrls.forEach(u -> urls.append(u).append('\n'));
            PemFiles.writeAtomically(dir.resolve(CRL_URLS_FILE), urls.toString().getBytes(StandardCharsets.UTF_8), false);
        } else {
            Files.deleteIfExists(dir.resolve(CRL_URLS_FILE));
        }
        PemFiles.writeCertificate(dir.resolve(CERT_FILE), certificate);
        PemFiles.writePrivateKey(dir.resolve(KEY_FILE), key, passphrase);
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
        BigInteger serial = randomSerial();
        while (issued.containsKey(serial) || serial.equals(certificate.getSerialNumber())) {
            serial = randomSerial();
        }
        int encryptionBit = suite == Suite.GM ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
        GeneralName[] names = altNames.toArray(GeneralName[]::new);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), serial,
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), AllianceProfile.subject(nodeId), nodeKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | encryptionBit))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                    .addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyIdentifier))
                    .addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(subjectKeyIdentifier(nodeKey)));
            if (!distributionPoint.isEmpty()) {
                GeneralName[] locations = distributionPoint.stream()
                        .map(u -> new GeneralName(GeneralName.uniformResourceIdentifier, u.toString())).toArray(GeneralName[]::new);
                // one point, its full name every location of the same CRL (RFC 5280 §4.2.1.13); no reasons, no cRLIssuer
                builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(new GeneralNames(locations)), null, null)}));
            }
            X509Certificate nodeCertificate = toCertificate(builder.build(signer(suite, key)));
            issued.put(serial, new Issued(serial, nodeId, nodeCertificate.getNotAfter().toInstant()));
            return nodeCertificate;
        } catch (IOException e) {
            throw new IllegalStateException("the node certificate cannot be built", e);
        }
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
        try {
            JcaX509v2CRLBuilder builder = new JcaX509v2CRLBuilder(certificate, Date.from(now));
            builder.setNextUpdate(Date.from(now.plus(nextUpdate)));
            for (Revoked r : revoked.values()) {
                Extensions entryExtensions = r.reason() == RevocationReason.UNSPECIFIED ? null
                        : new Extensions(new Extension(Extension.reasonCode, false,
                                new DEROctetString(CRLReason.lookup(r.reason().code()).getEncoded())));
                builder.addCRLEntry(r.serial(), Date.from(r.revokedAt()), entryExtensions);
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(nextCrlNumber));
            builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyIdentifier));
            X509CRLHolder holder = builder.build(signer(suite, key));
            X509CRL crl = new JcaX509CRLConverter().setProvider(Providers.bc()).getCRL(holder);
            nextCrlNumber = nextCrlNumber.add(BigInteger.ONE);
            latestCrl = crl;
            return crl;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the CRL cannot be built", e);
        }
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

    private static BigInteger randomSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    private static byte[] subjectKeyIdentifier(PublicKey key) {
        try {
            // RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits, as OpenSSL computes it
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(key).getKeyIdentifier();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is not available for key identifiers", e);
        }
    }

    private static ContentSigner signer(Suite suite, PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(suite.signatureAlgorithm()).setProvider(Providers.bc()).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no " + suite.signatureAlgorithm() + " signer", e);
        }
    }

    private static X509Certificate toCertificate(X509CertificateHolder holder) throws IOException {
        return PemFiles.certificate(holder.getEncoded());
    }

    private static void requireKeyPair(Suite suite, PrivateKey key, PublicKey publicKey, Path keyFile) {
        if (!suite.keysMatch(key, publicKey)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the key in " + keyFile + " does not belong to the CA certificate");
        }
    }

    /** Rows of a tab-separated state file: serial (hex), instant (ISO-8601), one more value. */
    private static List<String[]> readTable(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            try {
                if (fields.length != 3 || fields[2].isEmpty()) {
                    throw new IllegalArgumentException();
                }
                new BigInteger(fields[0], 16);
                Instant.parse(fields[1]);
                rows.add(fields);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new CodedException(ErrorCode.E_MALFORMED, file + " line " + (i + 1) + " is not serial TAB time TAB value");
            }
        }
        return rows;
    }
}
