package credit.exchange.security.pki;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;

/**
 * Decides whether a peer's node certificate is trusted, for which suite and which purpose, at the
 * instant of a {@link Clock}. Checks run in this order; the first that fails gives its
 * {@link CodedException}:
 * <ol>
 *   <li>the certificate parses ({@link ErrorCode#E_MALFORMED} otherwise);</li>
 *   <li>its key is of the expected suite ({@link ErrorCode#E_SUITE_MISMATCH});</li>
 *   <li>it is an X.509 v3 node certificate: not CA:true, no keyCertSign, no unknown critical
 *       extension ({@link ErrorCode#E_CERT_UNTRUSTED});</li>
 *   <li>it was issued by a configured trust anchor (issuer name and authority key identifier) whose
 *       key verifies its signature ({@link ErrorCode#E_CERT_UNTRUSTED}), and that anchor is of the
 *       same suite ({@link ErrorCode#E_SUITE_MISMATCH});</li>
 *   <li>its key usage allows the {@link Usage} ({@link ErrorCode#E_CERT_UNTRUSTED});</li>
 *   <li>it and its CA certificate are within their validity periods ({@link ErrorCode#E_CERT_EXPIRED});</li>
 *   <li>a current CRL of the issuer is held ({@link ErrorCode#E_CERT_UNTRUSTED}, see below) and
 *       does not list its serial ({@link ErrorCode#E_CERT_REVOKED}).</li>
 * </ol>
 *
 * <p><b>Path.</b> The alliance hierarchy is flat (root CA → node certificate, the root's path
 * length is 0), so this is a hand-written one-level RFC 5280 check rather than PKIX
 * {@code CertPathValidator}: the issuer is looked up by name (and authority key identifier),
 * the signature verified with the anchor's key, each failure mapped to its own code without
 * parsing PKIX's messages, and the stale-CRL policy below stated here rather than inherited.
 *
 * <p><b>Revocation policy: fail closed.</b> Every trust anchor needs a CRL it signed. A CRL is
 * current until its nextUpdate plus a configurable grace period (default {@link
 * #DEFAULT_CRL_GRACE}: none). While no current CRL of the issuer is configured (none given, or
 * the latest one is past nextUpdate + grace), every certificate of that issuer is refused with
 * {@link ErrorCode#E_CERT_UNTRUSTED} ("revocation status unknown"), because a stale CRL cannot
 * show a revocation made after it. A CRL's own thisUpdate is not checked against the clock: a
 * revocation it lists is final whatever its date. {@link #updateCrl} accepts only a CRL newer
 * (higher CRL number) than the one held, so an old CRL cannot be replayed to un-revoke.
 *
 * <p><b>Cache.</b> The envelope path validates a peer certificate per message, so a certificate
 * that passed is remembered under the SHA-256 of its encoding, with the instant its trust ends:
 * the earliest of its notAfter, its CA's notAfter and the end of its CRL's currency. A hit costs
 * a hash and a lookup; suite, usage and the clock are still checked on every call. A new CRL
 * empties the cache. Refusals are not cached. The cache holds at most 10,000
 * certificates and is emptied when full.
 *
 * <p>Thread-safe; the configuration (anchors, CRLs, cache) is swapped as one immutable snapshot.
 */
public final class CertificateValidator {

    /** Grace after a CRL's nextUpdate during which it is still used: none. */
    public static final Duration DEFAULT_CRL_GRACE = Duration.ZERO;

    static final int MAX_CACHE_ENTRIES = 10_000;

    /** Critical extensions the alliance profile knows; any other critical extension is refused (RFC 5280 §4.2). */
    private static final Set<String> KNOWN_CRITICAL = Set.of(
            Extension.basicConstraints.getId(), Extension.keyUsage.getId(),
            Extension.extendedKeyUsage.getId(), Extension.subjectAlternativeName.getId());

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });

    private final List<ConfiguredAnchor> anchors;
    private final Clock clock;
    private final Duration crlGrace;
    private volatile Snapshot snapshot;

    /** Validates against the anchors and their CRLs, with no CRL grace period. */
    public CertificateValidator(Collection<X509Certificate> trustAnchors, Collection<X509CRL> crls, Clock clock) {
        this(trustAnchors, crls, clock, DEFAULT_CRL_GRACE);
    }

    /**
     * @param trustAnchors the alliance CA certificates trusted (at least one); each must be a CA
     *     certificate that may sign certificates, with a key of either suite, and a valid self-signature
     * @param crls CRLs signed by the anchors; for each anchor the newest (highest CRL number) is used
     * @param clock the clock validity and CRL currency are judged by
     * @param crlGrace how long after its nextUpdate a CRL is still used
     * @throws CodedException {@link ErrorCode#E_CERT_UNTRUSTED} for an anchor that is not a usable CA
     *     certificate or a CRL not signed by an anchor; {@link ErrorCode#E_SUITE_MISMATCH} for an
     *     anchor of neither suite
     */
    public CertificateValidator(Collection<X509Certificate> trustAnchors, Collection<X509CRL> crls, Clock clock,
            Duration crlGrace) {
        if (trustAnchors.isEmpty()) {
            throw new CodedException(ErrorCode.E_CERT_UNTRUSTED, "at least one trust anchor is needed");
        }
        if (crlGrace.isNegative()) {
            throw new CodedException(ErrorCode.E_FIELD_INVALID, "the CRL grace period cannot be negative");
        }
        List<ConfiguredAnchor> list = new ArrayList<>();
        for (X509Certificate certificate : trustAnchors) {
            list.add(ConfiguredAnchor.of(certificate));
        }
        this.anchors = List.copyOf(list);
        this.clock = clock;
        this.crlGrace = crlGrace;
        Map<ConfiguredAnchor, AnchorRevocations> revocations = new HashMap<>();
        for (X509CRL crl : crls) {
            AnchorRevocations r = AnchorRevocations.of(crl, anchors, crlGrace);
            revocations.merge(r.anchor(), r, AnchorRevocations::newer);
        }
        this.snapshot = new Snapshot(Map.copyOf(revocations));
    }

    /**
     * Adopts a CRL if it is signed by a trust anchor and newer (higher CRL number) than the one held
     * for that anchor; an older or equal one is ignored. Adopting empties the validation cache, so a
     * revocation takes effect on the next call.
     *
     * @return whether the CRL was adopted
     * @throws CodedException {@link ErrorCode#E_CERT_UNTRUSTED} if no anchor signed it
     */
    public synchronized boolean updateCrl(X509CRL crl) {
        AnchorRevocations candidate = AnchorRevocations.of(crl, anchors, crlGrace);
        Snapshot current = snapshot;
        AnchorRevocations held = current.revocations.get(candidate.anchor());
        if (held != null && held.number().compareTo(candidate.number()) >= 0) {
            return false;
        }
        Map<ConfiguredAnchor, AnchorRevocations> revocations = new HashMap<>(current.revocations);
        revocations.put(candidate.anchor(), candidate);
        snapshot = new Snapshot(Map.copyOf(revocations));
        return true;
    }

    /**
     * A CRL the validator holds: the newest verified one of a trust anchor.
     *
     * @param suite the suite of the anchor that signed it
     * @param currentUntil nextUpdate plus the grace period: past it the anchor's certificates are refused
     */
    public record HeldCrl(X509Certificate anchor, Suite suite, X509CRL crl, BigInteger number, Instant thisUpdate,
                          Instant nextUpdate, Instant currentUntil) {
    }

    /** The CRLs held, one per trust anchor that has one, in the order the anchors were configured. */
    public List<HeldCrl> heldCrls() {
        Map<ConfiguredAnchor, AnchorRevocations> held = snapshot.revocations;
        List<HeldCrl> out = new ArrayList<>();
        for (ConfiguredAnchor anchor : anchors) {
            AnchorRevocations r = held.get(anchor);
            if (r != null) {
                out.add(new HeldCrl(anchor.certificate(), anchor.suite(), r.crl(), r.number(), r.crl().getThisUpdate().toInstant(),
                        r.nextUpdate(), r.currentUntil()));
            }
        }
        return out;
    }

    /** How long after its nextUpdate a CRL is still used. */
    public Duration crlGrace() {
        return crlGrace;
    }

    /** The configured trust anchors. */
    public List<X509Certificate> trustAnchors() {
        return anchors.stream().map(ConfiguredAnchor::certificate).toList();
    }

    /**
     * Until when revocation information for certificates of this anchor is current (the held CRL's
     * nextUpdate plus grace); empty if no CRL is held. For health checks: past this instant every
     * certificate of the anchor is refused.
     */
    public Optional<Instant> revocationCurrentUntil(X509Certificate trustAnchor) {
        for (Map.Entry<ConfiguredAnchor, AnchorRevocations> e : snapshot.revocations.entrySet()) {
            if (e.getKey().certificate().equals(trustAnchor)) {
                return Optional.of(e.getValue().currentUntil());
            }
        }
        return Optional.empty();
    }

    /**
     * Validates a peer's node certificate for a suite and a purpose at the clock's instant.
     *
     * @return {@code peer} itself, once trusted
     * @throws CodedException with the code of the first failed check (see the class description)
     */
    public X509Certificate validate(X509Certificate peer, Suite expected, Usage usage) {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        byte[] encoded;
        try {
            encoded = peer.getEncoded();
        } catch (CertificateEncodingException | RuntimeException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the peer certificate cannot be encoded");
        }
        ByteBuffer fingerprint = fingerprint(encoded);
        Trusted cached = current.cache.get(fingerprint);
        if (cached != null && cached.allows(expected, usage, now)) {
            return peer;
        }
        Trusted trusted;
        try {
            trusted = check(PemFiles.certificate(encoded), expected, usage, now, current);
        } catch (CodedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodedException(ErrorCode.E_CERT_UNTRUSTED, "the peer certificate cannot be checked ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (current.cache.size() >= MAX_CACHE_ENTRIES) {
            current.cache.clear();
        }
        current.cache.put(fingerprint, trusted);
        return peer;
    }

    /** Number of certificates remembered as trusted (tests). */
    int cachedCertificates() {
        return snapshot.cache.size();
    }

    private Trusted check(X509Certificate peer, Suite expected, Usage usage, Instant now, Snapshot current) {
        String serial = peer.getSerialNumber().toString(16);
        // 1. suite: the key decides; a partner acts on this one by switching certificates
        Suite suite = Suite.ofKey(peer.getPublicKey()).orElseThrow(() -> new CodedException(ErrorCode.E_SUITE_MISMATCH,
                "certificate " + serial + " holds a key of neither suite; expected " + expected));
        if (suite != expected) {
            throw new CodedException(ErrorCode.E_SUITE_MISMATCH,
                    "certificate " + serial + " holds a " + suite + " key; expected " + expected);
        }
        // 2. shape: a node certificate, v3, nothing critical we do not understand
        if (peer.getVersion() != 3) {
            throw untrusted("certificate " + serial + " is not an X.509 v3 certificate");
        }
        boolean[] keyUsage = peer.getKeyUsage();
        if (peer.getBasicConstraints() >= 0 || (keyUsage != null && bit(keyUsage, Usage.KeyUsageBits.KEY_CERT_SIGN))) {
            throw untrusted("certificate " + serial + " is a CA certificate; it cannot act as a node certificate");
        }
        Set<String> critical = peer.getCriticalExtensionOIDs();
        if (critical != null) {
            for (String oid : critical) {
                if (!KNOWN_CRITICAL.contains(oid)) {
                    throw untrusted("certificate " + serial + " has an unknown critical extension " + oid);
                }
            }
        }
        // 3. chain: issued and signed by a trust anchor
        ConfiguredAnchor anchor = issuerOf(peer, serial);
        if (anchor.suite() != suite) {
            throw new CodedException(ErrorCode.E_SUITE_MISMATCH, "certificate " + serial + " holds a " + suite
                    + " key but its CA is of suite " + anchor.suite());
        }
        // 4. purpose
        int requiredBit = usage.keyUsageBit(suite);
        if (keyUsage == null || !bit(keyUsage, requiredBit)) {
            throw untrusted("certificate " + serial + " does not allow " + usage + " (key usage)");
        }
        // 5. validity, of the certificate and of its CA
        Instant from = latest(peer.getNotBefore().toInstant(), anchor.certificate().getNotBefore().toInstant());
        Instant until = earliest(peer.getNotAfter().toInstant(), anchor.certificate().getNotAfter().toInstant());
        requireValidAt(now, peer, "certificate " + serial);
        requireValidAt(now, anchor.certificate(), "the CA certificate of " + serial);
        // 6. revocation, fail closed
        AnchorRevocations revocations = current.revocations.get(anchor);
        if (revocations == null) {
            throw untrusted("no CRL of the CA of certificate " + serial + " is configured; revocation status unknown");
        }
        if (now.isAfter(revocations.currentUntil())) {
            throw untrusted("the CRL of the CA of certificate " + serial + " was due for renewal at " + revocations.nextUpdate()
                    + "; revocation status unknown");
        }
        if (revocations.serials().contains(peer.getSerialNumber())) {
            throw new CodedException(ErrorCode.E_CERT_REVOKED, "certificate " + serial + " is revoked (CRL "
                    + revocations.number() + ")");
        }
        return new Trusted(suite, keyUsage.clone(), from, earliest(until, revocations.currentUntil()));
    }

    private ConfiguredAnchor issuerOf(X509Certificate peer, String serial) {
        X500Principal issuer = peer.getIssuerX500Principal();
        byte[] authorityKeyId = authorityKeyIdentifier(peer);
        boolean named = false;
        for (ConfiguredAnchor anchor : anchors) {
            if (!anchor.certificate().getSubjectX500Principal().equals(issuer)) {
                continue;
            }
            if (authorityKeyId != null && anchor.keyIdentifier() != null && !Arrays.equals(authorityKeyId, anchor.keyIdentifier())) {
                continue;
            }
            named = true;
            if (!anchor.suite().signatureAlgorithmOid().equals(peer.getSigAlgOID())) {
                continue;
            }
            try {
                peer.verify(anchor.publicKey(), Providers.bc());
                return anchor;
            } catch (GeneralSecurityException | RuntimeException badSignature) {
                // another anchor of the same name (a CA key rollover) may have signed it
            }
        }
        if (named) {
            throw untrusted("the signature of certificate " + serial + " does not verify with its CA's key");
        }
        throw untrusted("certificate " + serial + " was not issued by a configured alliance trust anchor");
    }

    private static void requireValidAt(Instant now, X509Certificate certificate, String what) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            throw new CodedException(ErrorCode.E_CERT_EXPIRED, what + " is not valid before " + notBefore);
        }
        if (now.isAfter(notAfter)) {
            throw new CodedException(ErrorCode.E_CERT_EXPIRED, what + " expired at " + notAfter);
        }
    }

    static CodedException untrusted(String message) {
        return new CodedException(ErrorCode.E_CERT_UNTRUSTED, message);
    }

    static boolean bit(boolean[] bits, int index) {
        return index < bits.length && bits[index];
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static ByteBuffer fingerprint(byte[] encoded) {
        MessageDigest sha256 = SHA256.get();
        sha256.reset();
        return ByteBuffer.wrap(sha256.digest(encoded));
    }

    private static byte[] authorityKeyIdentifier(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (value == null) {
            return null;
        }
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets()).getKeyIdentifierOctets();
    }

    // ---- configuration snapshot -------------------------------------------------------------------

    /** The CRLs in force and the certificates trusted under them; replaced whole when a CRL changes. */
    private static final class Snapshot {
        final Map<ConfiguredAnchor, AnchorRevocations> revocations;
        final ConcurrentHashMap<ByteBuffer, Trusted> cache = new ConcurrentHashMap<>();

        Snapshot(Map<ConfiguredAnchor, AnchorRevocations> revocations) {
            this.revocations = revocations;
        }
    }

    /** A certificate that passed, and the window in which that verdict holds. */
    private record Trusted(Suite suite, boolean[] keyUsage, Instant from, Instant until) {
        boolean allows(Suite expected, Usage usage, Instant now) {
            return suite == expected && bit(keyUsage, usage.keyUsageBit(suite)) && !now.isBefore(from) && !now.isAfter(until);
        }
    }
}
