package credit.exchange.security.gm;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Turns SM2 keys from their usual carriers (JCA keys, certificates, SubjectPublicKeyInfo) into
 * BouncyCastle key parameters on {@link GmAlgorithms#sm2p256v1()}, refusing keys on any other
 * curve. Going through the standard encodings (PKCS #8, SubjectPublicKeyInfo) keeps this
 * independent of which JCA provider made the key, and re-homing the key on the optimised curve
 * keeps every later point multiplication on the fast arithmetic.
 */
public final class Sm2Keys {

    private Sm2Keys() {
    }

    /**
     * The SM2 private key inside a JCA private key (any provider that can export PKCS #8).
     *
     * @throws IllegalArgumentException if it is not an EC key on sm2p256v1
     */
    public static ECPrivateKeyParameters privateKey(PrivateKey key) {
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null) {
            throw new IllegalArgumentException("the private key cannot be exported as PKCS #8");
        }
        AsymmetricKeyParameter parsed;
        try {
            parsed = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(pkcs8));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an SM2 private key", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        if (!(parsed instanceof ECPrivateKeyParameters ec) || !GmAlgorithms.isSm2p256v1(ec.getParameters())) {
            throw new IllegalArgumentException("not an SM2 private key (EC key on sm2p256v1 expected)");
        }
        return new ECPrivateKeyParameters(ec.getD(), GmAlgorithms.sm2p256v1());
    }

    /**
     * The SM2 public key inside a JCA public key.
     *
     * @throws IllegalArgumentException if it is not an EC key on sm2p256v1
     */
    public static ECPublicKeyParameters publicKey(PublicKey key) {
        return publicKey(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    }

    /**
     * The SM2 public key a certificate certifies.
     *
     * @throws IllegalArgumentException if it is not an EC key on sm2p256v1
     */
    public static ECPublicKeyParameters publicKey(X509CertificateHolder certificate) {
        return publicKey(certificate.getSubjectPublicKeyInfo());
    }

    /**
     * The SM2 public key in a SubjectPublicKeyInfo (id-ecPublicKey with the sm2p256v1 curve).
     *
     * @throws IllegalArgumentException if it is not an EC key on sm2p256v1
     */
    public static ECPublicKeyParameters publicKey(SubjectPublicKeyInfo info) {
        AsymmetricKeyParameter parsed;
        try {
            parsed = PublicKeyFactory.createKey(info);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an SM2 public key", e);
        }
        if (!(parsed instanceof ECPublicKeyParameters ec) || !GmAlgorithms.isSm2p256v1(ec.getParameters())) {
            throw new IllegalArgumentException("not an SM2 public key (EC key on sm2p256v1 expected)");
        }
        ECDomainParameters sm2 = GmAlgorithms.sm2p256v1();
        // decodePoint re-validates the point on the fast curve (on the curve, not infinity).
        return new ECPublicKeyParameters(sm2.getCurve().decodePoint(ec.getQ().getEncoded(false)), sm2);
    }
}
