package credit.exchange.security.gm;

import static credit.exchange.security.gm.GmOpensslInteropTest.MESSAGE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What OpenSSL 3.0's {@code openssl cms} cannot do with the GM suite, pinned so that a newer
 * OpenSSL that can is noticed (these tests then fail) and the protocol document is updated.
 * What does work is in {@link GmOpensslInteropTest}.
 */
class GmOpenssl30LimitsTest {

    private static KeyPair node;
    private static X509CertificateHolder nodeCert;

    @TempDir
    Path dir;

    private OpensslCli openssl;
    private String privateKeyPem;
    private String certificatePem;

    @BeforeAll
    static void onlyOnOpenssl30() throws Exception {
        String version = OpensslCli.version();
        // the limits are recorded for OpenSSL 3.0, the machines' version; another version fails here so docs/protocol.md is revisited
        assertTrue(version != null && version.startsWith("OpenSSL 3.0."), "limits recorded for OpenSSL 3.0, found " + version);
        node = GmFixtures.sm2KeyPair();
        nodeCert = GmFixtures.selfSignedCertificate("node-jiaxing", node);
    }

    @BeforeEach
    void keyFiles() throws Exception {
        openssl = new OpensslCli(dir);
        privateKeyPem = openssl.pem("node.key", "PRIVATE KEY", node.getPrivate().getEncoded());
        certificatePem = openssl.pem("node.crt", "CERTIFICATE", nodeCert.getEncoded());
    }

    /**
     * {@code openssl cms -verify} hashes an empty signer ID into Z and has no option to set one,
     * so SM2 SignedData made with the GM/T 0009 default ID fails (exit 4, "CMS Verification
     * failure") and the same SignedData made with an empty ID verifies.
     */
    @Test
    void cmsVerify_ofSm2SignedData_appliesAnEmptySignerId() throws Exception {
        String gmDefault = openssl.write("default-id.p7", signedData(Sm2SigningKey.of(node.getPrivate())));
        String emptyId = openssl.write("empty-id.p7", signedData(Sm2SigningKey.of(Sm2Keys.privateKey(node.getPrivate()), new byte[0], new SecureRandom())));

        OpensslCli.Result withDefault = openssl.run("cms", "-verify", "-inform", "DER", "-in", gmDefault, "-CAfile", certificatePem);
        OpensslCli.Result withEmpty = openssl.run("cms", "-verify", "-inform", "DER", "-in", emptyId, "-CAfile", certificatePem);

        assertEquals(4, withDefault.exit(), withDefault.stderr());
        assertTrue(withDefault.stderr().contains("CMS Verification failure"), withDefault.stderr());
        assertEquals(0, withEmpty.exit(), withEmpty.stderr());
        assertArrayEquals(MESSAGE, withEmpty.stdout());
    }

    /** {@code openssl cms -encrypt} to an SM2 certificate writes no key-transport algorithm and fails to encode. */
    @Test
    void cmsEncrypt_toAnSm2Certificate_fails() throws Exception {
        OpensslCli.Result encrypt = openssl.run("cms", "-encrypt", "-sm4-cbc", "-binary", "-outform", "DER",
                "-in", openssl.write("plain", MESSAGE), certificatePem);

        assertNotEquals(0, encrypt.exit());
        assertTrue(encrypt.stderr().contains("illegal zero content"), encrypt.stderr());
    }

    /** {@code openssl cms -sign} with an SM2 key fails the same way. */
    @Test
    void cmsSign_withAnSm2Key_fails() throws Exception {
        OpensslCli.Result sign = openssl.run("cms", "-sign", "-binary", "-nodetach", "-md", "sm3", "-outform", "DER",
                "-in", openssl.write("plain", MESSAGE), "-signer", certificatePem, "-inkey", privateKeyPem);

        assertNotEquals(0, sign.exit());
        assertTrue(sign.stderr().contains("illegal zero content"), sign.stderr());
    }

    private static byte[] signedData(Sm2SigningKey key) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(GmFixtures.BC).build()).build(key.contentSigner(), nodeCert));
        generator.addCertificate(nodeCert);
        return generator.generate(new CMSProcessableByteArray(MESSAGE), true).getEncoded(ASN1Encoding.DER);
    }
}
