package credit.exchange.security.gm;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.encoders.Hex;

/** SM2 keys and certificates for the GM tests, made the way the alliance PKI makes them. */
final class GmFixtures {

    static final Provider BC = provider();

    /**
     * The F_p-256 example curve of GM/T 0003 (parts 2, 4 and 5 of the 2012 edition, Annex A of
     * the 2010 draft and draft-shen-sm2-ecdsa-02): the curve most published SM2 examples use.
     * It is not sm2p256v1.
     */
    static final ECDomainParameters EXAMPLE_CURVE_FP256 = exampleCurve();

    private GmFixtures() {
    }

    static KeyPair sm2KeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
        generator.initialize(new ECGenParameterSpec(GmAlgorithms.CURVE_NAME), new SecureRandom());
        return generator.generateKeyPair();
    }

    /** A self-signed SM3withSM2 certificate for {@code keys}, with a subject key identifier. */
    static X509CertificateHolder selfSignedCertificate(String commonName, KeyPair keys) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + commonName + ",O=Credit Alliance Test,C=CN");
        SubjectKeyIdentifier ski = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic());
        return new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(30, ChronoUnit.DAYS)), name, keys.getPublic())
                .addExtension(Extension.subjectKeyIdentifier, false, ski)
                .build(new JcaContentSignerBuilder("SM3withSM2").setProvider(BC).build(keys.getPrivate()));
    }

    static byte[] hex(String spacedHex) {
        return Hex.decode(spacedHex.replaceAll("\\s", ""));
    }

    static BigInteger bigHex(String spacedHex) {
        return new BigInteger(spacedHex.replaceAll("\\s", ""), 16);
    }

    private static ECDomainParameters exampleCurve() {
        BigInteger p = bigHex("8542D69E 4C044F18 E8B92435 BF6FF7DE 45728391 5C45517D 722EDB8B 08F1DFC3");
        BigInteger a = bigHex("787968B4 FA32C3FD 2417842E 73BBFEFF 2F3C848B 6831D7E0 EC65228B 3937E498");
        BigInteger b = bigHex("63E4C6D3 B23B0C84 9CF84241 484BFE48 F61D59A5 B16BA06E 6E12D1DA 27C5249A");
        BigInteger n = bigHex("8542D69E 4C044F18 E8B92435 BF6FF7DD 29772063 0485628D 5AE74EE7 C32E79B7");
        BigInteger gx = bigHex("421DEBD6 1B62EAB6 746434EB C3CC315E 32220B3B ADD50BDC 4C4E6C14 7FEDD43D");
        BigInteger gy = bigHex("0680512B CBB42C07 D47349D2 153B70C4 E5D7FDFC BFA36EA1 A85841B9 E46E09A2");
        ECCurve curve = new ECCurve.Fp(p, a, b, n, BigInteger.ONE);
        return new ECDomainParameters(curve, curve.createPoint(gx, gy), n);
    }

    private static Provider provider() {
        synchronized (Security.class) {
            Provider registered = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
            if (registered != null) {
                return registered;
            }
            Provider bc = new BouncyCastleProvider();
            Security.addProvider(bc);
            return bc;
        }
    }
}
