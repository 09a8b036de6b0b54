package credit.exchange.security.gm;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;

/**
 * Object identifiers and fixed parameters of the GM suite (Chinese commercial cryptography
 * standards, 国密), as assigned by GM/T 0006 (cryptographic application identifier
 * specification, 密码应用标识规范) and used by GM/T 0010 (SM2 cryptographic message syntax,
 * SM2密码算法加密签名消息语法规范) for CMS.
 *
 * <p>Each value was checked against BouncyCastle's {@code GMObjectIdentifiers}, OpenSSL 3.0's
 * object table, GmSSL 3 and the Go {@code gmsm/pkcs7} GM/T 0010 implementation; a test pins
 * them to BouncyCastle's constants.
 *
 * <p>Our envelopes are standard CMS (RFC 5652): the content types are the PKCS #7 ones
 * (1.2.840.113549.1.7.x), not GM/T 0010's 1.2.156.10197.6.1.4.2.x, so that stock CMS libraries
 * parse them; only the algorithm identifiers below are GM ones.
 */
public final class GmAlgorithms {

    /** SM2 elliptic-curve algorithm and its recommended curve sm2p256v1 (GM/T 0006: 1.2.156.10197.1.301). */
    public static final ASN1ObjectIdentifier SM2 = new ASN1ObjectIdentifier("1.2.156.10197.1.301");

    /** sm2-1, the SM2 signature scheme (1.2.156.10197.1.301.1); GM/T 0010 names it in SignerInfo. */
    public static final ASN1ObjectIdentifier SM2_SIGN = SM2.branch("1");

    /**
     * sm2-3, SM2 public-key encryption (1.2.156.10197.1.301.3): the keyEncryptionAlgorithm of an
     * SM2 key-transport recipient (GM/T 0010 §9.2), written without parameters.
     */
    public static final ASN1ObjectIdentifier SM2_ENCRYPT = SM2.branch("3");

    /** SM3 hash (GM/T 0004 / GB/T 32905, 1.2.156.10197.1.401). */
    public static final ASN1ObjectIdentifier SM3 = new ASN1ObjectIdentifier("1.2.156.10197.1.401");

    /** SM2 signature with SM3, "SM3withSM2" (1.2.156.10197.1.501): certificates and CMS signatures. */
    public static final ASN1ObjectIdentifier SM3_WITH_SM2 = new ASN1ObjectIdentifier("1.2.156.10197.1.501");

    /**
     * The signature AlgorithmIdentifier of SM3withSM2, parameters absent, as
     * {@code JcaContentSignerBuilder("SM3withSM2")} and OpenSSL write it.
     */
    public static final AlgorithmIdentifier SM3_WITH_SM2_ALGORITHM = new AlgorithmIdentifier(SM3_WITH_SM2);

    /** SM4 block cipher (GM/T 0002 / GB/T 32907, 1.2.156.10197.1.104); the modes hang below it. */
    public static final ASN1ObjectIdentifier SM4 = new ASN1ObjectIdentifier("1.2.156.10197.1.104");

    /** SM4 in CBC mode (1.2.156.10197.1.104.2); parameters: the 16-byte IV as an OCTET STRING. */
    public static final ASN1ObjectIdentifier SM4_CBC = SM4.branch("2");

    /** SM4 in GCM mode (1.2.156.10197.1.104.8). Not used by our envelopes; listed for completeness of the suite. */
    public static final ASN1ObjectIdentifier SM4_GCM = SM4.branch("8");

    /**
     * The signer ID that GM/T 0009 (SM2 application specification, SM2密码算法使用规范) §10 fixes as
     * the default when the parties have agreed on no other: the ASCII string "1234567812345678".
     * It enters every SM2 signature through Z, so both sides must use the same one.
     */
    public static final String DEFAULT_SIGNER_ID = "1234567812345678";

    /** BouncyCastle's name of the SM2 recommended curve. */
    public static final String CURVE_NAME = "sm2p256v1";

    // BouncyCastle's custom curve implementation: several times faster than the generic F_p
    // arithmetic that GMNamedCurves and the ASN.1 ECNamedCurveTable hand out for the same curve.
    private static final ECDomainParameters SM2P256V1 = domainOf(CustomNamedCurves.getByName(CURVE_NAME));

    private GmAlgorithms() {
    }

    /** The default signer ID as bytes (a fresh copy). */
    public static byte[] defaultSignerId() {
        return DEFAULT_SIGNER_ID.getBytes(StandardCharsets.US_ASCII);
    }

    /** Domain parameters of sm2p256v1 on BouncyCastle's optimised curve arithmetic. */
    public static ECDomainParameters sm2p256v1() {
        return SM2P256V1;
    }

    /**
     * Whether {@code domain} is sm2p256v1, whichever curve implementation carries it: keys parsed
     * from certificates may arrive on the generic arithmetic.
     */
    public static boolean isSm2p256v1(ECDomainParameters domain) {
        return domain.getCurve().getField().getCharacteristic().equals(SM2P256V1.getCurve().getField().getCharacteristic())
                && domain.getCurve().getA().toBigInteger().equals(SM2P256V1.getCurve().getA().toBigInteger())
                && domain.getCurve().getB().toBigInteger().equals(SM2P256V1.getCurve().getB().toBigInteger())
                && domain.getN().equals(SM2P256V1.getN())
                && Arrays.equals(domain.getG().getEncoded(false), SM2P256V1.getG().getEncoded(false));
    }

    private static ECDomainParameters domainOf(X9ECParameters x9) {
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
    }
}
