package credit.exchange.security.gm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.math.ec.custom.gm.SM2P256V1Curve;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class GmAlgorithmsTest {

    @Test
    void oids_equalBouncyCastlesGmObjectIdentifiers() {
        assertEquals(GMObjectIdentifiers.sm2p256v1, GmAlgorithms.SM2);
        assertEquals(GMObjectIdentifiers.sm2sign, GmAlgorithms.SM2_SIGN);
        assertEquals(GMObjectIdentifiers.sm2encrypt, GmAlgorithms.SM2_ENCRYPT);
        assertEquals(GMObjectIdentifiers.sm3, GmAlgorithms.SM3);
        assertEquals(GMObjectIdentifiers.sm2sign_with_sm3, GmAlgorithms.SM3_WITH_SM2);
        assertEquals(GMObjectIdentifiers.sms4_cbc, GmAlgorithms.SM4_CBC);
        assertEquals(GMObjectIdentifiers.sms4_gcm, GmAlgorithms.SM4_GCM);
        assertEquals(GMObjectIdentifiers.sms4_ecb.getId().replaceAll("\\.1$", ""), GmAlgorithms.SM4.getId());
    }

    @Test
    void oids_haveTheDottedFormsOfGmT0006() {
        assertEquals("1.2.156.10197.1.301", GmAlgorithms.SM2.getId());
        assertEquals("1.2.156.10197.1.301.1", GmAlgorithms.SM2_SIGN.getId());
        assertEquals("1.2.156.10197.1.301.3", GmAlgorithms.SM2_ENCRYPT.getId());
        assertEquals("1.2.156.10197.1.401", GmAlgorithms.SM3.getId());
        assertEquals("1.2.156.10197.1.501", GmAlgorithms.SM3_WITH_SM2.getId());
        assertEquals("1.2.156.10197.1.104", GmAlgorithms.SM4.getId());
        assertEquals("1.2.156.10197.1.104.2", GmAlgorithms.SM4_CBC.getId());
        assertEquals("1.2.156.10197.1.104.8", GmAlgorithms.SM4_GCM.getId());
    }

    @Test
    void sm3WithSm2Algorithm_isWhatJcaContentSignerBuilderWrites() throws Exception {
        KeyPair keys = GmFixtures.sm2KeyPair();
        assertEquals(new JcaContentSignerBuilder("SM3withSM2").setProvider(GmFixtures.BC).build(keys.getPrivate()).getAlgorithmIdentifier(),
                GmAlgorithms.SM3_WITH_SM2_ALGORITHM);
        assertNull(GmAlgorithms.SM3_WITH_SM2_ALGORITHM.getParameters());
    }

    @Test
    void defaultSignerId_isTheAsciiString1234567812345678_andAFreshCopy() {
        assertArrayEquals("1234567812345678".getBytes(StandardCharsets.US_ASCII), GmAlgorithms.defaultSignerId());
        GmAlgorithms.defaultSignerId()[0] = 0;
        assertEquals('1', GmAlgorithms.defaultSignerId()[0]);
    }

    @Test
    void sm2p256v1_isTheGmCurveOnTheOptimisedArithmetic() {
        X9ECParameters gm = GMNamedCurves.getByName("sm2p256v1");
        ECDomainParameters ours = GmAlgorithms.sm2p256v1();

        assertInstanceOf(SM2P256V1Curve.class, ours.getCurve());
        assertEquals(gm.getN(), ours.getN());
        assertArrayEquals(gm.getG().getEncoded(false), ours.getG().getEncoded(false));
        assertTrue(GmAlgorithms.isSm2p256v1(new ECDomainParameters(gm.getCurve(), gm.getG(), gm.getN())), "generic arithmetic, same curve");
        X9ECParameters p256 = CustomNamedCurves.getByName("secp256r1");
        assertFalse(GmAlgorithms.isSm2p256v1(new ECDomainParameters(p256.getCurve(), p256.getG(), p256.getN())));
        assertFalse(GmAlgorithms.isSm2p256v1(GmFixtures.EXAMPLE_CURVE_FP256));
    }

    @Test
    void sm2Keys_fromJcaKeysAndCertificates_landOnTheOptimisedCurve() throws Exception {
        KeyPair keys = GmFixtures.sm2KeyPair();
        X509CertificateHolder cert = GmFixtures.selfSignedCertificate("node-anhui", keys);

        ECPrivateKeyParameters privateKey = Sm2Keys.privateKey(keys.getPrivate());

        assertInstanceOf(SM2P256V1Curve.class, privateKey.getParameters().getCurve());
        assertInstanceOf(SM2P256V1Curve.class, Sm2Keys.publicKey(cert).getParameters().getCurve());
        assertEquals(Sm2Keys.publicKey(keys.getPublic()).getQ(), Sm2Keys.publicKey(cert).getQ());
        assertEquals(GmAlgorithms.sm2p256v1().getG().multiply(privateKey.getD()).normalize(), Sm2Keys.publicKey(cert).getQ());
    }

    @Test
    void sm2Keys_refuseKeysOnOtherCurves() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC", GmFixtures.BC);
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = ec.generateKeyPair();

        assertThrows(IllegalArgumentException.class, () -> Sm2Keys.privateKey(p256.getPrivate()));
        assertThrows(IllegalArgumentException.class, () -> Sm2Keys.publicKey(p256.getPublic()));
    }
}
