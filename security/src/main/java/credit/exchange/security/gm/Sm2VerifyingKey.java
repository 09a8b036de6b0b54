package credit.exchange.security.gm;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.PublicKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.io.DigestOutputStream;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.util.BigIntegers;

/**
 * An SM2 public key ready to verify SM3withSM2 signatures (GM/T 0003.2 / GB/T 32918.2,
 * SM2数字签名算法): the signer's Z value
 * {@code Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA)} is computed once here, and the
 * SM3 state after absorbing Z is kept, so a verification hashes only the message. BouncyCastle's
 * {@code SM2Signer} recomputes Z at every initialisation.
 *
 * <p>Signatures are the DER {@code SEQUENCE {r INTEGER, s INTEGER}} that X.509, CMS and OpenSSL
 * use; other encodings of the same (r, s) are refused. The results agree with BouncyCastle's
 * {@code SM3withSM2} (tests cross-verify both ways), so {@link #signerInformationVerifier()} can
 * stand in for {@code JcaSimpleSignerInfoVerifierBuilder().build(cert)}.
 *
 * <p>Immutable and safe to share between threads; keep one per peer key so that BouncyCastle's
 * per-point precomputation for the key is reused. Each {@link ContentVerifier} it hands out is
 * for one verification on one thread.
 */
public final class Sm2VerifyingKey {

    /** BouncyCastle's names, plus sm2-1 as a SignerInfo's signature algorithm, which it does not know: SM3 + sm2-1 is SM3withSM2. */
    private static final DefaultCMSSignatureAlgorithmNameGenerator SIGNATURE_NAMES = new DefaultCMSSignatureAlgorithmNameGenerator() {
        {
            setSigningEncryptionAlgorithmMapping(GmAlgorithms.SM2_SIGN, "SM2");
        }
    };

    private final ECPublicKeyParameters publicKey;
    private final byte[] z;
    private final SM3Digest digestAfterZ;
    private final X509CertificateHolder certificate;

    private Sm2VerifyingKey(ECPublicKeyParameters publicKey, byte[] signerId, X509CertificateHolder certificate) {
        this.publicKey = publicKey;
        this.z = computeZ(publicKey.getParameters(), publicKey.getQ(), signerId);
        this.digestAfterZ = new SM3Digest();
        digestAfterZ.update(z, 0, z.length);
        this.certificate = certificate;
    }

    /** The key certified by {@code certificate}, with the default signer ID; the certificate stays associated. */
    public static Sm2VerifyingKey of(X509CertificateHolder certificate) {
        return new Sm2VerifyingKey(Sm2Keys.publicKey(certificate), GmAlgorithms.defaultSignerId(), certificate);
    }

    /** An SM2 JCA public key, with the default signer ID. */
    public static Sm2VerifyingKey of(PublicKey key) {
        return new Sm2VerifyingKey(Sm2Keys.publicKey(key), GmAlgorithms.defaultSignerId(), null);
    }

    /** Any SM2 public key (any curve) with the signer ID the parties agreed on (at most 8191 bytes). */
    public static Sm2VerifyingKey of(ECPublicKeyParameters key, byte[] signerId) {
        return new Sm2VerifyingKey(key, signerId, null);
    }

    /** Whether {@code signature} (DER) is a valid SM3withSM2 signature of {@code message}. */
    public boolean verify(byte[] message, byte[] signature) {
        SM3Digest digest = newMessageDigest();
        digest.update(message, 0, message.length);
        return verifyDigest(doFinal(digest), signature);
    }

    /** The Z value of this key and signer ID (a copy). */
    public byte[] z() {
        return z.clone();
    }

    /** The public key. */
    public ECPublicKeyParameters publicKey() {
        return publicKey;
    }

    /**
     * A verifier provider for BouncyCastle's operator API (certificates, CMS). It answers for
     * SM3withSM2 (1.2.156.10197.1.501) and for sm2-1 (1.2.156.10197.1.301.1), which GM/T 0010
     * writes as a SignerInfo's signature algorithm and which likewise means SM2 over SM3 with Z.
     */
    public ContentVerifierProvider contentVerifierProvider() {
        return new ContentVerifierProvider() {
            @Override
            public boolean hasAssociatedCertificate() {
                return certificate != null;
            }

            @Override
            public X509CertificateHolder getAssociatedCertificate() {
                return certificate;
            }

            @Override
            public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
                ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
                if (!GmAlgorithms.SM3_WITH_SM2.equals(oid) && !GmAlgorithms.SM2_SIGN.equals(oid)) {
                    throw new OperatorCreationException("an SM2 key cannot verify " + oid);
                }
                return new Sm2ContentVerifier(algorithm);
            }
        };
    }

    /**
     * A verifier for {@code SignerInformation.verify}, like
     * {@code JcaSimpleSignerInfoVerifierBuilder().build(cert)}: it checks the message digest
     * attribute with SM3 and the signature with this key; when made from a certificate it also
     * refuses a signing time outside the certificate's validity, as BouncyCastle does. A SignerInfo
     * may name its signature algorithm SM3withSM2 (1.2.156.10197.1.501, as BouncyCastle writes it)
     * or sm2-1 (1.2.156.10197.1.301.1, as GM/T 0010 writes it) over the digest SM3.
     */
    public SignerInformationVerifier signerInformationVerifier() {
        return new SignerInformationVerifier(SIGNATURE_NAMES, new DefaultSignatureAlgorithmIdentifierFinder(), contentVerifierProvider(),
                new BcDigestCalculatorProvider());
    }

    /** A fresh SM3 that has already absorbed Z: feed it the message, then {@link #verifyDigest}. */
    SM3Digest newMessageDigest() {
        return new SM3Digest(digestAfterZ);
    }

    /** Steps B1-B7 of GM/T 0003.2 §7 on e = SM3(Z || M). */
    boolean verifyDigest(byte[] e, byte[] signature) {
        ECDomainParameters domain = publicKey.getParameters();
        BigInteger n = domain.getN();
        BigInteger[] rs;
        try {
            rs = StandardDSAEncoding.INSTANCE.decode(n, signature);
        } catch (IOException | RuntimeException notDerOrOutOfRange) {
            // BouncyCastle refuses non-DER, trailing bytes and r, s outside [0, n) while decoding
            return false;
        }
        BigInteger r = rs[0];
        BigInteger s = rs[1];
        if (r.signum() <= 0 || r.compareTo(n) >= 0 || s.signum() <= 0 || s.compareTo(n) >= 0) {
            return false;
        }
        BigInteger t = r.add(s).mod(n);
        if (t.signum() == 0) {
            return false;
        }
        ECPoint x1y1 = ECAlgorithms.sumOfTwoMultiplies(domain.getG(), s, publicKey.getQ(), t).normalize();
        if (x1y1.isInfinity()) {
            return false;
        }
        BigInteger expected = new BigInteger(1, e).add(x1y1.getAffineXCoord().toBigInteger()).mod(n);
        return expected.equals(r);
    }

    static byte[] doFinal(SM3Digest digest) {
        byte[] out = new byte[Sm3.DIGEST_BYTES];
        digest.doFinal(out, 0);
        return out;
    }

    /** Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA), ENTL being the ID's length in bits (2 bytes). */
    static byte[] computeZ(ECDomainParameters domain, ECPoint q, byte[] signerId) {
        if (signerId.length >= 8192) {
            throw new IllegalArgumentException("SM2 signer ID must be shorter than 8192 bytes");
        }
        SM3Digest digest = new SM3Digest();
        int bits = signerId.length * 8;
        digest.update((byte) (bits >>> 8));
        digest.update((byte) bits);
        digest.update(signerId, 0, signerId.length);
        int fieldBytes = (domain.getCurve().getFieldSize() + 7) / 8;
        ECPoint g = domain.getG().normalize();
        ECPoint a = q.normalize();
        for (BigInteger v : new BigInteger[] {
            domain.getCurve().getA().toBigInteger(), domain.getCurve().getB().toBigInteger(),
            g.getAffineXCoord().toBigInteger(), g.getAffineYCoord().toBigInteger(),
            a.getAffineXCoord().toBigInteger(), a.getAffineYCoord().toBigInteger()}) {
            byte[] encoded = BigIntegers.asUnsignedByteArray(fieldBytes, v);
            digest.update(encoded, 0, encoded.length);
        }
        return doFinal(digest);
    }

    private final class Sm2ContentVerifier implements ContentVerifier {

        private final AlgorithmIdentifier algorithm;
        private final SM3Digest digest = newMessageDigest();

        Sm2ContentVerifier(AlgorithmIdentifier algorithm) {
            this.algorithm = algorithm;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            return new DigestOutputStream(digest);
        }

        @Override
        public boolean verify(byte[] signature) {
            return verifyDigest(doFinal(digest), signature);
        }
    }
}
