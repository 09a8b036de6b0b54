package credit.exchange.bench;

import credit.exchange.security.Suite;
import credit.exchange.security.gm.Sm2Encryption;
import credit.exchange.security.gm.Sm2KeyTransRecipient;
import credit.exchange.security.gm.Sm2Keys;
import credit.exchange.security.gm.Sm2VerifyingKey;
import credit.exchange.security.pki.NodeCredentials;
import credit.exchange.security.pki.Providers;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnostics, not part of the bound: what Envelopes does per message beyond the primitives,
 * one piece at a time, each next to the cached alternative. Average time per operation in µs.
 * Run on its own (see docs/PERFORMANCE.md); the figures back the findings there.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class EnvelopeOverheadBenchmarks {

    @State(Scope.Thread)
    public static class Gm {
        NodeCredentials node;
        X509Certificate certificate;
        X509CertificateHolder holder;
        byte[] attributes;
        byte[] signature;
        Sm2VerifyingKey cachedKey;
        ECPublicKeyParameters cachedRecipientKey;
        X509Certificate recipientCertificate;
        byte[] contentKey = new byte[16];
        SecureRandom random = new SecureRandom();

        @Setup
        public void setUp() throws CertificateException {
            BenchAlliance alliance = new BenchAlliance(Suite.GM);
            node = alliance.sender;
            certificate = node.certificate();
            holder = new JcaX509CertificateHolder(certificate);
            attributes = alliance.signedAttributesOfAnEnvelope();
            signature = credit.exchange.security.gm.Sm2SigningKey.of(node.privateKey()).sign(attributes);
            cachedKey = Sm2VerifyingKey.of(holder);
            recipientCertificate = alliance.recipient.certificate();
            cachedRecipientKey = Sm2Keys.publicKey(new JcaX509CertificateHolder(recipientCertificate));
        }
    }

    @State(Scope.Thread)
    public static class Intl {
        NodeCredentials node;
        X509Certificate certificate;
        X509CertificateHolder holder;
        byte[] attributes;
        byte[] signature;
        AlgorithmIdentifier signatureAlgorithm;
        ContentVerifierProvider cachedBcVerifier;
        KeyPairGenerator reusedGenerator;
        byte[] envelope;
        ASN1Primitive parsedEnvelope;

        @Setup
        public void setUp() throws Exception {
            BenchAlliance alliance = new BenchAlliance(Suite.INTL);
            node = alliance.sender;
            certificate = node.certificate();
            holder = new JcaX509CertificateHolder(certificate);
            attributes = alliance.signedAttributesOfAnEnvelope();
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.bc()).build(node.privateKey());
            try (OutputStream out = signer.getOutputStream()) {
                out.write(attributes);
            }
            signature = signer.getSignature();
            signatureAlgorithm = signer.getAlgorithmIdentifier();
            cachedBcVerifier = new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder())
                    .build(PublicKeyFactory.createKey(holder.getSubjectPublicKeyInfo()));
            reusedGenerator = KeyPairGenerator.getInstance("EC", Providers.bc());
            reusedGenerator.initialize(new ECGenParameterSpec("secp256r1"));
            envelope = alliance.senderEnvelopes().seal(BenchAlliance.payload(2048), alliance.headers("asn1-probe"),
                    alliance.recipient.certificate());
            parsedEnvelope = ASN1Primitive.fromByteArray(envelope);
        }
    }

    // ---- GM -----------------------------------------------------------------------------------

    /** What Envelopes.verify builds per GM message: holder parse, key decode, Z, a name generator. */
    @Benchmark
    public SignerInformationVerifier gmVerifierBuiltPerMessage(Gm g) throws CertificateException {
        return Sm2VerifyingKey.of(new JcaX509CertificateHolder(g.certificate)).signerInformationVerifier();
    }

    /** SM2 verification with a key made from the certificate for this message (no Z, no point precomputation kept). */
    @Benchmark
    public boolean gmVerifyWithKeyPerMessage(Gm g) throws CertificateException {
        return Sm2VerifyingKey.of(new JcaX509CertificateHolder(g.certificate)).verify(g.attributes, g.signature);
    }

    @Benchmark
    public boolean gmVerifyWithCachedKey(Gm g) {
        return g.cachedKey.verify(g.attributes, g.signature);
    }

    /** What Envelopes.encrypt does per GM message: recipient key from a fresh holder, then SM2 encryption. */
    @Benchmark
    public byte[] gmEncryptWithKeyPerMessage(Gm g) throws CertificateException {
        return Sm2Encryption.encrypt(Sm2Keys.publicKey(new JcaX509CertificateHolder(g.recipientCertificate)), g.contentKey, g.random);
    }

    @Benchmark
    public byte[] gmEncryptWithCachedKey(Gm g) {
        return Sm2Encryption.encrypt(g.cachedRecipientKey, g.contentKey, g.random);
    }

    /** Envelopes.openGm makes the recipient from the JCA private key (PKCS #8 re-parsed) per message. */
    @Benchmark
    public Sm2KeyTransRecipient gmRecipientPerMessage(Gm g) {
        return new Sm2KeyTransRecipient(g.node.privateKey());
    }

    /** Two fresh SecureRandoms per GM seal (recipient info generator, SM4 encryptor): construction and a first draw. */
    @Benchmark
    public byte[] newSecureRandomAndDraw(Gm g) {
        byte[] out = new byte[16];
        new SecureRandom().nextBytes(out);
        return out;
    }

    // ---- INTL ---------------------------------------------------------------------------------

    /**
     * What Envelopes.verify does per INTL message: the signer's certificate converted from the
     * SignedData (so a new public key object, without the point precomputation of the last
     * message), JcaSimpleSignerInfoVerifierBuilder, one verification.
     */
    @Benchmark
    public boolean intlVerifyAsEnvelopesDoes(Intl i) throws Exception {
        X509Certificate signer = new JcaX509CertificateConverter().setProvider(Providers.bc()).getCertificate(i.holder);
        ContentVerifier verifier = new JcaSimpleSignerInfoVerifierBuilder().setProvider(Providers.bc()).build(signer)
                .getContentVerifier(i.signatureAlgorithm, new DefaultDigestAlgorithmIdentifierFinder().find(i.signatureAlgorithm));
        return verifyRaw(verifier, i);
    }

    /**
     * BouncyCastle's JCA content verifier for the same key object every time (precomputation
     * kept): its RawSigVerifier still verifies a second time, to reset its raw signature.
     */
    @Benchmark
    public boolean intlVerifyJcaContentVerifier(Intl i) throws Exception {
        return verifyRaw(new JcaContentVerifierProviderBuilder().setProvider(Providers.bc()).build(i.certificate)
                .get(i.signatureAlgorithm), i);
    }

    /** The lightweight ECDSA content verifier with the peer key parsed once: one verification. */
    @Benchmark
    public boolean intlVerifyCachedBcVerifier(Intl i) throws Exception {
        return verifyRaw(i.cachedBcVerifier.get(i.signatureAlgorithm), i);
    }

    /** Envelopes.sign builds a JCA content signer per INTL message (Signature lookup and initSign). */
    @Benchmark
    public ContentSigner intlSignerBuiltPerMessage(Intl i) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.bc()).build(i.node.privateKey());
    }

    /** Suite.generateKeyPair, as INTL seal calls it: generator lookup and curve set-up per message. */
    @Benchmark
    public KeyPair intlEphemeralKeyPairPerCall() {
        return Suite.INTL.generateKeyPair();
    }

    @Benchmark
    public KeyPair intlEphemeralKeyPairReusedGenerator(Intl i) {
        return i.reusedGenerator.generateKeyPair();
    }

    // ---- both ---------------------------------------------------------------------------------

    /** new JcaX509CertificateHolder(own certificate): Envelopes does this 2 (seal) or 2-3 (open) times per message. */
    @Benchmark
    public X509CertificateHolder certificateHolderPerMessage(Intl i) throws CertificateException {
        return new JcaX509CertificateHolder(i.certificate);
    }

    /** The signer's certificate as an X509Certificate, converted per open. */
    @Benchmark
    public X509Certificate certificateConvertedPerMessage(Intl i) throws CertificateException {
        return new JcaX509CertificateConverter().setProvider(Providers.bc()).getCertificate(i.holder);
    }

    /** Built per open inside every SignerInformationVerifier (fills several hash maps). */
    @Benchmark
    public DefaultCMSSignatureAlgorithmNameGenerator signatureNameGeneratorPerMessage() {
        return new DefaultCMSSignatureAlgorithmNameGenerator();
    }

    /** The signer-info generator set-up of Envelopes.sign, without signing (INTL). */
    @Benchmark
    public Object intlSignerInfoGeneratorPerMessage(Intl i) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Providers.bc()).build(i.node.privateKey());
        return new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().setProvider(Providers.bc()).build())
                .build(signer, i.certificate);
    }

    /** One parse of a 2 KiB INTL envelope (3.5 KB): Envelopes.canonical parses it twice, then CMSAuthEnvelopedData walks it. */
    @Benchmark
    public ASN1Primitive envelopeParse(Intl i) throws IOException {
        return ASN1Primitive.fromByteArray(i.envelope);
    }

    /** One DER re-encoding of the parsed envelope: canonical does two (and verify two more of the SignedData). */
    @Benchmark
    public byte[] envelopeDerEncode(Intl i) throws IOException {
        return i.parsedEnvelope.getEncoded(ASN1Encoding.DER);
    }

    @Benchmark
    public MessageDigest messageDigestLookup() throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256", Providers.bc());
    }

    private static boolean verifyRaw(ContentVerifier verifier, Intl i) throws IOException {
        try (OutputStream out = verifier.getOutputStream()) {
            out.write(i.attributes);
        }
        return verifier.verify(i.signature);
    }

}
