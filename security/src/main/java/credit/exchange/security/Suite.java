package credit.exchange.security;

import credit.exchange.security.pki.Providers;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The two cryptographic suites of the alliance, chosen per partner. A node key, its certificate
 * and every signature it makes belong to exactly one suite; a key of the other suite is refused
 * with {@link ErrorCode#E_SUITE_MISMATCH}.
 *
 * <ul>
 *   <li>{@link #GM}: SM2 keys on curve {@code sm2p256v1} (OID 1.2.156.10197.1.301), signatures
 *       {@code SM3withSM2} (OID 1.2.156.10197.1.501) with the default signer ID
 *       {@value credit.exchange.security.gm.GmAlgorithms#DEFAULT_SIGNER_ID} (GM/T 0009). Required by Chinese government partners.</li>
 *   <li>{@link #INTL}: EC keys on NIST P-256 ({@code secp256r1}, OID 1.2.840.10045.3.1.7),
 *       signatures {@code SHA256withECDSA} (OID 1.2.840.10045.4.3.2).</li>
 * </ul>
 *
 * All algorithms come from the BouncyCastle provider ({@link Providers#bc()}).
 */
public enum Suite {
    GM("sm2p256v1", "1.2.156.10197.1.301", "SM3withSM2", "1.2.156.10197.1.501"),
    INTL("secp256r1", "1.2.840.10045.3.1.7", "SHA256withECDSA", "1.2.840.10045.4.3.2");

    /**
     * The SM2 signer ID (distinguishing identifier) used for every GM signature, as GM/T 0009
     * defaults it and BouncyCastle's {@code SM3withSM2} applies when no other ID is given.
     * OpenSSL needs it spelled out ({@code -pkeyopt distid:1234567812345678}).
     */

    private final String curveName;
    private final ASN1ObjectIdentifier curveOid;
    private final String signatureAlgorithm;
    private final String signatureAlgorithmOid;

    Suite(String curveName, String curveOid, String signatureAlgorithm, String signatureAlgorithmOid) {
        this.curveName = curveName;
        this.curveOid = new ASN1ObjectIdentifier(curveOid);
        this.signatureAlgorithm = signatureAlgorithm;
        this.signatureAlgorithmOid = signatureAlgorithmOid;
    }

    /**
     * The suite a configuration value or CLI option names: exactly {@code GM} or {@code INTL}.
     *
     * @throws CodedException {@link ErrorCode#E_FIELD_INVALID} for anything else
     */
    public static Suite parse(String name) {
        if ("GM".equals(name)) {
            return GM;
        }
        if ("INTL".equals(name)) {
            return INTL;
        }
        throw new CodedException(ErrorCode.E_FIELD_INVALID, "unknown suite; expected GM or INTL");
    }

    /**
     * The suite a public key belongs to, judged by its encoding: an EC key on the suite's named
     * curve. Empty for any other key (RSA, another curve, explicit curve parameters).
     */
    public static Optional<Suite> ofKey(PublicKey key) {
        try {
            AlgorithmIdentifier algorithm = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm();
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                    || !(algorithm.getParameters() instanceof ASN1ObjectIdentifier curve)) {
                return Optional.empty();
            }
            for (Suite suite : values()) {
                if (suite.curveOid.equals(curve)) {
                    return Optional.of(suite);
                }
            }
            return Optional.empty();
        } catch (RuntimeException notAnEcKey) {
            return Optional.empty();
        }
    }

    /** A fresh key pair of this suite, from BouncyCastle's default secure random source. */
    public KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Providers.bc());
            generator.initialize(new ECGenParameterSpec(curveName));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the BouncyCastle provider cannot generate " + curveName + " keys", e);
        }
    }

    /** The JCA name of this suite's signature algorithm: {@code SM3withSM2} or {@code SHA256withECDSA}. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The OID of this suite's signature algorithm as it appears in certificates, CRLs and CMS. */
    public String signatureAlgorithmOid() {
        return signatureAlgorithmOid;
    }

    /** The name of this suite's curve as BouncyCastle and the JCA know it: {@code sm2p256v1} or {@code secp256r1}. */
    public String curveName() {
        return curveName;
    }

    /** The OID of this suite's named curve, as it appears in a SubjectPublicKeyInfo. */
    public String curveOid() {
        return curveOid.getId();
    }

    /**
     * A new, uninitialised {@link Signature} of this suite from the BouncyCastle provider. For GM it
     * uses the default signer ID {@value credit.exchange.security.gm.GmAlgorithms#DEFAULT_SIGNER_ID}.
     */
    public Signature newSignature() {
        try {
            return Signature.getInstance(signatureAlgorithm, Providers.bc());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the BouncyCastle provider lacks " + signatureAlgorithm, e);
        }
    }

    /** True when the private key signs what the public key verifies: the two are one key pair of this suite. */
    public boolean keysMatch(java.security.PrivateKey privateKey, PublicKey publicKey) {
        byte[] challenge = "credit.exchange: do these keys belong together?".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            Signature signer = newSignature();
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = newSignature();
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
