package credit.exchange.security.gm;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.io.DigestOutputStream;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.RandomDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.util.BigIntegers;

/**
 * An SM2 private key ready to make SM3withSM2 signatures (GM/T 0003.2 / GB/T 32918.2,
 * SM2数字签名算法) without per-signature set-up. BouncyCastle's {@code SM2Signer} derives the
 * public key from the private one (a full point multiplication) and hashes Z at every
 * initialisation, and inverts 1 + d at every signature; all three are done once here, so a
 * signature costs one fixed-base multiplication [k]G and the hash of the message.
 *
 * <p>The arithmetic is BouncyCastle's {@code SM2Signer}'s (steps A1-A7 of GM/T 0003.2 §6, k
 * from {@code RandomDSAKCalculator}, [k]G by fixed-point comb) and the output is the same DER
 * {@code SEQUENCE {r, s}}, verifiable by BouncyCastle's {@code SM3withSM2}, by OpenSSL with the
 * same distinguishing ID, and by {@link Sm2VerifyingKey}.
 *
 * <p>Immutable and safe to share between threads ({@link SecureRandom} is thread-safe).
 * {@link #sign(byte[])} may be called concurrently; each {@link ContentSigner} from
 * {@link #contentSigner()} is for one signature on one thread.
 */
public final class Sm2SigningKey {

    private final BigInteger d;
    private final BigInteger dPlusOneInverse;
    private final ECDomainParameters domain;
    private final Sm2VerifyingKey verifyingKey;
    private final SecureRandom random;

    private Sm2SigningKey(ECPrivateKeyParameters privateKey, byte[] signerId, SecureRandom random) {
        this.domain = privateKey.getParameters();
        this.d = privateKey.getD();
        BigInteger n = domain.getN();
        // d = n - 1 would make 1 + d non-invertible; GM/T 0003.2 restricts d to [1, n - 2].
        if (d.signum() <= 0 || d.compareTo(n.subtract(BigInteger.ONE)) >= 0) {
            throw new IllegalArgumentException("SM2 private key out of range [1, n-2]");
        }
        this.dPlusOneInverse = BigIntegers.modOddInverse(n, d.add(BigInteger.ONE));
        ECPoint q = new FixedPointCombMultiplier().multiply(domain.getG(), d).normalize();
        this.verifyingKey = Sm2VerifyingKey.of(new ECPublicKeyParameters(q, domain), signerId);
        this.random = random;
    }

    /** The SM2 key inside a JCA private key, the default signer ID and a fresh {@link SecureRandom}. */
    public static Sm2SigningKey of(PrivateKey key) {
        return new Sm2SigningKey(Sm2Keys.privateKey(key), GmAlgorithms.defaultSignerId(), new SecureRandom());
    }

    /**
     * Any SM2 private key (any curve) with the signer ID the parties agreed on (at most 8191
     * bytes), drawing the per-signature k from {@code random}.
     */
    public static Sm2SigningKey of(ECPrivateKeyParameters key, byte[] signerId, SecureRandom random) {
        return new Sm2SigningKey(key, signerId.clone(), random);
    }

    /** An SM3withSM2 signature of {@code message}, DER {@code SEQUENCE {r, s}}. */
    public byte[] sign(byte[] message) {
        SM3Digest digest = verifyingKey.newMessageDigest();
        digest.update(message, 0, message.length);
        return signDigest(Sm2VerifyingKey.doFinal(digest));
    }

    /**
     * A single-use signer for BouncyCastle's operator API (certificate builders, CMS
     * {@code SignerInfoGenerator}); its algorithm is SM3withSM2 (1.2.156.10197.1.501) without
     * parameters, as {@code JcaContentSignerBuilder("SM3withSM2")} writes it.
     */
    public ContentSigner contentSigner() {
        return new ContentSigner() {
            private final SM3Digest digest = verifyingKey.newMessageDigest();

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return GmAlgorithms.SM3_WITH_SM2_ALGORITHM;
            }

            @Override
            public OutputStream getOutputStream() {
                return new DigestOutputStream(digest);
            }

            @Override
            public byte[] getSignature() {
                return signDigest(Sm2VerifyingKey.doFinal(digest));
            }
        };
    }

    /** The matching public key with the same signer ID. */
    public Sm2VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    /** The Z value of this key and signer ID (a copy). */
    public byte[] z() {
        return verifyingKey.z();
    }

    /** Steps A3-A7 of GM/T 0003.2 §6 on e = SM3(Z || M). */
    private byte[] signDigest(byte[] eHash) {
        BigInteger n = domain.getN();
        BigInteger e = new BigInteger(1, eHash);
        RandomDSAKCalculator kCalculator = new RandomDSAKCalculator();
        kCalculator.init(n, random);
        FixedPointCombMultiplier multiplier = new FixedPointCombMultiplier();
        BigInteger r;
        BigInteger s;
        do {
            BigInteger k;
            do {
                k = kCalculator.nextK();
                ECPoint kg = multiplier.multiply(domain.getG(), k).normalize();
                r = e.add(kg.getAffineXCoord().toBigInteger()).mod(n);
            } while (r.signum() == 0 || r.add(k).equals(n));
            s = dPlusOneInverse.multiply(k.subtract(r.multiply(d))).mod(n);
        } while (s.signum() == 0);
        try {
            return StandardDSAEncoding.INSTANCE.encode(n, r, s);
        } catch (IOException encodingFailure) {
            throw new IllegalStateException("DER encoding of an SM2 signature failed", encodingFailure);
        }
    }
}
