package credit.exchange.security.envelope;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.gm.Sm2VerifyingKey;
import credit.exchange.security.pki.Providers;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Selector;

/**
 * Verifies a SignedData: exactly one signer, its certificate carried and trusted by the PKI as a
 * signer of this suite, the signature (single or batched) valid at the signing time. Verifiers
 * are kept per trusted certificate across messages (docs/PERFORMANCE.md). Part of {@link Envelopes}.
 */
final class SignerVerification {

    private final Suite suite;
    private final PeerTrust trust;
    /**
     * Per peer certificate, the signature verifier once the PKI trusted it as a signer. Kept across
     * messages, a key object keeps BouncyCastle's point precomputation (and a GM verifier its
     * signer's Z value): rebuilding them per message cost more than the verification itself.
     */
    private final PeerCache<SignerInformationVerifier> verifiers = new PeerCache<>();

    SignerVerification(Suite suite, PeerTrust trust) {
        this.suite = suite;
        this.trust = trust;
    }

    VerifiedContent verify(byte[] signedBytes, byte[] receivedDigest, ASN1ObjectIdentifier contentType) {
        return verify(EnvelopeProfile.signedData(signedBytes), receivedDigest, contentType);
    }

    VerifiedContent verify(CMSSignedData signed, byte[] receivedDigest, ASN1ObjectIdentifier contentType) {
        ASN1ObjectIdentifier signedType = new ASN1ObjectIdentifier(signed.getSignedContentTypeOID());
        if (!contentType.equals(signedType)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the signed content is of type " + signedType + ", expected " + contentType);
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1 || !(signed.getSignedContent() != null && signed.getSignedContent().getContent() instanceof byte[] payload)) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the SignedData must carry its content and exactly one signer");
        }
        SignerInformation signer = signers.iterator().next();
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = signed.getCertificates().getMatches((Selector<X509CertificateHolder>) signer.getSID());
        if (matches.size() != 1) {
            throw new CodedException(ErrorCode.E_CERT_UNTRUSTED, "the SignedData does not carry its signer's certificate");
        }
        X509Certificate presented;
        try {
            presented = new JcaX509CertificateConverter().setProvider(Providers.bc()).getCertificate(matches.iterator().next());
        } catch (CertificateException e) {
            throw new CodedException(ErrorCode.E_MALFORMED, "the signer's certificate cannot be read", e);
        }
        X509Certificate trusted = trust.trustedSigner(presented, suite);
        SignerInformationVerifier verifier = verifierFor(trusted);
        boolean valid;
        try {
            valid = signer.verify(verifier);
        } catch (CMSVerifierCertificateNotValidException e) {
            throw new CodedException(ErrorCode.E_CERT_EXPIRED, "the signer's certificate was not valid at the signing time");
        } catch (CMSException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new CodedException(ErrorCode.E_SIGNATURE_INVALID, "the sender's signature does not verify");
        }
        return new VerifiedContent(payload, trusted, signer.getSignedAttributes(), receivedDigest);
    }

    /**
     * The verifier for a trusted signer, built on first use. GM: our SM2 verifier with Z computed
     * once. INTL: BouncyCastle's lightweight ECDSA (ten times faster than the JDK's here; its JCA
     * wrapper verifies twice) with the JDK's SHA-256 for the message digest (six times faster than
     * BouncyCastle's, on the CPU's SHA extensions). Either wrapped to take batch signatures as well
     * ({@link BatchSignatureVerifier}).
     */
    private SignerInformationVerifier verifierFor(X509Certificate trusted) {
        return verifiers.get(trusted, () -> {
            try {
                X509CertificateHolder holder = new JcaX509CertificateHolder(trusted);
                return new BatchSignatureVerifier(suite == Suite.GM
                        ? Sm2VerifyingKey.of(holder).signerInformationVerifier()
                        : new SignerInformationVerifier(new DefaultCMSSignatureAlgorithmNameGenerator(),
                                new DefaultSignatureAlgorithmIdentifierFinder(), ecdsaVerifiers(holder), digestCalculators(suite)));
            } catch (CertificateException | OperatorCreationException | IOException e) {
                throw new CodedException(ErrorCode.E_MALFORMED, "the signer's certificate cannot be read", e);
            }
        });
    }

    /**
     * ECDSA verifiers for one certificate's key, parsed once. BouncyCastle's
     * {@code BcECContentVerifierProviderBuilder.build(certificate)} parses the key again for every
     * verifier it hands out (a new point, its precomputation lost: 195 µs per verification
     * against 78 µs); built from the parsed key, it keeps the point, and this provider still names
     * the certificate, so that the signing time is checked against its validity.
     */
    private static ContentVerifierProvider ecdsaVerifiers(X509CertificateHolder certificate)
            throws OperatorCreationException, IOException {
        ContentVerifierProvider byKey = new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder())
                .build(PublicKeyFactory.createKey(certificate.getSubjectPublicKeyInfo()));
        return new ContentVerifierProvider() {
            @Override
            public boolean hasAssociatedCertificate() {
                return true;
            }

            @Override
            public X509CertificateHolder getAssociatedCertificate() {
                return certificate;
            }

            @Override
            public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
                return byKey.get(algorithm);
            }
        };
    }
    /** Digests for CMS: SM3 from BouncyCastle (the JDK has none), SHA-256 from the JDK. */
    static DigestCalculatorProvider digestCalculators(Suite suite) throws OperatorCreationException {
        return suite == Suite.GM ? new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bc()).build()
                : new JcaDigestCalculatorProviderBuilder().build();
    }
}
