package credit.exchange.security.gm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The precomputed-Z signer and verifier against BouncyCastle's own SM3withSM2, in raw form, in
 * certificates and in CMS SignedData.
 */
class Sm2SigningKeyTest {

    private static final byte[] MESSAGE = "{\"type\":\"query\",\"subject\":\"91330106MA27Y5XH7J\"}".getBytes(StandardCharsets.UTF_8);

    private static KeyPair keys;
    private static X509CertificateHolder cert;
    private static Sm2SigningKey signingKey;
    private static Sm2VerifyingKey verifyingKey;

    @BeforeAll
    static void node() throws Exception {
        keys = GmFixtures.sm2KeyPair();
        cert = GmFixtures.selfSignedCertificate("node-jiaxing", keys);
        signingKey = Sm2SigningKey.of(keys.getPrivate());
        verifyingKey = Sm2VerifyingKey.of(cert);
    }

    @Test
    void sign_isVerifiedByBouncyCastleJceSm3WithSm2() throws Exception {
        byte[] signature = signingKey.sign(MESSAGE);

        Signature jce = Signature.getInstance("SM3withSM2", GmFixtures.BC);
        jce.initVerify(keys.getPublic());
        jce.update(MESSAGE);
        assertTrue(jce.verify(signature));
    }

    @Test
    void bouncyCastleJceSignature_isVerifiedByVerifyingKey() throws Exception {
        Signature jce = Signature.getInstance("SM3withSM2", GmFixtures.BC);
        jce.initSign(keys.getPrivate());
        jce.update(MESSAGE);
        byte[] signature = jce.sign();

        assertTrue(verifyingKey.verify(MESSAGE, signature));
        assertTrue(Sm2VerifyingKey.of(keys.getPublic()).verify(MESSAGE, signature));
    }

    @Test
    void sign_isDerSequenceOfTwoPositiveIntegersBelowN() {
        byte[] signature = signingKey.sign(MESSAGE);

        ASN1Sequence rs = ASN1Sequence.getInstance(signature);
        assertEquals(2, rs.size());
        BigInteger n = GmAlgorithms.sm2p256v1().getN();
        for (int i = 0; i < 2; i++) {
            BigInteger v = ASN1Integer.getInstance(rs.getObjectAt(i)).getValue();
            assertTrue(v.signum() > 0 && v.compareTo(n) < 0);
        }
    }

    @Test
    void sign_twiceForTheSameMessage_usesFreshK() {
        assertFalse(Arrays.equals(signingKey.sign(MESSAGE), signingKey.sign(MESSAGE)));
    }

    @Test
    void verify_refusesAChangedMessageAnotherKeyAndAnotherSignerId() throws Exception {
        byte[] signature = signingKey.sign(MESSAGE);
        byte[] changed = MESSAGE.clone();
        changed[changed.length - 2] ^= 1;
        ECPublicKeyParameters sameKey = verifyingKey.publicKey();

        assertFalse(verifyingKey.verify(changed, signature));
        assertFalse(Sm2VerifyingKey.of(GmFixtures.sm2KeyPair().getPublic()).verify(MESSAGE, signature));
        assertFalse(Sm2VerifyingKey.of(sameKey, "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII)).verify(MESSAGE, signature));
        assertTrue(Sm2VerifyingKey.of(sameKey, GmAlgorithms.defaultSignerId()).verify(MESSAGE, signature));
    }

    @Test
    void verify_refusesOtherEncodingsOfTheSameSignatureAndOutOfRangeValues() throws Exception {
        byte[] signature = signingKey.sign(MESSAGE);
        ASN1Sequence rs = ASN1Sequence.getInstance(signature);
        BigInteger r = ASN1Integer.getInstance(rs.getObjectAt(0)).getValue();
        BigInteger s = ASN1Integer.getInstance(rs.getObjectAt(1)).getValue();
        BigInteger n = GmAlgorithms.sm2p256v1().getN();

        byte[] trailing = Arrays.copyOf(signature, signature.length + 1);
        byte[] longFormLength = new byte[signature.length + 1];
        longFormLength[0] = 0x30;
        longFormLength[1] = (byte) 0x81;
        System.arraycopy(signature, 1, longFormLength, 2, signature.length - 1);

        assertFalse(verifyingKey.verify(MESSAGE, trailing));
        assertFalse(verifyingKey.verify(MESSAGE, longFormLength));
        assertFalse(verifyingKey.verify(MESSAGE, der(r, s.add(n))));
        assertFalse(verifyingKey.verify(MESSAGE, der(BigInteger.ZERO, s)));
        assertFalse(verifyingKey.verify(MESSAGE, der(r, BigInteger.ZERO)));
        assertFalse(verifyingKey.verify(MESSAGE, new byte[0]));
        assertTrue(verifyingKey.verify(MESSAGE, der(r, s)));
    }

    @Test
    void contentSigner_algorithmIdentifier_isTheOneJcaContentSignerBuilderWrites() throws Exception {
        AlgorithmIdentifier stock = new JcaContentSignerBuilder("SM3withSM2").setProvider(GmFixtures.BC)
                .build(keys.getPrivate()).getAlgorithmIdentifier();

        assertEquals(stock, signingKey.contentSigner().getAlgorithmIdentifier());
        assertEquals(GmAlgorithms.SM3_WITH_SM2, stock.getAlgorithm());
    }

    @Test
    void certificateSignedWithContentSigner_verifiesWithStockProvider_andStockCertificateWithOurs() throws Exception {
        KeyPair subject = GmFixtures.sm2KeyPair();
        X509CertificateHolder issuedByUs = new JcaX509v3CertificateBuilder(cert.getSubject(), BigInteger.TEN,
                cert.getNotBefore(), cert.getNotAfter(), new X500Name("CN=node-shaoxing"), subject.getPublic())
                .build(signingKey.contentSigner());

        assertTrue(issuedByUs.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(GmFixtures.BC).build(cert)));
        assertTrue(cert.isSignatureValid(verifyingKey.contentVerifierProvider()));
        assertFalse(cert.isSignatureValid(Sm2VerifyingKey.of(subject.getPublic()).contentVerifierProvider()));
    }

    @Test
    void cmsSignedByContentSigner_verifiesWithJcaSimpleSignerInfoVerifierBuilder() throws Exception {
        CMSSignedData signed = signedData(signingKey.contentSigner());

        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        assertTrue(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(GmFixtures.BC).build(cert)));
        assertTrue(signer.verify(verifyingKey.signerInformationVerifier()));
        assertEquals(GmAlgorithms.SM3.getId(), signer.getDigestAlgOID());
    }

    @Test
    void cmsSignedByJcaContentSigner_verifiesWithSignerInformationVerifier() throws Exception {
        CMSSignedData signed = signedData(new JcaContentSignerBuilder("SM3withSM2").setProvider(GmFixtures.BC).build(keys.getPrivate()));

        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        assertTrue(signer.verify(verifyingKey.signerInformationVerifier()));
    }

    @Test
    void cmsWithChangedContent_failsVerificationWithOurVerifier() throws Exception {
        CMSSignedData signed = signedData(signingKey.contentSigner());
        byte[] encoded = signed.getEncoded();
        int at = indexOf(encoded, MESSAGE);
        encoded[at + 3] ^= 1;

        SignerInformation signer = new CMSSignedData(encoded).getSignerInfos().getSigners().iterator().next();
        assertThrows(CMSSignerDigestMismatchException.class, () -> signer.verify(verifyingKey.signerInformationVerifier()));
    }

    @Test
    void contentVerifierProvider_refusesNonSm2Algorithms() {
        assertThrows(OperatorCreationException.class, () -> verifyingKey.contentVerifierProvider()
                .get(new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256)));
    }

    @Test
    void sharedKeys_signAndVerifyConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
                results.add(pool.submit(() -> verifyingKey.verify(message, signingKey.sign(message))
                        && !verifyingKey.verify(MESSAGE, signingKey.sign(message))));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void of_refusesKeysOnOtherCurves() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC", GmFixtures.BC);
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = ec.generateKeyPair();

        assertThrows(IllegalArgumentException.class, () -> Sm2SigningKey.of(p256.getPrivate()));
        assertThrows(IllegalArgumentException.class, () -> Sm2VerifyingKey.of(p256.getPublic()));
    }

    @Test
    void signingKey_fromPrivateKeyAlone_derivesThePublicKeyOfTheCertificate() {
        assertEquals(Sm2Keys.publicKey(cert).getQ(), signingKey.verifyingKey().publicKey().getQ());
        assertArrayEquals(verifyingKey.z(), signingKey.z());
    }

    private static CMSSignedData signedData(ContentSigner signer) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(GmFixtures.BC).build()).build(signer, cert));
        generator.addCertificates(new JcaCertStore(List.of(cert)));
        return generator.generate(new CMSProcessableByteArray(MESSAGE), true);
    }

    private static byte[] der(BigInteger r, BigInteger s) throws Exception {
        return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("content not found in the encoding");
    }
}
