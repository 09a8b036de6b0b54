package credit.exchange.security.pki;

import static credit.exchange.security.pki.Codes.assertCode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import credit.exchange.security.CodedException;
import credit.exchange.security.ErrorCode;
import credit.exchange.security.Suite;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PemFilesTest {

    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Suite.class)
    void encryptedKey_roundTrip_givesTheSameKey(Suite suite) throws Exception {
        KeyPair keys = suite.generateKeyPair();
        Path file = dir.resolve("node.key.pem");

        PemFiles.writePrivateKey(file, keys.getPrivate(), PASSPHRASE);
        PrivateKey read = PemFiles.readPrivateKey(file, PASSPHRASE);

        assertArrayEquals(keys.getPrivate().getEncoded(), read.getEncoded());
    }

    @Test
    void encryptedKey_isPkcs8Pbes2_withPbkdf2HmacSha256AndAes256Cbc() throws Exception {
        Path file = dir.resolve("node.key.pem");
        PemFiles.writePrivateKey(file, Suite.INTL.generateKeyPair().getPrivate(), PASSPHRASE);

        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), pem);
        byte[] der;
        try (PemReader reader = new PemReader(new java.io.StringReader(pem))) {
            der = reader.readPemObject().getContent();
        }
        var algorithm = new PKCS8EncryptedPrivateKeyInfo(der).getEncryptionAlgorithm();
        assertEquals(PKCSObjectIdentifiers.id_PBES2, algorithm.getAlgorithm());
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(algorithm.getParameters());
        KeyDerivationFunc kdf = pbes2.getKeyDerivationFunc();
        EncryptionScheme scheme = pbes2.getEncryptionScheme();
        assertEquals(PKCSObjectIdentifiers.id_PBKDF2, kdf.getAlgorithm());
        PBKDF2Params pbkdf2 = PBKDF2Params.getInstance(kdf.getParameters());
        assertEquals(PKCSObjectIdentifiers.id_hmacWithSHA256, pbkdf2.getPrf().getAlgorithm());
        assertEquals(PemFiles.KDF_ITERATIONS, pbkdf2.getIterationCount().intValue());
        assertTrue(pbkdf2.getSalt().length >= 16, "salt of at least 128 bits");
        assertEquals(NISTObjectIdentifiers.id_aes256_CBC, scheme.getAlgorithm());
    }

    @Test
    void encryptedKey_twoWritesOfOneKey_differ() throws Exception {
        PrivateKey key = Suite.GM.generateKeyPair().getPrivate();
        PemFiles.writePrivateKey(dir.resolve("a.pem"), key, PASSPHRASE);
        PemFiles.writePrivateKey(dir.resolve("b.pem"), key, PASSPHRASE);

        assertFalse(Files.readString(dir.resolve("a.pem")).equals(Files.readString(dir.resolve("b.pem"))),
                "fresh salt and IV per write");
    }

    @Test
    void encryptedKey_file_isOwnerReadWriteOnly_evenWhenReplacingAWorldReadableFile() throws Exception {
        Path file = dir.resolve("node.key.pem");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        PemFiles.writePrivateKey(file, Suite.INTL.generateKeyPair().getPrivate(), PASSPHRASE);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void encryptedKey_wrongPassphrase_isE_MALFORMED_namingNeitherPassphrase() throws Exception {
        Path file = dir.resolve("node.key.pem");
        PemFiles.writePrivateKey(file, Suite.GM.generateKeyPair().getPrivate(), PASSPHRASE);

        CodedException e = assertCode(ErrorCode.E_MALFORMED, () -> PemFiles.readPrivateKey(file, "Tr0ub4dor&3".toCharArray()));

        assertTrue(e.getMessage().contains("wrong passphrase"), e.getMessage());
        assertFalse(e.getMessage().contains("Tr0ub4dor"));
        assertFalse(e.getMessage().contains("horse"));
        assertEquals(null, e.getCause(), "no cause whose message could carry key material");
    }

    @Test
    void encryptedKey_damagedFile_isE_MALFORMED() throws Exception {
        Path file = dir.resolve("node.key.pem");
        PemFiles.writePrivateKey(file, Suite.INTL.generateKeyPair().getPrivate(), PASSPHRASE);
        List<String> lines = Files.readAllLines(file);
        String body = lines.get(2);
        char flipped = body.charAt(10) == 'A' ? 'B' : 'A';
        lines.set(2, body.substring(0, 10) + flipped + body.substring(11));
        Files.write(file, lines);

        assertCode(ErrorCode.E_MALFORMED, () -> PemFiles.readPrivateKey(file, PASSPHRASE));
    }

    @Test
    void encryptedKey_emptyPassphrase_isE_FIELD_MISSING() {
        assertCode(ErrorCode.E_FIELD_MISSING,
                () -> PemFiles.writePrivateKey(dir.resolve("k.pem"), Suite.INTL.generateKeyPair().getPrivate(), new char[0]));
    }

    @Test
    void unencryptedKey_isRefused_keysAreEncryptedAtRest() throws Exception {
        Path file = dir.resolve("plain.key.pem");
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(Suite.INTL.generateKeyPair().getPrivate(), null));
        }
        Files.writeString(file, out.toString());

        CodedException e = assertCode(ErrorCode.E_MALFORMED, () -> PemFiles.readPrivateKey(file, PASSPHRASE));
        assertTrue(e.getMessage().contains("not in encrypted PKCS#8 form"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void certificatesAndCrl_roundTrip(Suite suite) throws Exception {
        AllianceCa ca = AllianceCa.init(suite, "Test Root", Duration.ofDays(30));
        NodeCredentials node = ca.issueNode("huzhou", Duration.ofDays(7));
        ca.revoke(node.certificate().getSerialNumber(), RevocationReason.SUPERSEDED);
        X509CRL crl = ca.crl(Duration.ofDays(1));

        PemFiles.writeCertificates(dir.resolve("chain.pem"), node.certificateChain());
        PemFiles.writeCrl(dir.resolve("crl.pem"), crl);

        List<X509Certificate> chain = PemFiles.readCertificates(dir.resolve("chain.pem"));
        assertEquals(node.certificateChain(), chain);
        assertEquals(node.certificate(), PemFiles.readCertificate(dir.resolve("chain.pem")));
        assertEquals(crl, PemFiles.readCrl(dir.resolve("crl.pem")));
        assertTrue(Files.readString(dir.resolve("crl.pem")).startsWith("-----BEGIN X509 CRL-----"));
        assertEquals(chain, PemFiles.parseCertificates(PemFiles.toPem(chain)));
    }

    @Test
    void garbageOrEmptyOrWrongKindOfPem_isE_MALFORMED() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path badDer = Files.writeString(dir.resolve("bad-der.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getEncoder().encodeToString(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}) + "\n-----END CERTIFICATE-----\n");
        AllianceCa ca = AllianceCa.init(Suite.INTL, "Test Root", Duration.ofDays(30));
        Path certificate = dir.resolve("ca.pem");
        PemFiles.writeCertificate(certificate, ca.certificate());

        assertCode(ErrorCode.E_MALFORMED, () -> PemFiles.readCertificates(garbage));
        assertCode(ErrorCode.E_MALFORMED, () -> PemFiles.readCertificates(empty));
        assertCode(ErrorCode.E_MALFORMED, () -> PemFiles.readCertificates(badDer));
        assertCode(ErrorCode.E_MALFORMED, () -> PemFiles.readCrl(certificate));
        assertCode(ErrorCode.E_MALFORMED, () -> PemFiles.readPrivateKey(certificate, PASSPHRASE));
    }

    @Test
    void fileOverTheLimit_isE_TOO_LARGE() throws Exception {
        Path huge = dir.resolve("huge.pem");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(PemFiles.MAX_FILE_BYTES + 1); // sparse: costs no disk
        }

        assertCode(ErrorCode.E_TOO_LARGE, () -> PemFiles.readCertificates(huge));
        assertCode(ErrorCode.E_TOO_LARGE, () -> PemFiles.readPrivateKey(huge, PASSPHRASE));
    }
}
