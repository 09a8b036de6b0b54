package credit.exchange.security.pki;

import static credit.exchange.security.pki.Codes.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import credit.exchange.security.gm.GmAlgorithms;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jcajce.spec.SM2ParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SuiteTest {

    private static final byte[] MESSAGE = "信用信息互查".getBytes(StandardCharsets.UTF_8);

    @Test
    void parse_GMandINTL_giveTheirSuites() {
        assertEquals(Suite.GM, Suite.parse("GM"));
        assertEquals(Suite.INTL, Suite.parse("INTL"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gm", "intl", "RSA", " GM", "GM ", "SM2"})
    void parse_anythingElse_isRefusedWithE_FIELD_INVALID(String name) {
        assertCode(ErrorCode.E_FIELD_INVALID, () -> Suite.parse(name));
    }

    @Test
    void parse_null_isRefusedWithE_FIELD_INVALID() {
        assertCode(ErrorCode.E_FIELD_INVALID, () -> Suite.parse(null));
    }

    @Test
    void gm_keys_areOnCurveSm2p256v1_andSignSm3WithSm2() {
        KeyPair keys = Suite.GM.generateKeyPair();

        assertEquals(new ASN1ObjectIdentifier("1.2.156.10197.1.301"), namedCurve(keys));
        assertEquals("SM3withSM2", Suite.GM.signatureAlgorithm());
        assertEquals("1.2.156.10197.1.501", Suite.GM.signatureAlgorithmOid());
        assertEquals("sm2p256v1", Suite.GM.curveName());
    }

    @Test
    void intl_keys_areOnP256_andSignSha256WithEcdsa() {
        KeyPair keys = Suite.INTL.generateKeyPair();

        assertEquals(new ASN1ObjectIdentifier("1.2.840.10045.3.1.7"), namedCurve(keys));
        assertEquals("SHA256withECDSA", Suite.INTL.signatureAlgorithm());
        assertEquals("1.2.840.10045.4.3.2", Suite.INTL.signatureAlgorithmOid());
        assertEquals("secp256r1", Suite.INTL.curveName());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void ofKey_generatedKey_givesItsSuite(Suite suite) {
        assertEquals(Optional.of(suite), Suite.ofKey(suite.generateKeyPair().getPublic()));
    }

    @Test
    void ofKey_rsaOrOtherCurve_isEmpty() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC", Providers.bc());
        p384.initialize(new ECGenParameterSpec("secp384r1"));

        assertFalse(Suite.ofKey(rsa.generateKeyPair().getPublic()).isPresent());
        assertFalse(Suite.ofKey(p384.generateKeyPair().getPublic()).isPresent());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void newSignature_signsAndVerifies(Suite suite) throws Exception {
        KeyPair keys = suite.generateKeyPair();
        Signature signer = suite.newSignature();
        signer.initSign(keys.getPrivate());
        signer.update(MESSAGE);
        byte[] signature = signer.sign();

        Signature verifier = suite.newSignature();
        verifier.initVerify(keys.getPublic());
        verifier.update(MESSAGE);
        assertTrue(verifier.verify(signature));
    }

    @Test
    void gm_signature_usesTheDefaultSignerId1234567812345678() throws Exception {
        KeyPair keys = Suite.GM.generateKeyPair();
        Signature signer = Suite.GM.newSignature();
        signer.initSign(keys.getPrivate());
        signer.update(MESSAGE);
        byte[] signature = signer.sign();

        assertTrue(verifyWithId(keys, signature, GmAlgorithms.DEFAULT_SIGNER_ID));
        assertFalse(verifyWithId(keys, signature, "ALICE123@YAHOO.COM"));
        assertFalse(verifyWithId(keys, signature, ""));
    }

    private static boolean verifyWithId(KeyPair keys, byte[] signature, String id) throws Exception {
        Signature verifier = Signature.getInstance("SM3withSM2", Providers.bc());
        verifier.setParameter(new SM2ParameterSpec(id.getBytes(StandardCharsets.US_ASCII)));
        verifier.initVerify(keys.getPublic());
        verifier.update(MESSAGE);
        return verifier.verify(signature);
    }

    private static ASN1ObjectIdentifier namedCurve(KeyPair keys) {
        return (ASN1ObjectIdentifier) SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getAlgorithm().getParameters();
    }
}
