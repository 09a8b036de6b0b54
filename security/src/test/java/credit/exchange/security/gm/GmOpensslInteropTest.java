package credit.exchange.security.gm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GM primitives against the stock {@code openssl} (3.0) of these machines, run as a
 * process. OpenSSL reads the SM2 keys as Java writes them (PKCS #8 / SubjectPublicKeyInfo PEM,
 * id-ecPublicKey on the SM2 curve) without conversion. What OpenSSL 3.0 cannot do is pinned in
 * {@link GmOpenssl30LimitsTest}.
 */
class GmOpensslInteropTest {

    static final String DISTID = "distid:" + GmAlgorithms.DEFAULT_SIGNER_ID;
    static final byte[] MESSAGE = "{\"notice\":\"joint punishment\",\"subject\":\"91330106MA27Y5XH7J\"}".getBytes(StandardCharsets.UTF_8);

    private static KeyPair node;
    private static X509CertificateHolder nodeCert;

    @TempDir
    Path dir;

    private OpensslCli openssl;
    private String privateKeyPem;
    private String publicKeyPem;
    private String certificatePem;

    @BeforeAll
    static void nodeKeys() throws Exception {
        assertTrue(OpensslCli.version() != null, "openssl is a test prerequisite and is not on the PATH");
        node = GmFixtures.sm2KeyPair();
        nodeCert = GmFixtures.selfSignedCertificate("node-huzhou", node);
    }

    @BeforeEach
    void keyFiles() throws Exception {
        openssl = new OpensslCli(dir);
        privateKeyPem = openssl.pem("node.key", "PRIVATE KEY", node.getPrivate().getEncoded());
        publicKeyPem = openssl.pem("node.pub", "PUBLIC KEY", node.getPublic().getEncoded());
        certificatePem = openssl.pem("node.crt", "CERTIFICATE", nodeCert.getEncoded());
    }

    @Test
    void opensslDgstSm3_matchesSm3() throws Exception {
        byte[] large = new byte[100_000];
        new SecureRandom().nextBytes(large);
        for (byte[] message : List.of(new byte[0], "abc".getBytes(StandardCharsets.US_ASCII), MESSAGE, large)) {
            OpensslCli.Result dgst = openssl.run("dgst", "-sm3", "-binary", openssl.write("message.bin", message));
            assertEquals(0, dgst.exit(), dgst.stderr());
            assertArrayEquals(Sm3.hash(message), dgst.stdout());
        }
    }

    @Test
    void signatureBySm2SigningKey_verifiesWithOpensslPkeyutlGivenTheDefaultDistid() throws Exception {
        String signature = openssl.write("message.sig", Sm2SigningKey.of(node.getPrivate()).sign(MESSAGE));

        OpensslCli.Result verify = openssl.run("pkeyutl", "-verify", "-pubin", "-inkey", publicKeyPem, "-rawin", "-digest", "sm3",
                "-in", openssl.write("message.bin", MESSAGE), "-sigfile", signature, "-pkeyopt", DISTID);

        assertEquals(0, verify.exit(), verify.stderr());
        assertTrue(verify.stdoutText().contains("Signature Verified Successfully"));
    }

    @Test
    void signatureByOpensslPkeyutlWithTheDefaultDistid_verifiesWithSm2VerifyingKey() throws Exception {
        OpensslCli.Result sign = openssl.run("pkeyutl", "-sign", "-inkey", privateKeyPem, "-rawin", "-digest", "sm3",
                "-in", openssl.write("message.bin", MESSAGE), "-pkeyopt", DISTID);

        assertEquals(0, sign.exit(), sign.stderr());
        assertTrue(Sm2VerifyingKey.of(nodeCert).verify(MESSAGE, sign.stdout()));
    }

    /**
     * OpenSSL 3.0's pkeyutl does not default to GM/T 0009's ID: without {@code -pkeyopt distid:}
     * it hashes an empty ID (ENTL = 0) into Z, so a partner must always pass the distid.
     */
    @Test
    void opensslPkeyutlWithoutDistid_usesAnEmptySignerId_notTheGmDefault() throws Exception {
        String message = openssl.write("message.bin", MESSAGE);
        String ours = openssl.write("ours.sig", Sm2SigningKey.of(node.getPrivate()).sign(MESSAGE));

        OpensslCli.Result verifyOurs = openssl.run("pkeyutl", "-verify", "-pubin", "-inkey", publicKeyPem, "-rawin", "-digest", "sm3",
                "-in", message, "-sigfile", ours);
        OpensslCli.Result sign = openssl.run("pkeyutl", "-sign", "-inkey", privateKeyPem, "-rawin", "-digest", "sm3", "-in", message);

        assertNotEquals(0, verifyOurs.exit(), "our default-ID signature must not verify under an empty ID");
        assertEquals(0, sign.exit(), sign.stderr());
        ECPublicKeyParameters key = Sm2Keys.publicKey(nodeCert);
        assertFalse(Sm2VerifyingKey.of(key, GmAlgorithms.defaultSignerId()).verify(MESSAGE, sign.stdout()));
        assertTrue(Sm2VerifyingKey.of(key, new byte[0]).verify(MESSAGE, sign.stdout()));
    }

    /** X.509 verification in OpenSSL 3.0 does apply the default ID, so our SM2 certificates verify. */
    @Test
    void certificateSignedBySm2SigningKey_verifiesWithOpensslVerify() throws Exception {
        X500Name name = new X500Name("CN=alliance-root-gm,O=Credit Alliance Test,C=CN");
        Instant now = Instant.now();
        X509CertificateHolder root = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(7), Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), name, node.getPublic()).build(Sm2SigningKey.of(node.getPrivate()).contentSigner());
        String pem = openssl.pem("root.pem", "CERTIFICATE", root.getEncoded());

        OpensslCli.Result verify = openssl.run("verify", "-CAfile", pem, pem);

        assertEquals(0, verify.exit(), verify.stdoutText() + verify.stderr());
    }

    @Test
    void gmEnvelopedData_decryptsWithStockOpensslCmsDecrypt() throws Exception {
        String envelope = openssl.write("envelope.der", GmEnvelopedDataTest.envelope(MESSAGE, nodeCert));

        OpensslCli.Result decrypt = openssl.run("cms", "-decrypt", "-inform", "DER", "-in", envelope,
                "-inkey", privateKeyPem, "-recip", certificatePem);

        assertEquals(0, decrypt.exit(), decrypt.stderr());
        assertArrayEquals(MESSAGE, decrypt.stdout());
    }

    /** The same envelope taken apart by hand: pkeyutl recovers the CEK, enc -sm4-cbc the content. */
    @Test
    void gmEnvelopedData_keyAndContentDecryptWithOpensslPkeyutlAndEnc() throws Exception {
        EnvelopedData enveloped = EnvelopedData.getInstance(ContentInfo.getInstance(GmEnvelopedDataTest.envelope(MESSAGE, nodeCert)).getContent());
        byte[] encryptedKey = KeyTransRecipientInfo.getInstance(RecipientInfo.getInstance(enveloped.getRecipientInfos().getObjectAt(0)).getInfo())
                .getEncryptedKey().getOctets();
        byte[] iv = ASN1OctetString.getInstance(enveloped.getEncryptedContentInfo().getContentEncryptionAlgorithm().getParameters()).getOctets();

        OpensslCli.Result cek = openssl.run("pkeyutl", "-decrypt", "-inkey", privateKeyPem, "-in", openssl.write("cek.sm2", encryptedKey));
        assertEquals(0, cek.exit(), cek.stderr());
        assertEquals(16, cek.stdout().length);
        OpensslCli.Result content = openssl.run("enc", "-d", "-sm4-cbc", "-K", HexFormat.of().formatHex(cek.stdout()),
                "-iv", HexFormat.of().formatHex(iv),
                "-in", openssl.write("content.bin", enveloped.getEncryptedContentInfo().getEncryptedContent().getOctets()));

        assertEquals(0, content.exit(), content.stderr());
        assertArrayEquals(MESSAGE, content.stdout());
    }

    @Test
    void sm2CiphertextOfOpensslPkeyutlEncrypt_decryptsWithSm2Encryption() throws Exception {
        byte[] contentKey = new byte[16];
        new SecureRandom().nextBytes(contentKey);

        OpensslCli.Result encrypt = openssl.run("pkeyutl", "-encrypt", "-pubin", "-inkey", publicKeyPem, "-in", openssl.write("cek", contentKey));

        assertEquals(0, encrypt.exit(), encrypt.stderr());
        assertArrayEquals(contentKey, Sm2Encryption.decrypt(Sm2Keys.privateKey(node.getPrivate()), encrypt.stdout()));
    }

    @Test
    void sm4CbcOfOpensslEnc_decryptsWithSm4_andTheOtherWayRound() throws Exception {
        byte[] key = new byte[16];
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(key);
        new SecureRandom().nextBytes(iv);
        String keyHex = HexFormat.of().formatHex(key);
        String ivHex = HexFormat.of().formatHex(iv);

        OpensslCli.Result encrypted = openssl.run("enc", "-e", "-sm4-cbc", "-K", keyHex, "-iv", ivHex, "-in", openssl.write("plain", MESSAGE));
        OpensslCli.Result decrypted = openssl.run("enc", "-d", "-sm4-cbc", "-K", keyHex, "-iv", ivHex,
                "-in", openssl.write("ours", Sm4.cbcEncrypt(key, iv, MESSAGE)));

        assertEquals(0, encrypted.exit(), encrypted.stderr());
        assertArrayEquals(MESSAGE, Sm4.cbcDecrypt(key, iv, encrypted.stdout()));
        assertEquals(0, decrypted.exit(), decrypted.stderr());
        assertArrayEquals(MESSAGE, decrypted.stdout());
    }
}
